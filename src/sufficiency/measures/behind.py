"""The children behind a measure's cell: which children a count of children counts.

Each measure family (``behind_population``, ``behind_care``, ``behind_duty``) names the children
its measures count (``behind_cohort.Cohort``: one frame built with the very functions and
expressions the measure uses, and which cell each child is in). ``children_behind`` returns the
children of one cell, so its length is that cell's count (for a count of events, such as moves,
``counted_behind`` is: tests/measures/test_behind.py checks both for every cell of every measure
here). ``cell_at`` reads a cell's keys from its place in the measure's table as the dashboard
lays it out. Every registered measure is drillable or declared in ``behind_declared`` with the
reason it is not.

The packages above this one (supply) name the children behind their own measures: each adds its
cohorts through the ``sufficiency.behind`` entry points (pyproject.toml), as their measure modules
join the catalogue through the ``sufficiency.measures`` ones; ``cohorts()`` assembles them all.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib.metadata import entry_points

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr
from sufficiency.measures.behind_care import CARE_COHORTS
from sufficiency.measures.behind_cohort import COUNT, DENOMINATOR, NUMERATOR, Cohort
from sufficiency.measures.behind_declared import NOT_CHILD_COUNTS, NOT_LISTED
from sufficiency.measures.behind_duty import DUTY_COHORTS
from sufficiency.measures.behind_population import POPULATION_COHORTS
from sufficiency.measures.catalogue import Period
from sufficiency.measures.common import episodes_on
from sufficiency.results import Path, Result, Share

#: The entry-point group naming each package's cohorts (pyproject.toml): the analyses above
#: this package (supply) add theirs without this package naming them.
COHORT_GROUP = "sufficiency.behind"
#: The dashboard lays a result of records out as a table up to this many columns (else flat).
_TABLE_COLUMNS = 12


@functools.cache
def cohorts() -> dict[str, Cohort]:
    """Every measure whose cells list their children: this package's cohorts and those each
    ``sufficiency.behind`` entry point names (read once per process). Raises ValueError for a
    measure two packages both list."""
    found: dict[str, Cohort] = {**POPULATION_COHORTS, **CARE_COHORTS, **DUTY_COHORTS}
    for point in sorted(entry_points(group=COHORT_GROUP), key=lambda e: e.name):
        added = point.load()
        if not isinstance(added, dict) or not all(isinstance(c, Cohort) for c in added.values()):
            raise TypeError(f"entry point {point.value} is not a dict of measure id -> Cohort")
        twice = sorted(found.keys() & added.keys())
        if twice:
            raise ValueError(f"{point.value} lists measures already listed: {', '.join(twice)}")
        found.update(added)
    return found


def drillable(measure_id: str) -> bool:
    """True when the children behind ``measure_id``'s counts can be listed."""
    return measure_id in cohorts()


def _cohort(measure_id: str, row: str, column: str) -> Cohort:
    cohort = cohorts().get(measure_id)
    if cohort is None:
        reason = NOT_CHILD_COUNTS.get(measure_id) or NOT_LISTED.get(measure_id, "not a measure")
        raise KeyError(f"the children behind {measure_id!r} cannot be listed: {reason}")
    unlisted = [key for key in (row, column) if key in cohort.unlisted]
    if unlisted:
        raise ValueError(
            f"{measure_id}'s {unlisted[0]!r} counts children but cannot list them "
            f"(not a set of children of the returns)"
        )
    if cohort.cells:
        return cohort
    if cohort.key is None and row:
        raise ValueError(f"{measure_id} has no rows; got row {row!r}")
    if cohort.counted is not None and column not in (NUMERATOR, DENOMINATOR):
        raise ValueError(
            f"{measure_id} is a share: column must be {NUMERATOR!r} or {DENOMINATOR!r}, "
            f"got {column!r}"
        )
    if cohort.counted is None and cohort.column is None and column:
        raise ValueError(f"{measure_id} has no columns; got column {column!r}")
    return cohort


def _members(
    ds: Dataset, measure_id: str, at: dt.date, row: str, column: str
) -> tuple[Cohort, pl.DataFrame]:
    cohort = _cohort(measure_id, row, column)
    frame = cohort.members(ds, Period.year_ending(at))
    return cohort, frame.filter((pl.col("row") == row) & (pl.col("column") == column))


