"""Writing a register: the one codec for export (CSV and XLSX) that ``load_registers`` reads back
to the same typed frame.

Canonical text by the declaration (``schema.kinds.to_text``): ISO dates, yyyy-mm months, yes/no,
``;``-joined lists, numbers as Polars writes them. Text a spreadsheet would run as a formula gets
a leading apostrophe in CSV (``sufficiency.cells``), which reading removes again; XLSX stores
every string as text and numbers as numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from sufficiency.cells import XLSX_OPTIONS, safe_cell
from sufficiency.schema import REGISTERS, typed_register
from sufficiency.schema.columns import LIST_KINDS, NUMBER_KINDS, TEXT_KINDS
from sufficiency.schema.kinds import to_text


def text_frame(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Register ``name`` as canonical text: every declared column in order, then extra columns."""
    schema = REGISTERS[name]
    typed = typed_register(name, frame)
    declared = set(schema.column_names)
    return typed.select(
        *[to_text(c, pl.col(c.name)).alias(c.name) for c in schema.columns],
        *[pl.col(x).cast(pl.Utf8) for x in typed.columns if x not in declared],
    )


def _guarded(name: str, columns: list[str]) -> set[str]:
    """Columns whose cells may be free text (so may look like a formula)."""
    schema = REGISTERS[name]
    plain = {c.name for c in schema.columns if c.kind not in TEXT_KINDS | LIST_KINDS}
    return {c for c in columns if c not in plain}


def csv_text(name: str, frame: pl.DataFrame) -> str:
    """Register ``name`` as CSV text (UTF-8, comma-separated, header row)."""
    text = text_frame(name, frame)
    guarded = _guarded(name, text.columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(text.columns)
    for row in text.iter_rows():
        writer.writerow(
            [
                "" if v is None else (safe_cell(v) if c in guarded else v)
                for c, v in zip(text.columns, row, strict=True)
            ]
        )
    return out.getvalue()


def xlsx_bytes(name: str, frame: pl.DataFrame) -> bytes:
    """Register ``name`` as an XLSX workbook of one sheet (numbers as numbers, the rest text)."""
    import xlsxwriter

    schema = REGISTERS[name]
    numbers = {c.name for c in schema.columns if c.kind in NUMBER_KINDS}
    typed = typed_register(name, frame)
    text = text_frame(name, frame)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, text.columns)
    for c, column in enumerate(text.columns):
        values = typed.get_column(column) if column in numbers else text.get_column(column)
        for r, value in enumerate(values.to_list(), start=1):
            if value is None:
                continue
            if column in numbers:
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def write_register(name: str, frame: pl.DataFrame, path: Path) -> Path:
    """Write register ``name`` to ``path`` as CSV or XLSX (by its suffix); returns ``path``."""
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(xlsx_bytes(name, frame))
    else:
        path.write_text(csv_text(name, frame), encoding="utf-8", newline="")
    return path
