"""The children behind a measure's cell: which children a count of children counts.

Each measure family names the frame of children its measure counts (one row per child, built
with the very functions and expressions the measure uses) and, for a breakdown, the expression
giving each child's key, or, for a share, the condition of its numerator. ``children_behind``
returns the children of one cell, so its length is that cell's count (tests/measures/
test_behind.py checks this for every measure here). ``cell_at`` reads a cell's keys from its
place in the measure's table as the dashboard lays it out (rows and columns in the result's
order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from sufficiency.codes import CHILDRENS_HOME_PLACE, FOSTERING_PLACE
from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr
from sufficiency.measures.catalogue import Period
from sufficiency.measures.common import (
    DFE_AGE_BANDS,
    FINE_AGE_BANDS,
    age_band_expr,
    cla_on,
    code_expr,
    code_group_expr,
    episodes_on,
    placements_on,
)
from sufficiency.measures.drilldown import FAR_MILES
from sufficiency.measures.placements import NATIONAL_PLACEMENT_GROUPS, PROVIDER_GROUPS
from sufficiency.measures.population import (
    ETHNIC_GROUPS,
    LEGAL_STATUS_GROUPS,
    leavers,
    starters,
    uasc_on,
)
from sufficiency.measures.stability import placements_in_year
from sufficiency.results import Breakdown, Count, Result, Share, Table

Frame = Callable[[Dataset, Period], pl.DataFrame]

#: Cell keys of a single count, and of a share's two counts (the dashboard's "Children", "Out of").
COUNT = ""
NUMERATOR = "count"
DENOMINATOR = "denominator"


@dataclass(frozen=True)
class Cohort:
    """The children a measure counts: ``frame`` (one row per child, with CHILD); ``key`` puts
    each child in a breakdown's cell (nulls are ``unknown``, as ``common.counts`` has them);
    ``counted`` is a share's numerator (its denominator is the whole frame); ``column`` is a
    table's column key."""

    frame: Frame
    key: Callable[[], pl.Expr] | None = None
    counted: Callable[[], pl.Expr] | None = None
    column: Callable[[], pl.Expr] | None = None


def _cla(ds: Dataset, period: Period) -> pl.DataFrame:
    return cla_on(ds, period.end)


def _placed(ds: Dataset, period: Period) -> pl.DataFrame:
    return placements_on(ds, period.end)


