"""The children behind the stability, time in care, permanence and remaining placement and
location measures: each cohort is built by the functions the measure itself counts with."""

from __future__ import annotations

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.behind_cohort import (
    Cohort,
    cell,
    grouped,
    keyed,
    members,
    none,
    of_child_ids,
)
from sufficiency.measures.catalogue import Period
from sufficiency.measures.common import cla_on
from sufficiency.measures.location import distant_by_age, unregistered_flags
from sufficiency.measures.permanence import (
    TIMELINESS_DAYS,
    adopted_in,
    children_waiting,
    placement_orders_in,
    sgo_leavers,
    timeliness_children,
)
from sufficiency.measures.permanence_plans import (
    achieved_plans,
    beyond_a2_threshold,
    might_benefit,
    plans_on,
    reunification_places,
    waiting_days,
)
from sufficiency.measures.placements import fostered_on, in_house
from sufficiency.measures.population import leavers
from sufficiency.measures.stability import change_reason, long_term_cohort, moves
from sufficiency.measures.time_in_care import (
    LEAVING_REASONS,
    care_durations,
    duration_band,
    left_at_18,
)

#: The adoption scorecard's rows and the measure each is.
_SCORECARD = {"A1": "adoption_a1_days", "A2": "adoption_a2_days", "A10": "adoption_a10_days"}


def _in_care(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``duration_in_care``: children looked after with their duration ``band``."""
    band = duration_band(pl.col("care_start"), pl.lit(period.end))
    return care_durations(ds, period.end).with_columns(band.alias("band"))


def _timeliness(measure_id: str) -> Cohort:
    """An adoption scorecard indicator's children: adopted in the year, and in three years."""

    def frame(ds: Dataset, period: Period) -> pl.DataFrame:
        year, three = timeliness_children(ds, period, TIMELINESS_DAYS[measure_id])
        return members(cell(year, "children"), cell(three, "three_year_children"))

    return Cohort(frame, cells=True)


def _scorecard(ds: Dataset, period: Period) -> pl.DataFrame:
    return members(
        *(
            cell(
                timeliness_children(ds, period, TIMELINESS_DAYS[mid])[1], row, "three_year_children"
            )
            for row, mid in _SCORECARD.items()
        )
    )


def _plans(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``permanence_plans_by_type``: children with each plan, achieved, still looked after,
    and those who might benefit from it."""
    plans = plans_on(ds, period.end)
    register = ds.register("permanence_plans")
    if plans is None or register is None:
        return none()
    plan = pl.col("plan")
    return members(
        keyed(plans, plan, "children"),
        keyed(achieved_plans(ds, plans, period.end), plan, "achieved"),
        keyed(plans.join(cla_on(ds, period.end).select("CHILD"), on="CHILD"), plan, "looked_after"),
        keyed(of_child_ids(might_benefit(register, period.end)), plan, "might_benefit"),
    )


def _reunification(ds: Dataset, period: Period) -> pl.DataFrame:
    placed = reunification_places(ds, period.end)
    if placed is None:
        return none()
    return members(keyed(placed, pl.col("outcome")), cell(placed, "total"))


def _waiting(ds: Dataset, period: Period) -> pl.DataFrame:
    waiting = waiting_days(ds, period.end)
    return members(
        cell(waiting, "children_waiting"),
        cell(waiting.filter(beyond_a2_threshold()), "beyond_a2_threshold"),
    )


def _unregistered(ds: Dataset, period: Period) -> pl.DataFrame:
    flags = unregistered_flags(ds, period)
    a, b, c = pl.col("a"), pl.col("b"), pl.col("c")
    return members(
        cell(flags.filter(a), "unregistered_code"),
        cell(flags.filter(b), "urn_not_registered"),
        cell(flags.filter(c), "unregulated_under_16"),
        cell(flags.filter(a | b | c), "total"),
    )


CARE_COHORTS: dict[str, Cohort] = {
    # placements and location
    "in_house_fostering_share": Cohort(fostered_on, counted=in_house),
    "distant_by_age_band": Cohort(distant_by_age, key=lambda: pl.col("band")),
    "unregistered_provision": Cohort(_unregistered, cells=True),
    # stability
    "stability_long_term": Cohort(long_term_cohort, counted=lambda: pl.col("stable")),
    "placement_moves": Cohort(moves, events=True),
    "reasons_for_placement_change": Cohort(moves, key=change_reason, events=True),
    # time in care
    "duration_in_care": Cohort(_in_care, key=lambda: pl.col("band")),
    "ceased_by_duration": Cohort(
        leavers, key=lambda: duration_band(pl.col("start"), pl.col("end"))
    ),
    "reasons_for_leaving": Cohort(leavers, key=grouped("REC", LEAVING_REASONS, "other")),
    "ceased_aged_18": Cohort(lambda ds, period: leavers(ds, period).filter(left_at_18())),
    # permanence
    **{mid: _timeliness(mid) for mid in _SCORECARD.values()},
    "adoptions": Cohort(adopted_in),
    "adoption_plan_waiting": Cohort(lambda ds, period: children_waiting(ds, period.end)),
    "placement_orders": Cohort(placement_orders_in),
    "special_guardianship_orders": Cohort(sgo_leavers),
    "permanence_plans_by_type": Cohort(_plans, cells=True),
    "reunification_outcomes": Cohort(_reunification, cells=True),
    "adoption_scorecard": Cohort(_scorecard, cells=True),
    "adoption_children_waiting": Cohort(_waiting, cells=True),
}

__all__ = ["CARE_COHORTS"]
