"""Permanence plans and the adoption scorecard (issue 19).

Plans (adoption, SGO, CAO, reunification, long-term fostering) come from the permanence plans
register; what became of each is read from the returns' episodes (ceased, and how; placed with
parents; in foster care), never typed into the register. The scorecard sets A1, A2 and A10
against the DfE's thresholds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from sufficiency.codes import FOSTERING_PLACE
from sufficiency.dataset import Dataset
from sufficiency.measures.catalogue import Period, Value, measure
from sufficiency.measures.common import cla_on, code_expr
from sufficiency.measures.nested import rows
from sufficiency.measures.permanence import (
    adoption_a1_days,
    adoption_a2_days,
    adoption_a10_days,
    children_waiting,
)
from sufficiency.measures.population import ceasing_episodes
from sufficiency.measures.time_in_care import LEAVING_REASONS
from sufficiency.schema.duty import PLAN_TYPES

THEME = "permanence"
#: The DfE adoption scorecard thresholds (days; the 2013-16 three-year averages, still used:
#: A1 and A10 14 months, A2 4 months), as seed 003 reports its targets of 426 and 121 days.
SCORECARD_THRESHOLDS: dict[str, int] = {"A1": 426, "A2": 121, "A10": 426}
#: How a plan is achieved, as the returns show it (REC of the period of care's end).
ACHIEVED_REC: dict[str, tuple[str, ...]] = {
    "adoption": LEAVING_REASONS["adopted"],
    "sgo": LEAVING_REASONS["special_guardianship"],
    "cao": LEAVING_REASONS["child_arrangements_order"],
    "reunification": LEAVING_REASONS["returned_home"],
}
REUNIFICATION_OUTCOMES = (
    "left_care",
    "placed_with_parents",
    "foster_care",
    "other_placement",
    "not_in_returns",
)
PLAN_FIGURES = ("children", "achieved", "looked_after", "might_benefit")
_PLANS = (
    "A plan counts when the permanence plans register records it with date_set on or before "
    "the reference date and it had not been changed by then (status changed with outcome_date "
    "on or before the date); rows marked might_benefit are not plans."
)


def plans_on(ds: Dataset, d: dt.date) -> pl.DataFrame | None:
    """Plans in force or achieved on ``d`` (CHILD, plan, date_set), one row per child and plan
    (the earliest date set); None without the register."""
    register = ds.register("permanence_plans")
    if register is None:
        return None
    changed = (pl.col("status") == "changed") & (pl.col("outcome_date") <= d).fill_null(True)
    return (
        register.filter(
            (pl.col("date_set") <= d)
            & ~changed.fill_null(False)
            & ~pl.col("might_benefit").fill_null(False)
        )
        .group_by(pl.col("child_id").alias("CHILD"), "plan")
        .agg(pl.col("date_set").min())
        .sort("CHILD", "plan")
    )


def achieved_plans(ds: Dataset, plans: pl.DataFrame, d: dt.date) -> pl.DataFrame:
    """Plans (CHILD, plan) whose child's period of care ended the plan's way after the plan was
    set and on or before ``d``; long-term fostering: in a foster placement on ``d``."""
    ended = ceasing_episodes(ds).select("CHILD", "end", code_expr("REC"))
    routes = pl.DataFrame(
        [(p, r) for p, recs in ACHIEVED_REC.items() for r in recs],
        schema={"plan": pl.Utf8, "REC": pl.Utf8},
        orient="row",
    )
    left = (
        plans.join(routes, on="plan")
        .join(ended, on=["CHILD", "REC"])
        .filter((pl.col("end") >= pl.col("date_set")) & (pl.col("end") <= d))
        .select("CHILD", "plan")
    )
    fostered = (
        plans.filter(pl.col("plan") == "long_term_fostering")
        .join(cla_on(ds, d).filter(pl.col("PLACE").is_in(FOSTERING_PLACE)), on="CHILD")
        .select("CHILD", "plan")
    )
    return pl.concat([left, fostered]).unique()


@measure(
    "permanence_plans_by_type",
    title="Permanence plans and what became of them",
    theme=THEME,
    unit="table",
    definition=(
        _PLANS + " For each plan: children with the plan (children); those whose plan the "
        "returns show achieved by the date (achieved: the period of care ended after the plan "
        "was set with REC E11/E12 for adoption, E43-E48 for an SGO, E41 for a CAO, E4A/E4B for "
        "reunification; long-term fostering: in a foster placement on the date); those still "
        "looked after on the date (looked_after); and children the register marks as might "
        "benefit from the plan (might_benefit)."
    ),
    source="permanence plans register, SSDA903",
    keys=PLAN_TYPES,
    child_keys=PLAN_FIGURES,
)
def permanence_plans_by_type(ds: Dataset, period: Period) -> Value:
    plans = plans_on(ds, period.end)
    register = ds.register("permanence_plans")
    if plans is None or register is None:
        return None
    achieved = achieved_plans(ds, plans, period.end)
    cla = cla_on(ds, period.end).select("CHILD")
    benefit = might_benefit(register, period.end)
    out: dict[str, dict[str, Any]] = {}
    for plan in PLAN_TYPES:
        mine = plans.filter(pl.col("plan") == plan)
        out[plan] = {
            "children": mine.height,
            "achieved": achieved.filter(pl.col("plan") == plan).height,
            "looked_after": mine.join(cla, on="CHILD").height,
            "might_benefit": benefit.filter(pl.col("plan") == plan)["child_id"].n_unique(),
        }
    return rows(out, PLAN_FIGURES)


def might_benefit(register: pl.DataFrame, d: dt.date) -> pl.DataFrame:
    """The register's rows of children marked as might benefit from a plan by ``d``."""
    return register.filter(pl.col("might_benefit").fill_null(False) & (pl.col("date_set") <= d))


