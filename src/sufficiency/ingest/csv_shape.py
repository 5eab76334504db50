"""Rows of a CSV table that do not fit its header: too many fields, too few, none at all, or
a quote that is never closed on its line (the lines after it would be read as one cell).

Polars reads every row to the header's width; this module says which rows did not fit, by
their spreadsheet row (header = 1). The common, clean file is judged from its separator count
alone; only a file that fails that test is parsed again, record by record, with ``csv``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import polars as pl

from sufficiency.ingest.problems import LIMIT, Problem, capped
from sufficiency.ingest.tables import column_name

#: How much of the extra cells of a long row a problem quotes.
_QUOTE = 60

BLANK_ROW_MESSAGE = "this row is blank (only spaces or separators): it is skipped"

#: The csv module refuses a cell over 131,072 characters (with a traceback, in the middle of
#: reading): ingest reads whole files into memory anyway, and names a cell too long for its
#: column itself. Every reader of tables in ingest imports this module first.
csv.field_size_limit(2**31 - 1)


def _clean(text: bytes, delimiter: str, width: int) -> bool:
    """True when every line has exactly the header's number of separators."""
    newlines = text.count(b"\n")
    n_lines = newlines + (0 if text.endswith(b"\n") else 1)
    return text.count(delimiter.encode()) == (width - 1) * n_lines


def row_shape_problems(
    text: bytes, delimiter: str, width: int, blank_rows: int, display: str, header_row: int = 1
) -> list[Problem]:
    """Long rows (errors: cells would be lost), a short last row the file ends in without a line
    end (an error: the file was cut off), other short and blank rows (warnings), in file order.

    ``text`` starts at the header line, row ``header_row`` as a spreadsheet shows it;
    ``blank_rows`` is how many records Polars read as blank; trailing empty lines are not named.
    """
    if width < 1 or (blank_rows == 0 and _clean(text, delimiter, width)):
        return []
    records = list(csv.reader(io.StringIO(text.decode("utf-8"), newline=""), delimiter=delimiter))
    last_data = max(
        (i for i, fields in enumerate(records) if any(f.strip() for f in fields)), default=0
    )
    long: list[Problem] = []
    short: list[Problem] = []
    blank: list[Problem] = []
    for i, fields in enumerate(records[1:], start=1):
        row = i + header_row
        if not any(f.strip() for f in fields):
            if fields or i < last_data:
                blank.append(
                    Problem("warning", "blank_row", display, row, None, None, BLANK_ROW_MESSAGE)
                )
            continue
        n = len(fields)
        extra = fields[width:]
        if any(f.strip() for f in extra):
            value = delimiter.join(extra)
            long.append(
                Problem(
                    "error",
                    "long_row",
                    display,
                    row,
                    None,
                    value if len(value) <= _QUOTE else value[: _QUOTE - 3] + "...",
                    f"row has {n} fields; the header has {width}: the cells beyond the last "
                    "column would be lost (is there a separator inside a value that is not "
                    "quoted?)",
                )
            )
        elif n < width and i == last_data and not text.endswith(b"\n"):
            long.append(
                Problem(
                    "error",
                    "truncated_row",
                    display,
                    row,
                    None,
                    None,
                    f"row has {n} fields; expected {width}, and the file ends in it with no line "
                    "end: the file looks cut off (its last row and maybe more are missing): save "
                    "or export it again whole",
                )
            )
        elif n < width:
            short.append(
                Problem(
                    "warning",
                    "short_row",
                    display,
                    row,
                    None,
                    None,
                    f"row has {n} fields; expected {width} (one per header column): the missing "
                    "cells are read as blank",
                )
            )
    return capped(long) + capped(short) + capped(blank)


def _quote_message(column: str | None) -> str:
    where = f"the {column} cell" if column else "a cell"
    return (
        f'{where} of this row opens a quote (") that is not closed on the same line, so the '
        "lines after it are read as part of that cell and their rows are lost: remove the "
        "stray quote, or close it"
    )


