"""Reading a register file into an all-text frame: CSV (encoding and delimiter found as the
returns' are, ``ingest.text_format``) or the register's sheet of an XLSX (a visible sheet before
a hidden one, hidden sheets found as the returns' are; formulas with no saved result and merged
cells named as the returns' are, ``ingest.workbook_damage``). Rows keep the number a spreadsheet
shows them at (header = row 1) in ``ROW``; rows that do not fit the header are named as the
returns' are (``ingest.csv_shape``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from sufficiency.ingest.csv_header import (
    find_header_row,
    header_problems,
    locate_header,
    rows_above,
    text_records,
)
from sufficiency.ingest.csv_shape import row_shape_problems, swallowed_rows
from sufficiency.ingest.problems import Problem, capped
from sufficiency.ingest.readers import REPEATED_HEADER_MESSAGE, damage_problems, xlsx_layout
from sufficiency.ingest.registers.validate import duplicate_names
from sufficiency.ingest.text_format import (
    DELIMITER_NAMES,
    decode_text,
    mixed_message,
    not_a_table,
)
from sufficiency.ingest.workbook_damage import find_damage
from sufficiency.ingest.workbook_size import too_large
from sufficiency.schema import REGISTERS
from sufficiency.schema.kinds import canonical_name

#: The column holding each row's spreadsheet row number.
ROW = "__row"


def read_errors() -> tuple[type[BaseException], ...]:
    """What reading a register or Ofsted file raises when the file is not what it claims."""
    import fastexcel

    return (
        OSError,
        ValueError,
        UnicodeDecodeError,
        csv.Error,
        pl.exceptions.PolarsError,
        fastexcel.FastExcelError,
    )


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none)."""
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def read_table(
    path: Path, label: str, name: str | None = None
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The file as text cells plus ``ROW``, and the problems met reading it (None on errors);
    ``name`` is the register (whose header line is looked for), else the file's stem.

    Raises one of :func:`read_errors` when the file cannot be read at all.
    """
    raw = path.read_bytes()
    other = not_a_table(raw)
    if other is not None:
        raise ValueError(other)
    is_header = _header_of(name or path.stem.lower())
    if path.suffix.lower() == ".xlsx" or raw.startswith(b"PK\x03\x04"):  # a workbook as .csv too
        refused = too_large(raw)
        if refused is not None:
            raise ValueError(refused)
        return _read_xlsx(raw, label, is_header)
    data, encoding = decode_text(raw)
    if data is None:
        raise ValueError(f"not a text file ({encoding})")
    place = locate_header(data, is_header)
    data, delimiter, header_row = place.text, place.delimiter, place.header_row
    records = text_records(data, delimiter)
    problems: list[Problem] = []
    mixed = mixed_message(encoding)
    if mixed is not None:
        problems.append(Problem.whole_file("warning", "mixed_encoding", label, mixed))
    if delimiter != "," and not place.declared:
        problems.append(
            Problem.whole_file(
                "warning",
                "register_delimiter",
                label,
                f"columns are separated by {DELIMITER_NAMES[delimiter]}, not commas "
                f"({encoding} text); read that way",
            )
        )
    if not records:
        return pl.DataFrame({ROW: []}, schema={ROW: pl.Int64}), problems
    problems += header_problems(place.above, header_row, len(records[0]), label, delimiter)
    blank = sum(1 for r in records[1:] if not any(cell.strip() for cell in r))
    problems += row_shape_problems(data, delimiter, len(records[0]), blank, label, header_row)
    problems += swallowed_rows(records, delimiter, label, header_row)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return _frame(records, label, problems, header_row)


def _header_of(name: str) -> Callable[[Sequence[str]], bool]:
    """Whether a line is register ``name``'s header: it names one of the columns a file of the
    register must have (any declared column when none must be there)."""
    schema = REGISTERS.get(name)
    if schema is None:
        return lambda cells: False
    must = {c.name for c in schema.columns if c.must_be_present} or set(schema.column_names)

    def is_header(cells: Sequence[str]) -> bool:
        return any(schema.aliases.get(canonical_name(c), canonical_name(c)) in must for c in cells)

    return is_header


def _read_xlsx(
    data: bytes, label: str, is_header: Callable[[Sequence[str]], bool]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The register's sheet of a workbook (:func:`_register_sheet`) as text records, numbered
    as Excel shows its rows (blank rows and columns around the table included), and the cells
    that read blank because of a formula with no saved result or a merge (errors, as in a
    return: ``workbook_damage``)."""
    sheets = pl.read_excel(
        io.BytesIO(data),
        sheet_id=0,
        has_header=False,
        infer_schema_length=0,
        drop_empty_rows=False,
        drop_empty_cols=False,
        raise_if_empty=False,
    )
    if not sheets:
        return pl.DataFrame({ROW: []}, schema={ROW: pl.Int64}), []
    origins, hidden = xlsx_layout(data)
    name = _register_sheet(sheets, hidden, is_header)
    sheet = sheets[name]
    unread = _other_sheets(sheets, name, hidden, label)
    records = _records(sheet)
    if not records:
        return pl.DataFrame({ROW: []}, schema={ROW: pl.Int64}), unread
    first_row, first_col = origins.get(name, (1, 1))
    index = find_header_row(records, is_header)
    header_row = first_row + index
    above = header_problems(
        rows_above(records, index, first_row), header_row, len(records[index]), label
    )
    records = records[index:]
    columns = {first_col + i: canonical_name(n) for i, n in enumerate(records[0]) if n.strip()}
    problems = damage_problems(find_damage(data).get(name, []), label, header_row, columns)
    if problems or any(p.severity == "error" for p in above):
        return None, unread + above + problems
    return _frame(records, label, unread + above, header_row)


def _register_sheet(
    sheets: dict[str, pl.DataFrame],
    hidden: frozenset[str],
    is_header: Callable[[Sequence[str]], bool],
) -> str:
    """The register's sheet: the first whose top rows hold its header line, a visible sheet
    before a hidden one (a hidden sheet is often an old copy); else the first visible sheet."""
    order = sorted(sheets, key=lambda n: n in hidden)  # stable: visible sheets first, in order
    return next((n for n in order if any(map(is_header, _records(sheets[n].head(20))))), order[0])


def _other_sheets(
    sheets: dict[str, pl.DataFrame], name: str, hidden: frozenset[str], label: str
) -> list[Problem]:
    """The warning naming the sheets besides the register's that hold values, hidden ones
    apart (left out, as likely an old copy), and which sheet is read."""
    others = [n for n, frame in sheets.items() if n != name and _has_values(frame)]
    if not others:
        return []
    shown = [n for n in others if n not in hidden]
    kept_out = [n for n in others if n in hidden]
    why = "its header names the register's columns" + (
        "; it is hidden in Excel" if name in hidden else ""
    )
    read = (
        f"only the first sheet ({name}) is read"
        if name == next(iter(sheets))
        else f"the {name} sheet is read ({why})"
    )
    parts = [f"{read}: a register is one sheet"]
    if shown:
        parts.append(
            f"sheet(s) {', '.join(shown)} hold values that are not read (put every row on the "
            "register's sheet)"
        )
    if kept_out:
        parts.append(
            f"sheet(s) {', '.join(kept_out)} are hidden in Excel and left out (an old "
            "copy? delete it, or unhide it and put its rows on the register's sheet)"
        )
    return [Problem.whole_file("warning", "register_other_sheets", label, "; ".join(parts))]


def _records(sheet: pl.DataFrame) -> list[list[str]]:
    """A sheet read with no header as rows of text cells (blank as '')."""
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.select(pl.all().cast(pl.Utf8)).iter_rows()
    ]