def _cla_ethnicity(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``population._cla_with_ethnicity``: ETHNIC from the header."""
    return _cla(ds, period).join(ds.children.select("CHILD", "ETHNIC"), on="CHILD", how="left")


def _uasc(ds: Dataset, period: Period) -> pl.DataFrame:
    return uasc_on(ds, period.end, cla_on(ds, period.end))


def _cla_uasc(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``uasc_share``: children looked after, ``uasc`` true for those ``uasc_on`` keeps."""
    uasc = _uasc(ds, period).get_column("CHILD").implode()
    return _cla(ds, period).with_columns(pl.col("CHILD").is_in(uasc).alias("uasc"))


def _starters_dob(ds: Dataset, period: Period) -> pl.DataFrame:
    return starters(ds, period).join(ds.children.select("CHILD", "DOB"), on="CHILD", how="left")


def _placements_in_year(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``stability_three_plus``: children looked after with their placements in the year."""
    per_child = placements_in_year(ds, period).group_by("CHILD").len()
    return _cla(ds, period).select("CHILD").join(per_child, on="CHILD", how="left")


def _known_distance(ds: Dataset, period: Period) -> pl.DataFrame:
    return _placed(ds, period).filter(pl.col("distance_miles").is_not_null())


def _in_childrens_homes(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``childrens_home_inside_share``: children placed in a children's home (K2, R1)."""
    return _placed(ds, period).filter(pl.col("PLACE").is_in(CHILDRENS_HOME_PLACE))


def _known_location(ds: Dataset, period: Period) -> pl.DataFrame:
    return _placed(ds, period).filter(pl.col("location_band") != "unknown")


def _banded(bands: tuple[tuple[str, int, int | None], ...], age: str = "") -> Callable[[], pl.Expr]:
    return lambda: age_band_expr(age_expr(age) if age else pl.col("age"), bands)


def _grouped(
    column: str, groups: dict[str, tuple[str, ...]], default: str
) -> Callable[[], pl.Expr]:
    return lambda: code_group_expr(column, groups, default)


def _far(miles: float, at_least: bool = False) -> Callable[[], pl.Expr]:
    return lambda: (
        pl.col("distance_miles") >= miles if at_least else pl.col("distance_miles") > miles
    )


COHORTS: dict[str, Cohort] = {
    # population
    "cla_count": Cohort(_cla),
    "starts": Cohort(starters),
    "ceased": Cohort(leavers),
    "uasc_count": Cohort(_uasc),
    "cla_by_age_band": Cohort(_cla, key=_banded(DFE_AGE_BANDS)),
    "cla_by_fine_age_band": Cohort(_cla, key=_banded(FINE_AGE_BANDS)),
    "cla_by_sex": Cohort(_cla, key=lambda: pl.col("SEX").fill_null("U")),
    "cla_by_ethnicity": Cohort(_cla_ethnicity, key=_grouped("ETHNIC", ETHNIC_GROUPS, "not_known")),
    "cla_white_british": Cohort(_cla_ethnicity, counted=lambda: pl.col("ETHNIC") == "WBRI"),
    "cla_by_legal_status": Cohort(_cla, key=_grouped("LS", LEGAL_STATUS_GROUPS, "unknown")),
    "cla_by_category_of_need": Cohort(_cla, key=lambda: code_expr("CIN")),
    "starts_by_age_band": Cohort(_starters_dob, key=_banded(DFE_AGE_BANDS, "start")),
    "uasc_by_age": Cohort(_uasc, key=_banded(FINE_AGE_BANDS)),
    "uasc_arrivals": Cohort(lambda ds, period: uasc_on(ds, pl.col("start"), starters(ds, period))),
    "short_breaks_count": Cohort(
        lambda ds, period: episodes_on(ds, period.end).filter(pl.col("short_break"))
    ),
    "uasc_share": Cohort(_cla_uasc, counted=lambda: pl.col("uasc")),
    # placements
    "cla_by_placement_type": Cohort(_cla, key=lambda: pl.col("placement_type")),
    "cla_by_national_placement_group": Cohort(
        _cla, key=_grouped("PLACE", NATIONAL_PLACEMENT_GROUPS, "other_placements")
    ),
    "cla_by_provider": Cohort(
        _cla,
        key=lambda: code_expr("PLACE_PROVIDER").replace_strict(
            PROVIDER_GROUPS, default="not_recorded"
        ),
    ),
    "fostering_share": Cohort(_cla, counted=lambda: pl.col("PLACE").is_in(FOSTERING_PLACE)),
    # location
    "cla_by_location": Cohort(_placed, key=lambda: pl.col("location_band")),
    "cla_by_distance_band": Cohort(_placed, key=lambda: pl.col("distance_band")),
    "placement_type_by_location": Cohort(
        _placed, key=lambda: pl.col("placement_type"), column=lambda: pl.col("location_band")
    ),
    "placed_over_20_miles": Cohort(_placed, counted=_far(20.0)),
    "placed_over_100_miles": Cohort(_placed, counted=_far(FAR_MILES, at_least=True)),
    "placed_over_20_miles_known_distance": Cohort(_known_distance, counted=_far(20.0)),
    "placed_over_100_miles_known_distance": Cohort(
        _known_distance, counted=_far(FAR_MILES, at_least=True)
    ),
    "placed_outside_la": Cohort(
        _known_location, counted=lambda: pl.col("location_band") != "inside"
    ),
    "distance_known": Cohort(_placed, counted=lambda: pl.col("distance_miles").is_not_null()),
    "placed_over_20_miles_outside_la": Cohort(
        _placed,
        counted=lambda: (
            pl.col("location_band").is_in(["neighbouring", "distant"])
            & (pl.col("distance_miles") > 20.0)
        ),
    ),
    "childrens_home_inside_share": Cohort(
        _in_childrens_homes, counted=lambda: pl.col("location_band") == "inside"
    ),
    # stability
    "stability_three_plus": Cohort(_placements_in_year, counted=lambda: pl.col("len") >= 3),
}


def drillable(measure_id: str) -> bool:
    """True when the children behind ``measure_id``'s counts can be listed."""
    return measure_id in COHORTS


def children_behind(
    ds: Dataset, measure_id: str, at: dt.date, row: str = COUNT, column: str = COUNT
) -> pl.DataFrame:
    """The children counted in one cell of ``measure_id`` for the year ending on ``at``: CHILD,
    one row each, sorted. ``row`` is a breakdown's (or table's) key; ``column`` a table's key or,
    for a share, ``count`` (its numerator) or ``denominator``. Raises KeyError for a measure
    that cannot be drilled into and ValueError for a cell it does not have."""
    if measure_id not in COHORTS:
        raise KeyError(f"the children behind {measure_id!r} cannot be listed")
    cohort = COHORTS[measure_id]
    frame = cohort.frame(ds, Period.year_ending(at))
    if cohort.key is not None:
        frame = frame.filter(_key(cohort.key()) == row)
    elif row:
        raise ValueError(f"{measure_id} has no rows; got row {row!r}")
    if cohort.column is not None:
        frame = frame.filter(_key(cohort.column()) == column)
    elif cohort.counted is not None:
        if column not in (NUMERATOR, DENOMINATOR):
            raise ValueError(
                f"{measure_id} is a share: column must be {NUMERATOR!r} or {DENOMINATOR!r}, "
                f"got {column!r}"
            )
        if column == NUMERATOR:
            frame = frame.filter(cohort.counted().fill_null(False))
    elif column:
        raise ValueError(f"{measure_id} has no columns; got column {column!r}")
    return frame.select("CHILD").unique().sort("CHILD")


def about(ds: Dataset, at: dt.date, children: pl.DataFrame) -> pl.DataFrame:
    """The listed ``children`` (CHILD) with what helps recognise them on ``at``: SEX, age (in
    completed years) and the placement_type of the episode open on ``at`` (null when none),
    in the same order."""
    people = ds.children.select("CHILD", "SEX", "DOB").unique("CHILD", keep="last")
    placed = episodes_on(ds, at).select("CHILD", "placement_type")
    return (
        children.select("CHILD")
        .join(people, on="CHILD", how="left", maintain_order="left")
        .join(placed, on="CHILD", how="left", maintain_order="left")
        .select("CHILD", "SEX", age_expr(at).alias("age"), "placement_type")
    )


def _key(expr: pl.Expr) -> pl.Expr:
    """A cell key as ``common.counts`` names it: text, blanks ``unknown``."""
    return expr.cast(pl.Utf8).fill_null("unknown")


def cell_at(result: Result, row: int, column: int) -> tuple[str, str] | None:
    """The (row, column) keys of the cell at ``row``, ``column`` of ``result``'s table as the
    dashboard lays it out (a share: one row of count, denominator, %; a breakdown: a label column
    then its value; a table: a label column then its columns in first-seen order); None for a
    cell that is not a count of children."""
    if isinstance(result, Share):
        cols = (NUMERATOR, DENOMINATOR)
        return (COUNT, cols[column]) if row == 0 and column in (0, 1) else None
    if isinstance(result, Count):
        return (COUNT, COUNT) if (row, column) == (0, 1) else None
    value = result.to_json()
    if not isinstance(value, dict) or not 0 <= row < len(value) or column < 1:
        return None
    key = list(value)[row]
    if isinstance(result, Breakdown):
        return (key, COUNT) if column == 1 else None
    if isinstance(result, Table):
        seen: list[str] = []
        for inner in value.values():
            seen += [k for k in inner if k not in seen]
        return (key, seen[column - 1]) if column - 1 < len(seen) else None
    return None


__all__ = [
    "COHORTS",
    "COUNT",
    "DENOMINATOR",
    "NUMERATOR",
    "Cohort",
    "about",
    "cell_at",
    "children_behind",
    "drillable",
]