def children_behind(
    ds: Dataset, measure_id: str, at: dt.date, row: str = COUNT, column: str = COUNT
) -> pl.DataFrame:
    """The children counted in one cell of ``measure_id`` for the year ending on ``at``: CHILD,
    one row each, sorted. ``row`` is a breakdown's, table's or record's key; ``column`` a
    table's column, a record's figure or, for a share, ``count`` (its numerator) or
    ``denominator``. Raises KeyError (with the reason) for a measure that cannot be drilled
    into and ValueError for a cell it does not have or cannot list."""
    return _members(ds, measure_id, at, row, column)[1].select("CHILD").unique().sort("CHILD")


def counted_behind(
    ds: Dataset, measure_id: str, at: dt.date, row: str = COUNT, column: str = COUNT
) -> int:
    """How many things the cell counts, from its cohort: its children, or for a count of
    events (moves) the events of the children ``children_behind`` lists."""
    cohort, frame = _members(ds, measure_id, at, row, column)
    return frame.height if cohort.events else frame.get_column("CHILD").n_unique()


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


def keys_of(result: Result, path: Path) -> tuple[str, str]:
    """The (row, column) keys ``children_behind`` takes for the figure at ``path`` of
    ``result`` (its ``leaves``): a share's ``count`` is ("", "count")."""
    if isinstance(result, Share):
        return COUNT, path[0]
    return (path[0] if path else COUNT), (path[1] if len(path) > 1 else COUNT)


def listed_cells(measure_id: str, result: Result) -> list[tuple[str, str]]:
    """The keys of every cell of ``result`` whose children ``measure_id`` lists: each figure
    counting children (``Result.leaves``) but those its cohort cannot list."""
    cohort = cohorts().get(measure_id)
    if cohort is None:
        return []
    found = [keys_of(result, path) for path, _, role in result.leaves() if role == "children"]
    return [k for k in found if not {*k} & {*cohort.unlisted}]


def cell_at(result: Result, row: int, column: int, measure_id: str = "") -> tuple[str, str] | None:
    """The (row, column) keys of the cell at ``row``, ``column`` of ``result``'s table as the
    dashboard lays it out (``_layout``); None for a cell that counts no children or, given
    ``measure_id``, whose children it cannot list."""
    grid = _layout(result)
    if not (0 <= row < len(grid) and 0 <= column < len(grid[row])):
        return None
    path = grid[row][column]
    if path is None or path not in {p for p, _, role in result.leaves() if role == "children"}:
        return None
    keys = keys_of(result, path)
    cohort = cohorts().get(measure_id)
    if cohort is not None and {*keys} & {*cohort.unlisted}:
        return None
    return keys


def listed_positions(measure_id: str, result: Result) -> list[tuple[int, int]]:
    """The (row, column) places on the dashboard's table of ``result`` whose children
    ``measure_id`` lists (the cells that link to them)."""
    if not drillable(measure_id):
        return []
    return [
        (r, c)
        for r, line in enumerate(_layout(result))
        for c in range(len(line))
        if cell_at(result, r, c, measure_id) is not None
    ]


def _layout(result: Result) -> list[list[Path | None]]:
    """The figures' paths (``Result.leaves``) in the dashboard's table of ``result``: a share
    is one row of count, denominator, %; a single figure its title then its value; a breakdown
    or a record a label column then its value; a table or a record of records a label column
    then its columns in first-seen order (up to 12 of plain figures: else the dashboard lists
    them flat and nothing links). None where a cell holds no figure."""
    if isinstance(result, Share):
        return [[("count",), ("denominator",), None]]
    value = result.to_json()
    if not isinstance(value, dict):
        return [[None, ()]]
    if value and all(isinstance(v, dict) for v in value.values()):
        seen: list[str] = []
        for inner in value.values():
            seen += [k for k in inner if k not in seen]
        plain = all(_plain(x) for inner in value.values() for x in inner.values())
        if not plain or len(seen) > _TABLE_COLUMNS:
            return []
        return [[None, *((key, c) for c in seen)] for key in value]
    if any(isinstance(v, dict | list) for v in value.values()):
        return []
    return [[None, (key,)] for key in value]


def _plain(figure: object) -> bool:
    """A figure the dashboard shows in a table's cell (a number, none, or suppressed)."""
    return figure is None or figure == "c" or isinstance(figure, int | float)


__all__ = [
    "COHORT_GROUP",
    "COUNT",
    "DENOMINATOR",
    "NOT_CHILD_COUNTS",
    "NOT_LISTED",
    "NUMERATOR",
    "Cohort",
    "about",
    "cell_at",
    "children_behind",
    "cohorts",
    "counted_behind",
    "drillable",
    "keys_of",
    "listed_cells",
    "listed_positions",
]