def _has_values(frame: pl.DataFrame) -> bool:
    """Whether a sheet read as text holds any cell that is not blank."""
    if frame.width == 0 or frame.height == 0:
        return False
    text = frame.select(pl.all().cast(pl.Utf8).str.strip_chars())
    return bool(
        text.select(pl.any_horizontal(pl.all().is_not_null() & (pl.all() != "")).any()).item()
    )


def _frame(
    records: list[list[str]], label: str, problems: list[Problem], header_row: int = 1
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Records (header first, rows no wider than it) as a text frame, blank rows skipped, each
    row numbered as a spreadsheet shows it (the header at ``header_row``); a column with values
    but no name is an error."""
    header = records[0]
    width = len(header)
    canon = [canonical_name(n) for n in header]
    rows = [
        (number, (record + [""] * width)[:width])
        for number, record in enumerate(records[1:], start=header_row + 1)
        if any(cell.strip() for cell in record)
    ]
    repeats = [
        n
        for n, cells in rows
        if canonical_name(cells[0]) == canon[0] and [canonical_name(c) for c in cells] == canon
    ]
    if repeats:
        problems += capped(
            [
                Problem("warning", "repeated_header", label, n, None, None, REPEATED_HEADER_MESSAGE)
                for n in repeats
            ]
        )
        rows = [(n, cells) for n, cells in rows if n not in set(repeats)]
    keep: list[int] = []
    for i, name in enumerate(header):
        if name.strip():
            keep.append(i)
        elif any(cells[i].strip() for _, cells in rows):
            problems.append(
                Problem(
                    "error",
                    "register_unnamed_column",
                    label,
                    header_row,
                    None,
                    None,
                    f"column {i + 1} has values but no name in the header row",
                )
            )
    names = [header[i] for i in keep]
    if len(set(names)) != len(names):
        problems += duplicate_names(names, label)
    if any(p.severity == "error" for p in problems):
        return None, problems
    columns: dict[str, list[object]] = {ROW: [n for n, _ in rows]}
    for i, name in zip(keep, names, strict=True):
        columns[name] = [cells[i] for _, cells in rows]
    schema = {ROW: pl.Int64, **dict.fromkeys(names, pl.Utf8)}
    return pl.DataFrame(columns, schema=schema), problems
