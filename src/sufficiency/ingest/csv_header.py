"""Where a text table's header line is: after Excel's ``sep=`` line, a report title or blank
lines, the header is the first line naming one of the table's columns.

Excel writes (and reads) a first line ``sep=,`` naming the separator, and hides it, so the header
is row 1 as a spreadsheet shows it. A title or blank lines above the header are rows Excel shows:
the header keeps its row number there, and so does every row below it. Lines above the header
that hold values like a row of the table (a sort that took the header line with it) would be
lost: an error. Returns and registers, CSV and XLSX, find their header with this one rule.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sufficiency.ingest import csv_shape  # noqa: F401  (the csv module's cell limit raised)
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.text_format import DELIMITER_NAMES, sniff_delimiter

#: How many lines from the top the header is looked for in (as for a workbook's title rows).
HEADER_SEARCH = 20
#: ``sep=,`` (Excel's hint), alone on the first line, quoted or not, any case.
_SEP_LINE = re.compile(rb'\A"?sep=([,;\t|])"?[ \t]*(?:\r?\n|\Z)', re.IGNORECASE)
#: How much of the lines above a header a problem quotes.
_QUOTE = 60

#: Whether a line's cells are the table's header line.
IsHeader = Callable[[Sequence[str]], bool]


@dataclass(frozen=True)
class HeaderPlace:
    """A text table from its header line on, and what came before the header."""

    #: The text from the header line on.
    text: bytes
    delimiter: str
    #: True when a ``sep=`` line named the delimiter (no need to warn about it).
    declared: bool
    #: The header's row as a spreadsheet shows it (1 when it is the first line).
    header_row: int
    #: (row, cells) of each line above the header that is not blank.
    above: tuple[tuple[int, tuple[str, ...]], ...] = ()


def _cells(line: bytes, delimiter: str) -> list[str]:
    """One line's cells (quotes read as CSV does)."""
    text = line.decode("utf-8", errors="replace").rstrip("\r")
    return next(csv.reader([text], delimiter=delimiter), [])


def _blank(cells: Sequence[str]) -> bool:
    return not any(c.strip() for c in cells)


def locate_header(text: bytes, is_header: IsHeader) -> HeaderPlace:
    """Where the header of CSV text (UTF-8, ``decode_text``'s) is, and its delimiter.

    A first line ``sep=X`` is dropped and names the delimiter. The header is the first of the top
    HEADER_SEARCH lines that ``is_header`` accepts (split by the named delimiter, else by the
    first of comma, ``;``, tab and ``|`` that makes it a header); when none is, the first line
    that is not blank (so a table with no known column is judged by its first line as before).
    """
    declared = None
    sep = _SEP_LINE.match(text)
    if sep is not None:
        declared = sep.group(1).decode()
        text = text[sep.end() :]
    if not text.startswith((b"\n", b"\r\n")):
        first = text[: text.find(b"\n")] if b"\n" in text else text
        delimiter = declared or sniff_delimiter(text)
        if is_header(_cells(first, delimiter)):  # the common case: the header comes first
            return HeaderPlace(text, delimiter, declared is not None, 1)
    lines = text.split(b"\n", HEADER_SEARCH)[:HEADER_SEARCH]
    candidates = [declared] if declared else [",", *DELIMITER_NAMES]
    found: tuple[int, str] | None = None
    for i, line in enumerate(lines):
        found = next(((i, d) for d in candidates if is_header(_cells(line, d))), None)
        if found is not None:
            break
    if found is None:
        index = next((i for i, line in enumerate(lines) if line.strip()), 0)
        found = (index, declared or sniff_delimiter(lines[index] if lines else b""))
    index, delimiter = found
    start = sum(len(line) + 1 for line in lines[:index])
    above = tuple(
        (i + 1, tuple(_cells(line, delimiter)))
        for i, line in enumerate(lines[:index])
        if not _blank(_cells(line, delimiter))
    )
    return HeaderPlace(text[start:], delimiter, declared is not None, index + 1, above)


def find_header_row(records: Sequence[Sequence[str]], is_header: IsHeader) -> int:
    """The index of the header among a sheet's records: the first of the top HEADER_SEARCH
    that ``is_header`` accepts, else the first that is not blank (0 for none)."""
    top = records[:HEADER_SEARCH]
    found = next((i for i, r in enumerate(top) if is_header(r)), None)
    if found is None:
        found = next((i for i, r in enumerate(top) if not _blank(r)), 0)
    return found


def rows_above(
    records: Sequence[Sequence[str]], index: int, first_row: int = 1
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(row, cells) of the records above the header (``index``) that are not blank."""
    return tuple((first_row + i, tuple(r)) for i, r in enumerate(records[:index]) if not _blank(r))


def _shown(cells: Sequence[str], delimiter: str) -> str:
    text = delimiter.join(cells).strip(delimiter + " ")
    return text if len(text) <= _QUOTE else text[: _QUOTE - 3] + "..."


def header_problems(
    above: Sequence[tuple[int, Sequence[str]]],
    header_row: int,
    width: int,
    display: str,
    delimiter: str = ",",
) -> list[Problem]:
    """The problem for lines above a header of ``width`` columns: none when they are blank; a
    warning when they read as a title (fewer than half the columns filled: skipped); an error
    when any holds values like a row of the table (they would be lost)."""
    if not above:
        return []
    need = max(2, (width + 1) // 2)
    rows = [(r, cells) for r, cells in above if sum(1 for c in cells if c.strip()) >= need]
    where = f"the header is on line {header_row}, not line 1"
    if rows:
        named = ", ".join(str(r) for r, _ in rows[:5]) + (" ..." if len(rows) > 5 else "")
        return [
            Problem(
                "error",
                "header_not_first",
                display,
                header_row,
                None,
                _shown(rows[0][1], delimiter),
                f"{where}, and line(s) {named} above it hold values like a row of the table: "
                "they would be lost. Put the header line first (was the file sorted with its "
                "header?)",
            )
        ]
    title = " / ".join(_shown(cells, delimiter) for _, cells in above[:3])
    return [
        Problem(
            "warning",
            "header_not_first",
            display,
            header_row,
            None,
            title if len(title) <= _QUOTE else title[: _QUOTE - 3] + "...",
            f"{where}: the line(s) above it ('{title}') are read as a title and skipped; rows "
            "are numbered as a spreadsheet shows them",
        )
    ]


def text_records(text: bytes, delimiter: str) -> list[list[str]]:
    """Every record of CSV text (a quoted cell may span lines)."""
    return list(csv.reader(io.StringIO(text.decode("utf-8"), newline=""), delimiter=delimiter))
