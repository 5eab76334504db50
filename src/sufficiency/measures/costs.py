"""Costs: spend in the year from bed nights x weekly cost (``unit_costs.RULE``), year on year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.dataset import Dataset
from sufficiency.dates import financial_year
from sufficiency.measures.catalogue import Period, measure
from sufficiency.measures.common import ENGINE, memo, memo_frames
from sufficiency.measures.placements import bed_nights_plan
from sufficiency.measures.trends import year_ends
from sufficiency.measures.unit_costs import (
    RULE,
    cost_placements,
    cost_rows,
    priced_as,
    urn_providers,
)

_COST_DEF = (
    "Each episode's bed nights in the year (as bed_nights_by_placement_type) are costed at its "
    "weekly cost for the financial year containing the reference date. "
    + RULE
    + " Spend = nights x weekly cost / 7."
)


#: An episode's URN as costs are looked up by it.
_URN = pl.col("URN").cast(pl.Utf8).str.strip_chars().alias("urn")
#: The columns of ``costed_nights`` besides nights, weekly_cost and spend.
_COLUMNS: tuple[str | pl.Expr, ...] = ("CHILD", "placement_type", "PLACE_PROVIDER", _URN)


def costed_nights(ds: Dataset, period: Period) -> pl.DataFrame | None:
    """Episodes' nights in the year with ``weekly_cost`` (null when no cost applies) and spend."""
    frames = costed_years(ds, [period])
    return None if frames is None else frames[0]


def costed_years(
    ds: Dataset, periods: Sequence[Period], *, by_type: bool = False
) -> list[pl.DataFrame] | None:
    """``costed_nights`` of each period (None without a usable costs register); ``by_type``:
    of its columns only placement_type, nights, weekly_cost and spend (what a year-on-year
    table sums). The years not yet worked out are one lazy plan each, collected side by side."""
    columns = _COLUMNS[1:2] if by_type else _COLUMNS
    costs = ds.register("costs")
    rows = cost_rows(costs)
    if rows is None:
        return None

    def plan(period: Period) -> pl.LazyFrame:
        # each episode's weekly cost is looked up once for the years priced alike
        # (``_episode_costs``): a year's plan only filters dates and multiplies
        weekly = _episode_costs(ds, costs, priced_as(rows, financial_year(period.end)))
        return (
            bed_nights_plan(ds, period, weekly)  # the years' bed nights are not kept
            .filter(~pl.col("short_break"))
            .select(*columns, "nights", "weekly_cost")
            .with_columns((pl.col("nights") * pl.col("weekly_cost") / 7.0).alias("spend"))
        )

    return memo_frames(ds, "costed_by_type" if by_type else "costed_nights", periods, plan)


def _episode_costs(ds: Dataset, costs: pl.DataFrame | None, year: int) -> pl.Series:
    """``weekly_cost`` of each episode of ``episodes_typed`` (in its order) for the financial
    years priced as ``year``: each placement type and URN pair is priced once
    (``cost_placements``) and every episode takes its pair's cost."""

    def build() -> pl.Series:
        keys, index = _cost_keys(ds)
        priced = cost_placements(keys, costs, year).sort("_key")
        return priced.get_column("weekly_cost").gather(index)

    return memo(ds, ("episode_costs", year), build)


def _cost_keys(ds: Dataset) -> tuple[pl.DataFrame, pl.Series]:
    """Every placement type and URN pair of the episodes as recorded (numbered ``_key``), with
    the URN as costs read it and its provider (the homes and supported accommodation
    registers): what ``cost_placements`` prices; and each episode's ``_key``."""

    def build() -> tuple[pl.DataFrame, pl.Series]:
        eps = ds.episodes_typed.lazy().select("placement_type", "URN")
        pairs = eps.unique().with_row_index("_key").collect()
        index = (
            eps.join(
                pairs.lazy(),
                on=["placement_type", "URN"],
                how="left",
                nulls_equal=True,
                maintain_order="left",
            )
            .select("_key")
            .collect(engine=ENGINE)
            .get_column("_key")
        )
        keys = pairs.select("_key", "placement_type", _URN)
        return keys.join(urn_providers(ds), on="urn", how="left"), index

    return memo(ds, "cost_keys", build)


