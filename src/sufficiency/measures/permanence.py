"""Permanence: adoption timeliness (DfE adoption scorecard A1 / A2), plans waiting, SGOs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

from sufficiency.codes import ADOPTION_PLACE
from sufficiency.dataset import Dataset
from sufficiency.dates import open_on, same_day
from sufficiency.measures.catalogue import Period, measure
from sufficiency.measures.common import (
    ENGINE,
    cla_on,
    code_expr,
    linked_spells,
    memo,
    table,
    to_date,
)
from sufficiency.measures.population import leavers
from sufficiency.measures.time_in_care import ADOPTED_REC, SGO_REC

#: Placed for adoption with the child's current foster carers (consent / placement order).
WITH_FOSTER_CARER_PLACE = ("A3", "A5")
#: Legal statuses giving the court's authority to place for adoption.
AUTHORITY_LS = ("E1", "D1")


def _adopted(ds: Dataset, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Children whose period of care ended in adoption (REC E11/E12) between start and end."""
    return leavers(ds, Period(start, end)).filter(code_expr("REC").is_in(ADOPTED_REC))


def _in_adopted_care(frame: pl.DataFrame, adopted: pl.DataFrame, on: str) -> pl.DataFrame:
    """Rows of ``frame`` whose date ``on`` falls in an adopted child's period of care that ended
    in adoption, with its ``care_start`` and ``care_end``."""
    window = adopted.select(
        "CHILD", pl.col("start").alias("care_start"), pl.col("end").alias("care_end")
    )
    return frame.join(window, on="CHILD").filter(
        pl.col(on).is_between(pl.col("care_start"), pl.col("care_end"))
    )


def _move_in_days(ds: Dataset, adopted: pl.DataFrame, adjusted: bool = True) -> pl.DataFrame:
    """Days from entering care to moving in with the adoptive family, per adopted child;
    ``adjusted`` (A10): a child adopted by their foster carers moved in when that foster
    placement began."""
    adoptive = memo(  # only the adoptive placements (A3-A6), and the columns read, are joined
        ds,
        "adoptive_spells",
        lambda: (
            linked_spells(ds)
            .lazy()
            .filter(pl.col("PLACE").is_in(ADOPTION_PLACE))
            .select("CHILD", "start", "PLACE", "prev_start", "prev_end")
            .collect(engine=ENGINE)
        ),
    )
    first_adoptive = (
        _in_adopted_care(adoptive, adopted, "start")
        .sort(["CHILD", "start"])
        .unique("CHILD", keep="first")
    )
    moved_in = (
        pl.when(
            pl.lit(adjusted)
            & pl.col("PLACE").is_in(WITH_FOSTER_CARER_PLACE)
            & (pl.col("prev_end") == pl.col("start"))
            & (pl.col("prev_start") >= pl.col("care_start"))
        )
        .then(pl.col("prev_start"))
        .otherwise(pl.col("start"))
    )
    return first_adoptive.select(
        "CHILD", ((moved_in - pl.col("care_start")).dt.total_days()).alias("days")
    )


def _authority_to_match_days(ds: Dataset, adopted: pl.DataFrame) -> pl.DataFrame:
    """Days from the court's authority to place (first LS E1/D1 episode of the period) to the
    match with adopters (AD1 DATE_MATCH), per adopted child with both dates."""
    ad1 = table("ad1", ds)
    if ad1 is None or "DATE_MATCH" not in ad1.columns:
        return pl.DataFrame(schema={"CHILD": pl.Utf8, "days": pl.Int64})
    ad1 = to_date(ad1.with_columns(pl.col("CHILD").cast(pl.Utf8)), "DATE_MATCH")
    matches = (
        ad1.filter(pl.col("DATE_MATCH").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("DATE_MATCH").max())
    )
    authority = (
        _in_adopted_care(ds.episodes_typed, adopted, "DECOM")
        .filter(code_expr("LS").is_in(AUTHORITY_LS))
        .group_by("CHILD")
        .agg(pl.col("linked_DECOM").min().alias("authority"))  # an episode's start, unmerged
    )
    return authority.join(matches, on="CHILD").select(
        "CHILD",
        (pl.col("DATE_MATCH") - pl.col("authority"))
        .dt.total_days()
        .clip(lower_bound=0)
        .alias("days"),
    )


