"""What a measure's cohort is (``Cohort``) and the helpers the cohort families build it with.

A cohort names the children a measure counts, one frame built with the very functions and
expressions the measure uses. Its ``members`` are the cells each child is counted in: CHILD, row,
column (``row`` a breakdown's, table's or record's key, ``column`` a table's column, a share's
``count`` / ``denominator`` or a record's figure; ``COUNT`` when there is none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr
from sufficiency.measures.catalogue import Period
from sufficiency.measures.common import age_band_expr, code_group_expr

Frame = Callable[[Dataset, Period], pl.DataFrame]
Expr = Callable[[], pl.Expr]

#: Cell keys of a single count, and of a share's two counts (the dashboard's "Children", "Out of").
COUNT = ""
NUMERATOR = "count"
DENOMINATOR = "denominator"
#: The columns of ``Cohort.members``.
MEMBERS = {"CHILD": pl.Utf8, "row": pl.Utf8, "column": pl.Utf8}


@dataclass(frozen=True)
class Cohort:
    """The children a measure counts: ``frame`` (one row per child, with CHILD); ``key`` puts
    each child in a breakdown's cell (nulls are ``unknown``, as ``common.counts`` has them);
    ``counted`` is a share's numerator (its denominator is the whole frame); ``column`` is a
    table's column key. With ``cells`` the frame gives the members itself (``MEMBERS``: a
    record's figures, a share built from two frames). With ``events`` each row is one thing
    counted (a move) and a child may be behind several. ``unlisted`` names the keys of cells
    that count children but are not a set of them (a stream's exits, start + entries - end),
    or whose people are not children of the returns."""

    frame: Frame
    key: Expr | None = None
    counted: Expr | None = None
    column: Expr | None = None
    cells: bool = False
    events: bool = False
    unlisted: tuple[str, ...] = ()

    def members(self, ds: Dataset, period: Period) -> pl.DataFrame:
        """Every child in every cell (``MEMBERS``), once per thing counted."""
        frame = self.frame(ds, period)
        if self.cells:
            return frame.select(*MEMBERS)
        row = key_of(self.key()) if self.key is not None else pl.lit(COUNT)
        if self.counted is None:
            column = key_of(self.column()) if self.column is not None else pl.lit(COUNT)
            return frame.select(_member(row, column))
        counted = frame.filter(self.counted().fill_null(False))
        return pl.concat(
            [
                counted.select(_member(row, pl.lit(NUMERATOR))),
                frame.select(_member(row, pl.lit(DENOMINATOR))),
            ]
        )


def _member(row: pl.Expr, column: pl.Expr) -> list[pl.Expr]:
    return [pl.col("CHILD").cast(pl.Utf8), row.alias("row"), column.alias("column")]


def key_of(expr: pl.Expr) -> pl.Expr:
    """A cell key as ``common.counts`` names it: text, blanks ``unknown``."""
    return expr.cast(pl.Utf8).fill_null("unknown")


def cell(frame: pl.DataFrame, row: str = COUNT, column: str = COUNT) -> pl.DataFrame:
    """The children of ``frame`` (CHILD) as the members of one cell."""
    return frame.select(_member(pl.lit(row), pl.lit(column)))


def keyed(frame: pl.DataFrame, row: pl.Expr, column: str = COUNT) -> pl.DataFrame:
    """The children of ``frame`` as members of the cells ``row`` keys, in ``column``."""
    return frame.select(_member(key_of(row), pl.lit(column)))


def members(*parts: pl.DataFrame) -> pl.DataFrame:
    """The members of several cells in one frame (none: an empty one)."""
    return pl.concat([p.select(*MEMBERS) for p in parts]) if parts else none()


def none() -> pl.DataFrame:
    """No members (the register or table the measure reads is absent)."""
    return pl.DataFrame(schema=MEMBERS)


def banded(bands: Sequence[tuple[str, int, int | None]], age: str = "") -> Expr:
    return lambda: age_band_expr(age_expr(age) if age else pl.col("age"), bands)


def grouped(column: str, groups: Mapping[str, tuple[str, ...]], default: str) -> Expr:
    return lambda: code_group_expr(column, groups, default)


def of_child_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """A register's rows with their ``child_id`` as CHILD."""
    return frame.rename({"child_id": "CHILD"})


__all__ = [
    "COUNT",
    "DENOMINATOR",
    "MEMBERS",
    "NUMERATOR",
    "Cohort",
    "Frame",
    "banded",
    "cell",
    "grouped",
    "key_of",
    "keyed",
    "members",
    "none",
    "of_child_ids",
]
