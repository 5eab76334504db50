"""The children behind the supply measures' counts: each cohort is built by the functions and
expressions the measure itself counts with (``sufficiency.supply.measures``).

This package sits above ``sufficiency.measures``, so it names its own cohorts here and the
``sufficiency.behind`` entry point (pyproject.toml) adds them to ``measures.behind.cohorts()``.
"""

from __future__ import annotations

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.behind_cohort import (
    DENOMINATOR,
    NUMERATOR,
    Cohort,
    cell,
    members,
    none,
)
from sufficiency.measures.catalogue import Period
from sufficiency.supply.measures import (
    children_in_homes,
    market_placements,
    placed_inside_area,
    placement_routes,
    rated_good,
)


def _homes_in_area(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``supply_homes_in_area``: children in children's homes, and those placed inside."""
    homes = ds.register("homes")
    if homes is None:
        return none()
    children = children_in_homes(ds, period.end)
    inside = children.filter(placed_inside_area(ds, homes, period.end))
    return members(cell(children, "children_in_homes"), cell(inside, "children_placed_inside"))


def _homes_rated_good(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``supply_homes_good_or_outstanding``: of the children in children's homes, those in
    homes rated good or outstanding."""
    homes = ds.register("homes")
    if homes is None:
        return none()
    children = children_in_homes(ds, period.end)
    return members(
        cell(children.filter(rated_good(homes)), column=NUMERATOR),
        cell(children, column=DENOMINATOR),
    )


def _bought(route: str) -> Cohort:
    """The external placements starting in the year and those bought by ``route`` (a share of
    placements: a child who started two is behind both, listed once)."""

    def frame(ds: Dataset, period: Period) -> pl.DataFrame:
        starts = placement_routes(ds, period)
        if starts is None:
            return none()
        return members(
            cell(starts.filter(pl.col("route") == route), column=NUMERATOR),
            cell(starts, column=DENOMINATOR),
        )

    return Cohort(frame, cells=True, events=True)


SUPPLY_COHORTS: dict[str, Cohort] = {
    "supply_homes_in_area": Cohort(_homes_in_area, cells=True),
    "supply_homes_good_or_outstanding": Cohort(_homes_rated_good, cells=True),
    # each provider's children placed in the year; its nights and spend count no children
    "supply_provider_market": Cohort(
        market_placements,
        key=lambda: pl.col("provider"),
        column=lambda: pl.lit("children"),
        unlisted=("nights", "spend"),
    ),
    "supply_spot_share": _bought("spot"),
    "supply_framework_share": _bought("framework"),
}

__all__ = ["SUPPLY_COHORTS"]