def _by_type(frame: pl.DataFrame) -> dict[str, Any]:
    """Spend and nights by placement type of the costed rows of ``frame`` (a lazy plan: only
    the columns summed are filtered)."""
    summed = (
        frame.lazy()
        .filter(pl.col("weekly_cost").is_not_null())
        .group_by("placement_type")
        .agg(pl.col("spend").sum(), pl.col("nights").sum())
        .collect(engine=ENGINE)
    )
    return {t: (s, n) for t, s, n in summed.iter_rows()}


@measure(
    "spend_by_placement_type",
    title="Spend in the year by placement type",
    theme="costs",
    unit="money",
    definition="Spend on placements in the year by LA placement type, to the nearest pound. "
    + _COST_DEF,
    breakdowns=("placement_type",),
    keys=PLACEMENT_TYPES,
    suppress=False,
)
def spend_by_placement_type(ds: Dataset, period: Period) -> dict[str, Any] | None:
    frame = costed_nights(ds, period)
    if frame is None:
        return None
    got = _by_type(frame)
    return {t: round(got[t][0]) if t in got else 0 for t in PLACEMENT_TYPES}


@measure(
    "spend_total",
    title="Spend on placements in the year",
    theme="costs",
    unit="money",
    definition="All placement spend in the year, to the nearest pound. " + _COST_DEF,
    suppress=False,
)
def spend_total(ds: Dataset, period: Period) -> int | None:
    frame = costed_nights(ds, period)
    if frame is None:
        return None
    return round(float(frame.get_column("spend").fill_null(0).sum()))


@measure(
    "uncosted_bed_nights",
    title="Bed nights with no cost in registers/costs",
    theme="costs",
    unit="number",
    definition="Bed nights in the year for which registers/costs gives no weekly cost (left out of spend).",
    suppress=False,
)
def uncosted_bed_nights(ds: Dataset, period: Period) -> int | None:
    frame = costed_nights(ds, period)
    if frame is None:
        return None
    return int(frame.filter(pl.col("weekly_cost").is_null()).get_column("nights").sum())


@measure(
    "average_weekly_cost_by_type",
    title="Average weekly cost by placement type",
    theme="costs",
    unit="money",
    definition=(
        "Spend in the year divided by the weeks (bed nights / 7) it bought, by placement type, "
        "to the nearest pound; types with no costed nights are left out. " + _COST_DEF
    ),
    breakdowns=("placement_type",),
    suppress=False,
)
def average_weekly_cost_by_type(ds: Dataset, period: Period) -> dict[str, Any] | None:
    frame = costed_nights(ds, period)
    if frame is None:
        return None
    got = _by_type(frame)
    return {t: round(got[t][0] / got[t][1] * 7) for t in PLACEMENT_TYPES if t in got and got[t][1]}


@measure(
    "spend_by_year",
    title="Spend and average weekly cost, year on year",
    theme="costs",
    unit="money",
    definition=(
        "For each year end in the data up to the reference date: total spend and the average "
        "weekly cost by placement type of that year, with the change in spend from the year "
        "before. " + _COST_DEF
    ),
    suppress=False,
)
def spend_by_year(ds: Dataset, period: Period) -> dict[str, Any] | None:
    if cost_rows(ds.register("costs")) is None:
        return None
    out: dict[str, Any] = {}
    previous: int | None = None
    ends = year_ends(ds, period.end)
    frames = costed_years(ds, [Period.year_ending(end) for end in ends], by_type=True)
    assert frames is not None
    for end, frame in zip(ends, frames, strict=True):
        total = round(float(frame.get_column("spend").fill_null(0).sum()))
        got = _by_type(frame)
        out[str(end.year)] = {
            "spend": total,
            "change": None if previous is None else total - previous,
            "average_weekly_cost": {
                t: round(got[t][0] / got[t][1] * 7)
                for t in PLACEMENT_TYPES
                if t in got and got[t][1]
            },
        }
        previous = total
    return out