def timeliness_children(
    ds: Dataset, period: Period, days: Callable[[Dataset, pl.DataFrame], pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The children an adoption scorecard indicator averages ``days`` over (CHILD, days): those
    adopted in the year, and those adopted in the three years ending on the reference date."""
    adopted3 = _adopted(ds, same_day(period.start.year - 2, period.start), period.end)
    days3 = days(ds, adopted3)
    this_year = adopted3.filter(pl.col("end") >= period.start).select("CHILD")
    return days3.join(this_year, on="CHILD"), days3


def _a1_days(ds: Dataset, adopted: pl.DataFrame) -> pl.DataFrame:
    """A1's days: to the first adoptive placement (no foster carer adjustment)."""
    return _move_in_days(ds, adopted, adjusted=False)


#: The days each adoption scorecard measure averages, per adopted child.
TIMELINESS_DAYS: dict[str, Callable[[Dataset, pl.DataFrame], pl.DataFrame]] = {
    "adoption_a1_days": _a1_days,
    "adoption_a10_days": _move_in_days,
    "adoption_a2_days": _authority_to_match_days,
}


def _target(ds: Dataset, measure_id: str) -> float | None:
    """The measure's target from registers/targets (the last row for it), or None."""
    from sufficiency.measures.targets import targets

    given = [t.target for t in targets(ds) if t.measure_id == measure_id and t.target is not None]
    return given[-1] if given else None


def _timeliness(
    ds: Dataset,
    period: Period,
    days: Callable[[Dataset, pl.DataFrame], pl.DataFrame],
    measure_id: str,
) -> dict[str, Any]:
    """An adoption scorecard indicator: the average ``days`` per child adopted in the year and
    in the three years ending on the reference date, with its target."""
    days1, days3 = timeliness_children(ds, period, days)

    def avg(frame: pl.DataFrame) -> float | None:
        if not frame.height:
            return None
        return round(float(frame.get_column("days").mean()), 0)  # type: ignore[arg-type]

    return {
        "average": avg(days1),
        "children": days1.height,
        "three_year_average": avg(days3),
        "three_year_children": days3.height,
        "target": _target(ds, measure_id),
    }


@measure(
    "adoption_a1_days",
    title="Adoption: days from entering care to moving in with the adoptive family (A1)",
    theme="permanence",
    unit="days",
    definition=(
        "DfE adoption scorecard A1: for children adopted during the year (period of care ended "
        "with REC E11 or E12), the average number of days between entering care (start of that "
        "period of care) and moving in with their adoptive family (start of the first A3-A6 "
        "placement; A10 counts foster carer adoptions from the foster placement instead). "
        "three_year_average averages over every child adopted in the three years ending on the "
        "reference date (child-weighted, as the scorecard does); target from registers/targets."
    ),
    source="DfE adoption scorecard, indicator A1",
    based_on="",
    history_years=5.0,
)
def adoption_a1_days(ds: Dataset, period: Period) -> dict[str, Any]:
    return _timeliness(ds, period, TIMELINESS_DAYS["adoption_a1_days"], "adoption_a1_days")


@measure(
    "adoption_a10_days",
    title="Adoption: days from entering care to moving in with the adoptive family, adjusted "
    "for foster carer adoptions (A10)",
    theme="permanence",
    unit="days",
    definition=(
        "DfE adoption scorecard A10: A1 adjusted for foster carer adoptions - for a child "
        "adopted by their foster carers (first adoptive placement A3 or A5, following straight "
        "on from a foster placement in the same period of care) the child moved in with the "
        "adoptive family when that foster placement began. Averages and target as for A1."
    ),
    source="DfE adoption scorecard, indicator A10",
    history_years=5.0,
)
def adoption_a10_days(ds: Dataset, period: Period) -> dict[str, Any]:
    return _timeliness(ds, period, TIMELINESS_DAYS["adoption_a10_days"], "adoption_a10_days")


@measure(
    "adoption_a2_days",
    title="Adoption: days from court authority to place to match with adopters (A2)",
    theme="permanence",
    unit="days",
    definition=(
        "DfE adoption scorecard A2: for children adopted during the year, the average number of "
        "days between the local authority receiving court authority to place the child for "
        "adoption (the first episode of the period of care with legal status E1 placement order "
        "or D1 freeing order) and deciding on a match to an adoptive family (AD1 DATE_MATCH); "
        "a match before the authority counts as 0 days, as the scorecard assigns. "
        "Children without both dates are left out. Three-year average and target as for A1."
    ),
    source="DfE adoption scorecard, indicator A2",
    history_years=4.0,
)
def adoption_a2_days(ds: Dataset, period: Period) -> dict[str, Any]:
    return _timeliness(ds, period, TIMELINESS_DAYS["adoption_a2_days"], "adoption_a2_days")


@measure(
    "adoptions",
    title="Children adopted in the year",
    theme="permanence",
    unit="count",
    definition="Children who ceased to be looked after in the year because they were adopted (REC E11 or E12).",
    source="DfE Children looked after in England, table E1",
)
def adoptions(ds: Dataset, period: Period) -> int:
    return adopted_in(ds, period).height


def adopted_in(ds: Dataset, period: Period) -> pl.DataFrame:
    """The children ``adoptions`` counts: their period of care ended in adoption in the year."""
    return _adopted(ds, period.start, period.end)


@measure(
    "adoption_plan_waiting",
    title="Children with a plan for adoption waiting to be placed",
    theme="permanence",
    unit="count",
    definition=(
        "Children looked after on the reference date with a decision that they should be "
        "placed for adoption in force (placed_for_adoption DATE_PLACED on or before the date, "
        "DATE_PLACED_CEASED blank or after it) who are not yet placed for adoption (their "
        "placement on the date is not A3-A6)."
    ),
)
def adoption_plan_waiting(ds: Dataset, period: Period) -> int:
    return children_waiting(ds, period.end).height


def children_waiting(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """The children ``adoption_plan_waiting`` counts on ``d``, with DATE_PLACED (the earliest
    decision in force)."""
    pfa = table("placed_for_adoption", ds)
    if pfa is None or "DATE_PLACED" not in pfa.columns:
        return pl.DataFrame(schema={"CHILD": pl.Utf8, "DATE_PLACED": pl.Date})
    pfa = to_date(
        pfa.with_columns(pl.col("CHILD").cast(pl.Utf8)), "DATE_PLACED", "DATE_PLACED_CEASED"
    )
    if "DATE_PLACED_CEASED" not in pfa.columns:
        pfa = pfa.with_columns(pl.lit(None, dtype=pl.Date).alias("DATE_PLACED_CEASED"))
    live = (
        pfa.filter(open_on(d, "DATE_PLACED", "DATE_PLACED_CEASED"))
        .group_by("CHILD")
        .agg(pl.col("DATE_PLACED").min())
    )
    return (
        cla_on(ds, d)
        .join(live, on="CHILD")
        .filter(~pl.col("PLACE").is_in(ADOPTION_PLACE))
        .select("CHILD", "DATE_PLACED")
        .sort("CHILD")
    )


@measure(
    "placement_orders",
    title="Placement orders granted in the year",
    theme="permanence",
    unit="count",
    definition=(
        "Children whose first episode with legal status E1 (placement order granted) started "
        "during the year (an episode the multi-year merge cut at a 1 April counts from its own "
        "DECOM)."
    ),
)
def placement_orders(ds: Dataset, period: Period) -> int:
    return placement_orders_in(ds, period).height


def placement_orders_in(ds: Dataset, period: Period) -> pl.DataFrame:
    """The children ``placement_orders`` counts (CHILD, DECOM of their first E1 episode)."""
    first = memo(
        ds,
        "first_placement_order",
        lambda: (
            ds.episodes_typed.lazy()  # a query groups the children's ids far faster
            .filter(pl.col("LS") == "E1")
            .group_by("CHILD")
            .agg(pl.col("linked_DECOM").min().alias("DECOM"))
            .collect()
        ),
    )
    return first.filter(pl.col("DECOM").is_between(period.start, period.end))


@measure(
    "special_guardianship_orders",
    title="Special guardianship orders in the year",
    theme="permanence",
    unit="count",
    definition=(
        "Children who ceased to be looked after in the year because a special guardianship "
        "order was made (REC E45-E48; E43/E44 in returns before 2016-17)."
    ),
)
def special_guardianship_orders(ds: Dataset, period: Period) -> int:
    return sgo_leavers(ds, period).height


def sgo_leavers(ds: Dataset, period: Period) -> pl.DataFrame:
    """The children ``special_guardianship_orders`` counts."""
    return leavers(ds, period).filter(code_expr("REC").is_in(SGO_REC))