@measure(
    "reunification_outcomes",
    title="Children with a reunification plan: where they are",
    theme=THEME,
    unit="counts",
    definition=(
        _PLANS + " Children with a reunification plan, by where the returns place them on the "
        "reference date: no longer looked after (left_care), looked after and placed with "
        "parents (P1: placed_with_parents), in foster care (U1-U6: foster_care), elsewhere "
        "(other_placement), or in no episode of the returns (not_in_returns); total is all "
        "of them."
    ),
    source="permanence plans register, SSDA903",
    keys=(*REUNIFICATION_OUTCOMES, "total"),
)
def reunification_outcomes(ds: Dataset, period: Period) -> Value:
    placed = reunification_places(ds, period.end)
    if placed is None:
        return None
    got = dict(placed.group_by("outcome").len().iter_rows())
    out = {k: int(got.get(k, 0)) for k in REUNIFICATION_OUTCOMES}
    out["total"] = placed.height
    return out


def reunification_places(ds: Dataset, d: dt.date) -> pl.DataFrame | None:
    """Children with a reunification plan on ``d`` (CHILD) and where the returns place them
    (``outcome``, a REUNIFICATION_OUTCOMES key); None without the register."""
    plans = plans_on(ds, d)
    if plans is None:
        return None
    children = plans.filter(pl.col("plan") == "reunification").select("CHILD").unique()
    known = ds.episodes_typed.select("CHILD").unique()
    on_date = cla_on(ds, d).select("CHILD", "PLACE")
    return children.join(on_date, on="CHILD", how="left").with_columns(
        pl.when(~pl.col("CHILD").is_in(known["CHILD"].implode()))
        .then(pl.lit("not_in_returns"))
        .when(pl.col("PLACE").is_null())
        .then(pl.lit("left_care"))
        .when(pl.col("PLACE") == "P1")
        .then(pl.lit("placed_with_parents"))
        .when(pl.col("PLACE").is_in(FOSTERING_PLACE))
        .then(pl.lit("foster_care"))
        .otherwise(pl.lit("other_placement"))
        .alias("outcome")
    )


@measure(
    "adoption_scorecard",
    title="Adoption scorecard: timeliness against the DfE thresholds",
    theme=THEME,
    unit="days",
    definition=(
        "The adoption scorecard's timeliness indicators (A1 adoption_a1_days, A2 "
        "adoption_a2_days, A10 adoption_a10_days): the three-year average in days, the children "
        "it averages over, the DfE threshold (A1 and A10 426 days, 14 months; A2 121 days, 4 "
        "months) and whether the average is within it (1 within, 0 not)."
    ),
    source="DfE adoption scorecard methodology",
    history_years=5.0,
)
def adoption_scorecard(ds: Dataset, period: Period) -> Value:
    figures: dict[str, dict[str, Any]] = {}
    for name, func in (
        ("A1", adoption_a1_days),
        ("A2", adoption_a2_days),
        ("A10", adoption_a10_days),
    ):
        value = func(ds, period)
        assert isinstance(value, dict)
        found = value.get("three_year_average")
        average = float(found) if isinstance(found, int | float) else None
        threshold = SCORECARD_THRESHOLDS[name]
        figures[name] = {
            "three_year_average": average,
            "three_year_children": value.get("three_year_children"),
            "threshold": threshold,
            "within_threshold": None if average is None else int(average <= threshold),
        }
    return rows(
        figures,
        child_keys=("three_year_children",),
        derived_keys=("three_year_average", "within_threshold"),
        unit="days",
    )


