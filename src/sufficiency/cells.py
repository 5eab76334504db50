"""Spreadsheet cells that stay data: formula injection neutralised in every CSV/XLSX export.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula (``=HYPERLINK(...)`` in a provider's name would run when an analyst opens the
export). CSV cells get a leading apostrophe (OWASP's advice); XLSX workbooks are written with
:data:`XLSX_OPTIONS`, so every string is stored as text, never as a formula or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    import polars as pl

T = TypeVar("T")

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

#: xlsxwriter Workbook options: strings are written as text (no formulas, no hyperlinks).
XLSX_OPTIONS: Final = {"strings_to_formulas": False, "strings_to_urls": False}


def safe_cell(value: T) -> T | str:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Numbers (negative ones too) pass through unchanged: only strings can carry a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of one CSV row passed through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell passed through :func:`safe_cell` (for a CSV written from
    a frame: a return's URN of ``=1+1`` went out as a formula in a region share)."""
    import polars as pl

    text = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_GUARDED))
        .then("'" + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )


def unsafe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """:func:`safe_frame` undone: a text cell's guarding apostrophe taken off (read back)."""
    import polars as pl

    text = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains("^'" + _GUARDED.removeprefix("^")))
        .then(pl.col(c).str.slice(1))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )


#: A text :func:`safe_frame` guards: one a spreadsheet would run, or one already starting with
#: the guard (so that :func:`unsafe_frame` gives back every text as it was).
_GUARDED: Final = "^[" + re.escape("".join(FORMULA_STARTS) + "'") + "]"
