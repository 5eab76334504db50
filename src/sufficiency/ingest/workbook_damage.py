"""Excel damage the cell reader cannot see: formulas with no saved result, merged cells, error
values, numbers formatted as percentages.

fastexcel (calamine) reads the value Excel saved for a formula, a merged range's value only in
its first cell, and an error value (#N/A, #REF!: a VLOOKUP pasted as values) as nothing; a
formula never calculated (a workbook written by a script), a merge over data or an error all
read as blank cells, silently; a number formatted as a percentage reads as the fraction it holds
(50% as 0.5), though no column of a return or register is a fraction. openpyxl sees them. It is
opened only when the worksheets hold a formula, a merge or an error at all, or the styles a
percentage format, so clean workbooks pay a byte search.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class CellDamage:
    """A cell that reads blank because of a formula with no saved result, a merge or an error;
    or a row Excel hides (``hidden_row``: read, though nobody sees it)."""

    kind: Literal["formula", "merged", "error", "hidden_row", "percent"]
    #: The spreadsheet row and (1-based) column of the cell that reads blank.
    row: int
    col: int
    #: The blank cell (``L4``); for a merge also its range (``K4:L4``) and first cell (``K4``).
    cell: str
    #: The formula text (``=B2*2``), the merged range, the error value (``#N/A``), or the
    #: number a percentage format shows as a per cent (``0.5``).
    value: str
    first: str = ""


_MARKS = (b"<f>", b"<f ", b"<mergeCell ", b't="e"', b'hidden="1"', b'hidden="true"')
#: A percentage number format in the styles: Excel's built-in 9 (``0%``) and 10 (``0.00%``),
#: or a format of the workbook's own with a per cent sign in its code.
_PERCENT_MARKS = (b'numFmtId="9"', b'numFmtId="10"', b"%")


def _may_be_damaged(data: bytes) -> bool:
    """True when some worksheet holds a formula, a merged range or an error value, or the styles
    hold a percentage format (a byte search, no parsing)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                marks: tuple[bytes, ...]
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    marks = _MARKS
                elif name == "xl/styles.xml":
                    marks = _PERCENT_MARKS
                else:
                    continue
                xml = zf.read(name)
                if any(mark in xml for mark in marks):
                    return True
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    return False


def find_damage(data: bytes) -> dict[str, list[CellDamage]]:
    """Per sheet title, the cells that read blank because of a formula, a merge or an error
    value, in order."""
    if not _may_be_damaged(data):
        return {}
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data))
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        return {}
    found: dict[str, list[CellDamage]] = {}
    for ws in formulas.worksheets:
        saved = values[ws.title]
        damage: list[CellDamage] = []
        for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            top = ws.cell(rng.min_row, rng.min_col).value
            if top is None or (isinstance(top, str) and not top.strip()):
                continue  # nothing was hidden: the merge covers blank cells only
            row, col = (
                (rng.min_row, rng.min_col + 1)
                if rng.max_col > rng.min_col
                else (rng.min_row + 1, rng.min_col)
            )
            damage.append(
                CellDamage(
                    "merged",
                    row,
                    col,
                    f"{get_column_letter(col)}{row}",
                    rng.coord,
                    f"{get_column_letter(rng.min_col)}{rng.min_row}",
                )
            )
        # rows hidden or filtered out: not blank, but read though Excel does not show them
        for r, dim in sorted(ws.row_dimensions.items()):
            if dim.hidden:
                damage.append(CellDamage("hidden_row", int(r), 0, str(r), ""))
        for cells in ws.iter_rows():
            for c in cells:
                result = saved.cell(c.row, c.column)
                if result.data_type == "e":
                    damage.append(
                        CellDamage("error", c.row, c.column, c.coordinate, str(result.value))
                    )
                elif _is_percent(result):
                    damage.append(
                        CellDamage("percent", c.row, c.column, c.coordinate, f"{result.value:g}")
                    )
                elif c.data_type == "f" and result.value is None:
                    text = (
                        c.value if isinstance(c.value, str) else str(getattr(c.value, "text", ""))
                    )
                    damage.append(CellDamage("formula", c.row, c.column, c.coordinate, text))
        if damage:
            found[ws.title] = damage
    return found


def _is_percent(cell: Any) -> bool:
    """A number (not a date or a boolean) whose format shows it as a per cent."""
    value = cell.value
    return (
        cell.data_type == "n"
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in str(cell.number_format)
    )