#: The stages of the adopters register in order, each with the date a household reaches it
#: (Stage 1 begins when the registration of interest is accepted; Stage 2 is the assessment; a
#: household withdrawn leaves at any stage).
ADOPTER_STAGES = ("enquiry", "stage_1", "stage_2", "approved", "matched", "placed", "withdrawn")
_STAGE_DATE = {
    "enquiry": "enquiry_date",
    "stage_1": "registration_date",
    "stage_2": "stage2_start_date",
    "approved": "approved_date",
    "matched": "matched_date",
    "placed": "placed_date",
    "withdrawn": "withdrawn_date",
}
#: The stage before each (days_to_stage and conversion_pct are measured from it).
_PREVIOUS = dict(zip(ADOPTER_STAGES[1:6], ADOPTER_STAGES[:5], strict=True))
#: The DfE's expectation for each assessment stage, in months: Stage 1 from the registration of
#: interest to its completion, Stage 2 from its start to the approval decision.
ASSESSMENT_TIMESCALES: dict[str, tuple[str, str, int]] = {
    "stage_1": ("registration_date", "stage1_end_date", 2),
    "stage_2": ("stage2_start_date", "approved_date", 4),
}
_TIMESCALE_SOURCE = (
    "DfE, Adoption: statutory guidance (2013), on the two-stage adopter assessment the Adoption "
    "Agencies (Miscellaneous Amendments) Regulations 2013 brought in from 1 July 2013: Stage 1 "
    "normally completed within two months of the registration of interest, Stage 2 within four "
    "months"
)


def _date_of(stage: str) -> pl.Expr:
    """The date a household reached ``stage`` (Stage 1: its registration of interest, or the
    end of Stage 1 when only that is recorded)."""
    if stage == "stage_1":
        return pl.coalesce("registration_date", "stage1_end_date")
    return pl.col(_STAGE_DATE[stage])


def _reached(stage: str, d: dt.date) -> pl.Expr:
    """True where the household had reached ``stage`` by ``d``."""
    return (_date_of(stage) <= d).fill_null(False)


def _stage_on(d: dt.date) -> pl.Expr:
    """The latest stage each household had reached by ``d`` (withdrawn over all; null: none)."""
    stage: pl.Expr = pl.lit(None, dtype=pl.Utf8)
    for s in ADOPTER_STAGES:
        stage = pl.when(_reached(s, d)).then(pl.lit(s)).otherwise(stage)
    return stage


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _mean_days(frame: pl.DataFrame, start: pl.Expr, end: pl.Expr) -> float | None:
    mean = frame.select((end - start).dt.total_days().mean()).item()
    return None if mean is None else round(float(mean), 1)


@measure(
    "adopter_pipeline",
    title="Adopter households by stage: enquiry, Stage 1, Stage 2, approved, matched, placed",
    theme=THEME,
    unit="table",
    suppress=False,
    definition=(
        "Adopter households in the adopters register at each stage it records, in order: "
        "enquiry (enquiry_date), Stage 1 (registration of interest accepted, registration_date; "
        "a household between the stages, Stage 1 ended and Stage 2 not begun, is still at "
        "Stage 1), Stage 2 (assessment begun, stage2_start_date; a fast-track household starts "
        "here), approved, matched, placed, and withdrawn (at any stage). For each stage: "
        "households at the stage on the reference date (at_date: the latest stage whose date "
        "is on or before it; approved means waiting for a match, matched waiting for the child "
        "to move in); households reaching the stage in the year (in_year: its date in the "
        "year); for those, the average days from the previous stage's date (days_to_stage: "
        "enquiry to registration, registration to Stage 2, Stage 2 to approval, approval to "
        "match, match to placement; households without the earlier date are left out); "
        "households that had reached the stage by the date (reached); and conversion_pct, the "
        "percentage of the households that had reached the previous stage by the date that "
        "had also reached this one (households still in progress count as not yet converted). "
        "Timeliness against the DfE's stage timescales is adopter_assessment_timeliness. "
        "Households are not children: nothing is suppressed."
    ),
    source="adopters register",
    keys=ADOPTER_STAGES,
)
def adopter_pipeline(ds: Dataset, period: Period) -> Value:
    adopters = ds.register("adopters")
    if adopters is None:
        return None
    d = period.end
    at = dict(adopters.select(_stage_on(d).alias("stage")).group_by("stage").len().iter_rows())
    out: dict[str, dict[str, int | float | None]] = {}
    for stage in ADOPTER_STAGES:
        in_year = adopters.filter(_date_of(stage).is_between(period.start, d))
        before = _PREVIOUS.get(stage)
        reached = adopters.filter(_reached(stage, d)).height
        days = conversion = None
        if before is not None:
            days = _mean_days(in_year, _date_of(before), _date_of(stage))
            earlier = adopters.filter(_reached(before, d))
            conversion = _percent(earlier.filter(_reached(stage, d)).height, earlier.height)
        out[stage] = {
            "at_date": int(at.get(stage, 0)),
            "in_year": in_year.height,
            "days_to_stage": days,
            "reached": reached,
            "conversion_pct": conversion,
        }
    return out


