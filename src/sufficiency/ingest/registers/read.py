"""Reading a register file into an all-text frame: CSV (any delimiter the header shows, in the
encodings the returns accept) or the first sheet of an XLSX. Rows keep the number a spreadsheet
shows them at (header = row 1) in ``ROW``; a row with more cells than the header is named."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.readers import decode_text
from sufficiency.ingest.registers.validate import duplicate_names

#: The column holding each row's spreadsheet row number.
ROW = "__row"
#: Delimiters a register CSV may use; the header line decides (a comma when it shows none).
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
#: Most ragged rows named in one file before a single "and N more".
MAX_RAGGED = 20


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


def delimiter_of(header_line: str) -> str:
    """The delimiter the header line uses most (a comma when it shows none of them)."""
    best = max(DELIMITERS, key=header_line.count)
    return best if header_line.count(best) else ","


def read_table(path: Path, label: str) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The file as text cells plus ``ROW``, and the problems met reading it (None on errors).

    Raises one of :func:`read_errors` when the file cannot be read at all.
    """
    if path.suffix.lower() == ".xlsx":
        frame = pl.read_excel(path, infer_schema_length=0)
        frame = frame.select(pl.all().cast(pl.Utf8)).with_row_index(ROW, offset=2)
        return frame.with_columns(pl.col(ROW).cast(pl.Int64)), []
    data, encoding = decode_text(path.read_bytes())
    if data is None:
        raise ValueError(f"not a text file ({encoding})")
    text = data.decode("utf-8")
    delimiter = delimiter_of(text.split("\n", 1)[0])
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    problems: list[Problem] = []
    if delimiter != ",":
        problems.append(
            Problem.whole_file(
                "warning",
                "register_delimiter",
                label,
                f"columns are separated by {_DELIMITER_NAMES[delimiter]}, not commas "
                f"({encoding} text); read that way",
            )
        )
    if not records:
        return pl.DataFrame({ROW: []}, schema={ROW: pl.Int64}), problems
    return _frame(records, label, problems)


def _frame(
    records: list[list[str]], label: str, problems: list[Problem]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Records (header first) as a text frame; unnamed columns with values and rows with more
    cells than the header are errors."""
    header = records[0]
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    ragged: list[Problem] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line carries nothing
        beyond = [cell for cell in record[width:] if cell.strip()]
        if beyond:
            ragged.append(
                Problem(
                    "error",
                    "register_ragged_row",
                    label,
                    number,
                    None,
                    "; ".join(beyond),
                    f"row has {len(record)} cells but the header names {width} columns "
                    f"(cells beyond the last column: {', '.join(repr(c) for c in beyond)})",
                )
            )
            continue
        rows.append((number, (record + [""] * width)[:width]))
    if len(ragged) > MAX_RAGGED:
        ragged = [
            *ragged[:MAX_RAGGED],
            Problem.whole_file(
                "error",
                "register_ragged_row",
                label,
                f"... and {len(ragged) - MAX_RAGGED} more rows with more cells than the header",
            ),
        ]
    problems += ragged
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
                    1,
                    None,
                    None,
                    f"column {i + 1} has values but no name in the header row",
                )
            )
    if any(p.severity == "error" for p in problems):
        return None, problems
    names = [header[i] for i in keep]
    if len(set(names)) != len(names):
        return None, problems + duplicate_names(names, label)
    columns: dict[str, list[object]] = {ROW: [n for n, _ in rows]}
    for i, name in zip(keep, names, strict=True):
        columns[name] = [cells[i] for _, cells in rows]
    schema = {ROW: pl.Int64, **dict.fromkeys(names, pl.Utf8)}
    return pl.DataFrame(columns, schema=schema), problems