def unclosed_quotes(
    frame: pl.DataFrame, row: str, display: str, delimiter: str = ","
) -> list[Problem]:
    """Errors for the cells of a table read from CSV that hold a line break (the caller looks
    only when the text has a quote at all). No SSDA903 field has one: a cell holding a whole
    row's worth of separators too is a stray quote that swallowed the lines after it
    (``unclosed_quote``); another is a value quoted over two lines (``line_break_in_cell``)."""
    cols = [c for c in frame.columns if c != row]
    if not cols:
        return []
    broken = [pl.col(c).str.contains(r"[\r\n]").fill_null(False) for c in cols]
    swallows = [
        b & (pl.col(c).str.count_matches(delimiter, literal=True) >= len(cols) - 1)
        for b, c in zip(broken, cols, strict=True)
    ]
    bad = frame.filter(pl.any_horizontal(broken)).with_columns(
        pl.any_horizontal(swallows).fill_null(False).alias("__swallows")
    )
    problems = []
    for swallowed in (True, False):
        found = bad.filter(pl.col("__swallows") == swallowed).head(LIMIT + 1)
        problems += capped(
            [
                _line_break(record, cols, row, display, swallowed)
                for record in found.iter_rows(named=True)
            ]
        )
    return problems


def _line_break(
    record: dict[str, Any], cols: list[str], row: str, display: str, swallowed: bool
) -> Problem:
    """The error for a record's first cell holding a line break: a stray quote's, or a value
    quoted over two lines."""
    column = next(
        c for c in cols if record[c] is not None and ("\n" in record[c] or "\r" in record[c])
    )
    value = str(record[column])
    return Problem(
        "error",
        "unclosed_quote" if swallowed else "line_break_in_cell",
        display,
        int(record[row]),
        column,
        value if len(value) <= _QUOTE else value[: _QUOTE - 3] + "...",
        _quote_message(column)
        if swallowed
        else f"the {column} cell holds a line break inside its quotes (its value is written "
        "over two lines): no SSDA903 field holds one, so the value is not what the return "
        "means (a postcode or code has no line break); put it on one line",
    )


def swallowed_rows(
    records: list[list[str]], delimiter: str, display: str, header_row: int = 1
) -> list[Problem]:
    """Errors for the cells of a register read by ``csv`` whose text runs over a line end into
    what reads as a whole row of the table (as many separators as the header): a stray quote
    swallowed it. A note written over two lines, as Excel allows, is not named. ``records[0]``
    is the header, at row ``header_row``."""
    if not records:
        return []
    header = records[0]
    need = len(header) - 1
    problems = []
    row = header_row
    for fields in records[1:]:
        row += 1
        for name, value in zip(header, fields, strict=False):
            lines = value.splitlines()
            if len(lines) > 1 and need and any(line.count(delimiter) >= need for line in lines):
                problems.append(
                    Problem(
                        "error",
                        "unclosed_quote",
                        display,
                        row,
                        name.strip(),
                        value if len(value) <= _QUOTE else value[: _QUOTE - 3] + "...",
                        _quote_message(name.strip()),
                    )
                )
                break
    return capped(problems)


def unclosed_quote_at_end(
    text: bytes, delimiter: str, display: str, header_row: int = 1
) -> Problem | None:
    """The error for a quote that runs to the end of the file (a CSV reader cannot read it),
    naming the row and column it opens in; None when the file has no such quote. ``text``
    starts at the header line, row ``header_row``."""
    reader = csv.reader(io.StringIO(text.decode("utf-8"), newline=""), delimiter=delimiter)
    header: list[str] = []
    last = 0
    for fields in reader:
        if reader.line_num == 1:
            header = fields
        elif any("\n" in f or "\r" in f for f in fields):
            column = column_name(header[len(fields) - 1]) if len(fields) <= len(header) else None
            value = fields[-1]
            return Problem(
                "error",
                "unclosed_quote",
                display,
                last + header_row,
                column,
                value if len(value) <= _QUOTE else value[: _QUOTE - 3] + "...",
                _quote_message(column),
            )
        last = reader.line_num
    return None