@measure(
    "adopter_assessment_timeliness",
    title="Adopter assessments against the DfE timescales: Stage 1 two months, Stage 2 four",
    theme=THEME,
    unit="table",
    suppress=False,
    definition=(
        "Prospective adopters' two assessment stages against the DfE's timescales ("
        + _TIMESCALE_SOURCE
        + "). Stage 1 runs from the registration of interest (registration_date) to its "
        "completion (stage1_end_date), Stage 2 from its start (stage2_start_date) to approval "
        "(approved_date). For each stage: the timescale in months (timescale_months); "
        "households completing the stage in the year with its start recorded "
        "(completed_in_year); those completing it within the timescale, the end on or before "
        "the start plus the months (within_timescale, and as a percentage, "
        "within_timescale_pct); the average days the stage took (average_days); households "
        "in the stage on the reference date, started and neither completed nor withdrawn by "
        "then (in_progress), and those of them already past the timescale "
        "(in_progress_beyond). Households are not children: nothing is suppressed."
    ),
    source="adopters register; " + _TIMESCALE_SOURCE,
    keys=tuple(ASSESSMENT_TIMESCALES),
)
def adopter_assessment_timeliness(ds: Dataset, period: Period) -> Value:
    adopters = ds.register("adopters")
    if adopters is None:
        return None
    d = period.end
    out: dict[str, dict[str, int | float | None]] = {}
    for stage, (start_col, end_col, months) in ASSESSMENT_TIMESCALES.items():
        start, end = pl.col(start_col), pl.col(end_col)
        due = start.dt.offset_by(f"{months}mo")
        done = adopters.filter(end.is_between(period.start, d) & start.is_not_null())
        within = done.filter(end <= due).height
        open_ = adopters.filter(
            (start <= d)
            & ~(end <= d).fill_null(False)
            & ~(pl.col("withdrawn_date") <= d).fill_null(False)
        )
        out[stage] = {
            "timescale_months": months,
            "completed_in_year": done.height,
            "within_timescale": within,
            "within_timescale_pct": _percent(within, done.height),
            "average_days": _mean_days(done, start, end),
            "in_progress": open_.height,
            "in_progress_beyond": open_.filter(due < d).height,
        }
    return out


@measure(
    "adoption_children_waiting",
    title="Children waiting for adoption against the scorecard threshold",
    theme=THEME,
    unit="number",
    definition=(
        "Children looked after on the reference date with a decision that they should be "
        "placed for adoption in force and not yet placed for adoption (children_waiting, as "
        "adoption_plan_waiting); those whose decision is more than the DfE scorecard's A2 "
        "threshold (121 days, 4 months, from the decision to a match) old, so that a match "
        "now would miss it (beyond_a2_threshold); the longest wait in days (longest_days); "
        "adopter households approved and waiting for a match (adopters_waiting) and adopters "
        "waiting per child waiting (adopters_per_child)."
    ),
    source="SSDA903 placed for adoption table and episodes, adopters register",
    child_keys=("children_waiting", "beyond_a2_threshold"),
    derived_keys=("longest_days", "adopters_per_child"),
)
def adoption_children_waiting(ds: Dataset, period: Period) -> Value:
    d = period.end
    waiting = waiting_days(ds, d)
    threshold = SCORECARD_THRESHOLDS["A2"]
    adopters = ds.register("adopters")
    households = None
    if adopters is not None:
        households = adopters.filter(_stage_on(d) == "approved").height
    longest = waiting.get_column("days").max()
    return {
        "children_waiting": waiting.height,
        "beyond_a2_threshold": waiting.filter(beyond_a2_threshold()).height,
        "a2_threshold_days": threshold,
        "longest_days": None if longest is None else int(longest),  # type: ignore[arg-type]
        "adopters_waiting": households,
        "adopters_per_child": round(households / waiting.height, 2)
        if households is not None and waiting.height
        else None,
    }


def waiting_days(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """``children_waiting`` on ``d`` with the ``days`` since their decision."""
    return children_waiting(ds, d).with_columns(
        (pl.lit(d) - pl.col("DATE_PLACED")).dt.total_days().alias("days")
    )


def beyond_a2_threshold() -> pl.Expr:
    """True for a child waiting longer than the scorecard's A2 threshold (``days``)."""
    return pl.col("days") > SCORECARD_THRESHOLDS["A2"]
