"""File readers: CSV (any delimiter and encoding ``text_format`` finds), XLSX and the DfE XML.

Every reader gives :class:`RawSheet` objects: all-text Polars frames with DfE column names
(stripped, upper-cased), blank cells as null, and a ``_row`` column holding the line a
spreadsheet shows for each record (header = 1). Readers never raise on bad input: each known
failure (unreadable bytes, bad encoding, broken zip, malformed XML) becomes a Problem, and so
does what would silently change a value: rows that do not fit the header (``csv_shape``),
formulas with no saved result, error values and merged cells (``workbook_damage``).
"""

from __future__ import annotations

import io
import re
import xml.parsers.expat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from sufficiency.ingest.csv_header import header_problems, locate_header, rows_above
from sufficiency.ingest.csv_shape import (
    BLANK_ROW_MESSAGE,
    row_shape_problems,
    unclosed_quote_at_end,
    unclosed_quotes,
)
from sufficiency.ingest.problems import Problem, capped, shown
from sufficiency.ingest.tables import column_name
from sufficiency.ingest.text_format import (
    DELIMITER_NAMES,
    decode_text,
    mixed_message,
    not_a_table,
)
from sufficiency.ingest.workbook_damage import CellDamage, find_damage
from sufficiency.ingest.workbook_size import too_large
from sufficiency.schema.kinds import canonical_name_expr

ROW = "_row"
#: The column naming the file a row came from, where rows of several returns are together.
FILE = "_file"
#: What a row repeating the header line says (returns and registers alike).
REPEATED_HEADER_MESSAGE = (
    "this row repeats the header line (were two files joined into one?): it is skipped, "
    "and the rows after it are read"
)
_BLANK = re.compile(rb"\s*\Z")


@dataclass
class RawSheet:
    """One table-shaped block read from a file (a CSV, a workbook sheet, or an XML group)."""

    #: Name that hints at the table: the file stem, the sheet name, or the XML table name.
    hint: str
    #: How problems name the source: ``ssda903/2023/episodes.csv`` or ``.../return.xlsx:Header``.
    file: str
    frame: pl.DataFrame
    #: The table when the source fixes it (XML); None means recognise by name then columns.
    table: str | None = None
    #: True when the source held no data at all (zero bytes or only whitespace).
    blank: bool = False
    #: The spreadsheet row of the header line (column problems point at it).
    header_row: int = 1


def _unreadable(file: str, message: str) -> Problem:
    return Problem("error", "file_unreadable", file, None, None, None, message)


def read_any(path: Path, display: str) -> tuple[list[RawSheet], list[Problem]]:
    """Read one file whatever its format, choosing the reader by content first, then suffix."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [_unreadable(display, f"cannot read the file: {exc.strerror or exc}")]
    if _BLANK.match(data):
        return [RawSheet(path.stem, display, pl.DataFrame(), blank=True)], []
    other = not_a_table(data)
    if other is not None:
        return [], [_unreadable(display, other)]
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return read_xlsx(data, path.stem, display)
    if head.startswith((b"\xd0\xcf\x11\xe0",)):
        return [], [
            _unreadable(
                display,
                "this is an old-style Excel .xls workbook: save it as .xlsx or CSV",
            )
        ]
    if _looks_like_xml(data):
        return read_xml(data, display)
    return read_csv(data, path.stem, display)


def _looks_like_xml(data: bytes) -> bool:
    """True for text starting with ``<`` after a byte-order mark and spaces, in UTF-8 or in
    UTF-16 (a return saved as UTF-16 XML was read as an unknown table)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:4096].decode("utf-16", errors="ignore")
        return head.lstrip("\ufeff \t\r\n").startswith("<")
    return data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


# --------------------------------------------------------------------------------------- CSV
#: How Polars names a CSV header's repeated name: ``PLACE_duplicated_0`` for the second PLACE.
_POLARS_COPY = re.compile(r"^(.*)_duplicated_\d+$")


def _normalise_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """DfE column names (``column_name``), a repeated name marked as ``_unique_names`` marks
    it (whether Polars renamed an exact repeat or the names differ only in case)."""
    names = []
    for c in frame.columns:
        copy = _POLARS_COPY.match(c)
        base = copy.group(1) if copy and copy.group(1) in frame.columns else c
        names.append(base if base == ROW else column_name(base))
    return frame.rename(dict(zip(frame.columns, _unique_names(names), strict=True)))


def _finish(frame: pl.DataFrame, first_row: int = 2) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add the spreadsheet row number and drop the rows with no data (blank or only spaces).

    Returns the frame and the dropped rows (``_row`` and ``spaces``: the row held some spaces,
    so a reader may name it).
    """
    frame = _normalise_columns(frame)
    cols = [c for c in frame.columns if c != ROW]
    if ROW not in frame.columns:
        frame = frame.with_row_index(ROW, offset=first_row).with_columns(pl.col(ROW).cast(pl.Int64))
    if not cols:
        return frame, frame.select(ROW, pl.lit(False).alias("spaces")).clear()
    empty = pl.all_horizontal(pl.col(c).is_null() for c in cols)
    blank = pl.all_horizontal(
        pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in cols
    )
    # Only rows whose first cell is blank can be blank: test the others on those alone.
    first = pl.col(cols[0])
    maybe = frame.with_row_index("__i").filter(first.is_null() | (first.str.strip_chars() == ""))
    dropped = maybe.filter(blank)
    if dropped.height == 0:
        return frame, dropped.select(ROW, (~empty).alias("spaces"))
    keep = ~pl.int_range(pl.len()).is_in(dropped.get_column("__i").cast(pl.Int64).implode())
    return frame.filter(keep), dropped.select(ROW, (~empty).alias("spaces"))


def read_csv(data: bytes, hint: str, display: str) -> tuple[list[RawSheet], list[Problem]]:
    """Read CSV bytes into a RawSheet; report undecodable or malformed files and rows that do
    not fit the header. The delimiter is found from the header line (and named when not a comma).
    """
    text, encoding = decode_text(data)
    if text is None:
        what = "a binary file" if encoding == "binary" else "text in an unknown encoding"
        return [], [
            _unreadable(
                display,
                f"this is {what}, not a CSV file: expected comma-separated text in UTF-8, "
                "UTF-16 or Windows-1252 (or an .xlsx workbook / DfE XML return)",
            )
        ]
    place = locate_header(text, _names_child)
    text, delimiter = place.text, place.delimiter
    problems: list[Problem] = []
    mixed = mixed_message(encoding)
    if mixed is not None:
        problems.append(Problem.whole_file("warning", "mixed_encoding", display, mixed))
    if delimiter != "," and not place.declared:
        problems.append(
            Problem(
                "warning",
                "delimiter_detected",
                display,
                None,
                None,
                delimiter,
                f"the columns are separated by {DELIMITER_NAMES[delimiter]} ({delimiter!r}), "
                "not commas: the file is read so",
            )
        )
    try:
        frame = pl.read_csv(
            text,
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.ComputeError as exc:
        quote = unclosed_quote_at_end(text, delimiter, display, place.header_row)
        if quote is not None:
            return [], [*problems, quote]
        first = str(exc).splitlines()[0] if str(exc) else "malformed CSV"
        return [], [_unreadable(display, f"not a readable CSV file: {first}")]
    if frame.width == 0:
        return [RawSheet(hint, display, pl.DataFrame(), blank=True)], problems
    width = frame.width
    problems += header_problems(place.above, place.header_row, width, display, delimiter)
    frame, dropped = _finish(frame, place.header_row + 1)
    problems += row_shape_problems(
        text, delimiter, width, dropped.height, display, place.header_row
    )
    frame, repeats = _repeated_headers(frame, display)
    problems += repeats
    if b'"' in text:  # only a quote can carry a line break into a cell
        problems += unclosed_quotes(frame, ROW, display, delimiter)
    return [RawSheet(hint, display, frame, header_row=place.header_row)], problems


def _repeated_headers(frame: pl.DataFrame, display: str) -> tuple[pl.DataFrame, list[Problem]]:
    """The table without rows that repeat its header line (two exports joined into one file),
    and a warning for each: every cell of such a row would be named as a bad value. A cell
    names its column as the header's does (``_normalise_columns``: any case, padded or not)."""
    cols = [c for c in frame.columns if c != ROW]
    if not cols:
        return frame, []

    def names(c: str) -> pl.Expr:
        cell = canonical_name_expr(pl.col(c).str.strip_chars()).str.to_uppercase()
        return cell.fill_null("") == (copy_of(c) or c)

    first = re.escape(copy_of(cols[0]) or cols[0])
    # the common file: no row to look at (one regex pass: a third of upper-casing every cell)
    if not frame.select(pl.col(cols[0]).str.contains(rf"(?i)^\s*{first}\s*$").any()).item():
        return frame, []
    same = pl.all_horizontal(names(c) for c in cols)
    rows = frame.filter(same).get_column(ROW)
    problems = [
        Problem(
            "warning",
            "repeated_header",
            display,
            int(r),
            None,
            None,
            REPEATED_HEADER_MESSAGE,
        )
        for r in rows
    ]
    return frame.filter(~same), capped(problems)


def _names_child(cells: Sequence[str]) -> bool:
    """Whether a line is an SSDA903 table's header: every table has a CHILD column."""
    return any(c.strip().upper() == "CHILD" for c in cells)


# -------------------------------------------------------------------------------------- XLSX
def read_xlsx(data: bytes, hint: str, display: str) -> tuple[list[RawSheet], list[Problem]]:
    """Read every sheet of a workbook as text (one sheet per table, or one table per file).

    The header line is the first of a sheet's top rows holding a CHILD cell, so a title line
    above the table is skipped; rows keep the numbers Excel shows.
    """
    import fastexcel

    refused = too_large(data)
    if refused is not None:
        return [], [_unreadable(display, refused)]
    try:
        sheets = pl.read_excel(
            io.BytesIO(data),
            sheet_id=0,
            engine="calamine",
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            drop_empty_cols=False,
            raise_if_empty=False,
        )
    except fastexcel.FastExcelError as exc:
        first = str(exc).splitlines()[0]
        return [], [_unreadable(display, f"not a readable .xlsx workbook: {first}")]
    out: list[RawSheet] = []
    problems: list[Problem] = []
    many = len(sheets) > 1
    origins, hidden_sheets = xlsx_layout(data)
    damage = find_damage(data)
    for name, raw in sheets.items():
        where = f"{display}:{name}" if many else display
        sheet_hint = name if many else hint
        if raw.width == 0 or raw.height == 0:
            out.append(RawSheet(sheet_hint, where, pl.DataFrame(), blank=True))
            continue
        raw = raw.with_columns(pl.all().cast(pl.Utf8))
        top = raw.head(_HEADER_SEARCH).with_row_index("__i")
        marks = top.filter(
            pl.any_horizontal(
                pl.col(c).str.strip_chars().str.to_uppercase() == "CHILD" for c in raw.columns
            )
        )
        h = int(marks.get_column("__i")[0]) if marks.height else 0
        if name in hidden_sheets and marks.height:
            problems.append(
                Problem.whole_file(
                    "warning",
                    "hidden_sheet",
                    where,
                    "this sheet is hidden in Excel but holds a table (it has a CHILD column): "
                    "it is read with the others, so its rows count; unhide it to check it "
                    "belongs to this return, or delete it",
                )
            )
        names = _unique_names(
            [(v if v is not None else f"__BLANK{i}") for i, v in enumerate(raw.row(h))]
        )
        frame = raw.slice(h + 1).rename(dict(zip(raw.columns, names, strict=True)))
        frame = frame.drop([c for c in frame.columns if c.startswith("__BLANK")])
        first_row, first_col = origins.get(name, (1, 1))
        header_row = first_row + h
        if h:  # a title above the table is skipped (as Excel users expect); rows are not
            top_rows = [["" if v is None else str(v) for v in raw.row(i)] for i in range(h)]
            above = rows_above(top_rows, h, first_row)
            problems += [
                p
                for p in header_problems(above, header_row, frame.width, where)
                if p.severity == "error"
            ]
        frame, dropped = _finish(frame, header_row + 1)
        frame, repeats = _repeated_headers(frame, where)
        problems += repeats
        out.append(RawSheet(sheet_hint, where, frame, header_row=header_row))
        spaces = dropped.filter(pl.col("spaces")).get_column(ROW)
        problems += capped(
            [
                Problem("warning", "blank_row", where, int(r), None, None, BLANK_ROW_MESSAGE)
                for r in spaces
            ]
        )
        columns = {first_col + i: column_name(n) for i, n in enumerate(names)}
        problems += damage_problems(damage.get(name, []), where, header_row, columns)
    return out, problems


def damage_problems(
    damage: list[CellDamage], file: str, header_row: int, columns: dict[int, str]
) -> list[Problem]:
    """The errors for a sheet's cells that read blank or as a fraction (``workbook_damage``) in
    its table (from the header line down), formulas first; ``columns`` names the table's
    spreadsheet columns."""
    hidden = [d for d in damage if d.row >= header_row]
    problems: list[Problem] = []
    for kind in ("formula", "error", "merged", "percent"):
        problems += capped(
            [_damage_problem(d, file, columns.get(d.col)) for d in hidden if d.kind == kind]
        )
    rows = [d.row for d in hidden if d.kind == "hidden_row" and d.row > header_row]
    if rows:
        problems.append(
            Problem.whole_file(
                "warning",
                "hidden_rows",
                file,
                f"rows {_spans(rows)} are hidden in Excel (hidden or filtered out) but are read "
                "and counted like the others: unhide them to check they belong here, "
                "or delete them",
            )
        )
    return problems


def _spans(rows: list[int], shown: int = 10) -> str:
    """Row numbers as runs (``3-4, 9``), the first ``shown`` runs and how many more rows."""
    runs: list[list[int]] = []
    for r in sorted(rows):
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs[:shown])
    rest = sum(b - a + 1 for a, b in runs[shown:])
    return text + (f" and {rest} more" if rest else "")


def _damage_problem(d: CellDamage, file: str, column: str | None) -> Problem:
    """The error for a cell that reads blank because of a formula with no result, an error
    value or a merge, or as a fraction because of a percentage format."""
    if column is not None and column.startswith("__BLANK"):
        column = None
    if d.kind == "error":
        return Problem(
            "error",
            "excel_error",
            file,
            d.row,
            column,
            d.value,
            f"cell {d.cell} holds the Excel error {d.value}, so it reads blank: correct the "
            "formula or type the value, then save the workbook",
        )
    if d.kind == "percent":
        shows = f"{float(d.value) * 100:g}"
        return Problem(
            "error",
            "percent_cell",
            file,
            d.row,
            column,
            d.value,
            f"cell {d.cell} is formatted as a percentage: it shows {shows}% but holds {d.value}, "
            "and no column of a return or register is a fraction; type the number as the "
            f"column means it ({shows} for {shows} per cent) and format the cell as a number",
        )
    if d.kind == "formula":
        return Problem(
            "error",
            "formula_without_value",
            file,
            d.row,
            column,
            d.value,
            f"cell {d.cell} holds the formula {d.value} but no saved result, so it reads blank: "
            "open the workbook in Excel, let it calculate and save it (or paste the values) "
            "before loading",
        )
    named = f" ({column})" if column else ""
    return Problem(
        "error",
        "merged_cells",
        file,
        d.row,
        column,
        d.value,
        f"cells {d.value} are merged: only {d.first} keeps its value, so {d.cell}{named} reads "
        "blank; unmerge them and fill in every cell",
    )


def _unique_names(names: list[str]) -> list[str]:
    """Header cells as column names, a repeated name marked ``NAME#2`` (``checks`` judges the
    copies: ``repeated_column``)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        key = column_name(name)
        seen[key] = seen.get(key, 0) + 1
        out.append(name if seen[key] == 1 else f"{name}#{seen[key]}")
    return out


def copy_of(column: str) -> str | None:
    """The name a column repeats (``PLACE`` for ``PLACE#2``, as ``_unique_names`` marks it), or
    None for a first occurrence."""
    base, mark, number = column.rpartition("#")
    return base if mark and number.isdigit() and number != "1" else None


#: How many top rows of a sheet are searched for the header line.
_HEADER_SEARCH = 20


def xlsx_layout(data: bytes) -> tuple[dict[str, tuple[int, int]], frozenset[str]]:
    """The spreadsheet row and column of each sheet's first used cell, and the titles of the
    sheets Excel hides (hidden or very hidden).

    The reader skips blank rows and columns before a table; the sheet's recorded dimension says
    how many, so problem rows and columns still match what Excel shows. Unknown (no dimension
    recorded) means A1.
    """
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return {}, frozenset()
    try:
        origins = {
            ws.title: (int(ws.min_row or 1), int(ws.min_column or 1)) for ws in book.worksheets
        }
        hidden = frozenset(ws.title for ws in book.worksheets if ws.sheet_state != "visible")
        return origins, hidden
    finally:
        book.close()


# --------------------------------------------------------------------------------------- XML
#: XML element names that differ from the CSV column names.
_XML_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}
#: Repeating groups inside a CHILD and the table each one fills.
_XML_GROUPS = {
    "EPISODE": "episodes",
    "AREVIEW": "reviews",
    "AMISSING": "missing",
    "OC2": "oc2",
    "PERMANENCE": "previous_permanence",
    "AD_PLACED": "placed_for_adoption",
    "SW_EPISODE": "sw_episodes",
    "SWEPISODE": "sw_episodes",
    "DOLO": "dolo",
}
_XML_CONTAINERS = {"HEADER", "ADOPTION", "OC3", "CARELEAVER", "UASC_DETAILS"}
#: The blocks of a child's fields that are one row of a table: a block given is a row, even
#: with its first field blank, as in a CSV return (a UASC block is one when it gives a DUC).
_XML_BLOCK_TABLES = {"ADOPTION": "ad1", "OC3": "oc3", "CARELEAVER": "oc3"}


class _XmlCollector:
    """expat handlers that turn the DfE return into rows per table, with element line numbers."""

    def __init__(self, parser: xml.parsers.expat.XMLParserType) -> None:
        self.parser = parser
        self.rows: dict[str, list[dict[str, str | int | None]]] = {}
        self.child: dict[str, str | int | None] | None = None
        self.child_groups: list[tuple[str, dict[str, str | int | None]]] = []
        #: The groups open (a review nested in an episode is its own row, not the episode's).
        self.groups: list[tuple[str, dict[str, str | int | None]]] = []
        self.text: list[str] = []
        self.depth_tags: list[str] = []
        #: A child's field given again with another value: (line, field, first, again).
        self.conflicts: list[tuple[int, str, str, str]] = []
        #: The tables whose block the child being read gave (``_XML_BLOCK_TABLES``).
        self.blocks: set[str] = set()
        #: How many elements are open at the CHILD being read (its own included).
        self.child_depth = 0
        #: Elements met outside any CHILD below the root: [tag, line, parent index, holds a
        #: CHILD]; and the indices of those open.
        self.outside: list[tuple[str, int, int | None, list[bool]]] = []
        self.outside_open: list[int] = []

    def start(self, tag: str, _attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1].upper()
        self.depth_tags.append(tag)
        self.text = []
        line = self.parser.CurrentLineNumber
        if tag == "CHILD" and self.child is None and len(self.depth_tags) >= 2:
            for i in self.outside_open:  # a wrapper element (CHILDREN): its CHILDs are read
                self.outside[i][3][0] = True
            self.child = {ROW: line}
            self.child_depth = len(self.depth_tags)
            self.child_groups, self.groups = [], []
            self.blocks = set()
        elif self.child is None and len(self.depth_tags) >= 2:
            parent = self.outside_open[-1] if self.outside_open else None
            self.outside.append((tag, line, parent, [False]))
            self.outside_open.append(len(self.outside) - 1)
        elif self.child is not None and tag in _XML_GROUPS:
            self.groups.append((_XML_GROUPS[tag], {ROW: line}))
        elif self.child is not None and tag in _XML_BLOCK_TABLES:
            self.blocks.add(_XML_BLOCK_TABLES[tag])

    def chars(self, data: str) -> None:
        self.text.append(data)

    def end(self, tag: str) -> None:
        tag = tag.rsplit(":", 1)[-1].upper()
        self.depth_tags.pop()
        value = "".join(self.text).strip() or None
        self.text = []
        if self.child is None:
            if self.outside_open and len(self.depth_tags) >= 1:
                self.outside_open.pop()
            return
        if tag == "CHILD" and len(self.depth_tags) == self.child_depth - 1:
            self._close_child()
            return
        if self.groups and tag in _XML_GROUPS and _XML_GROUPS[tag] == self.groups[-1][0]:
            self.child_groups.append(self.groups.pop())
            return
        if tag in _XML_GROUPS or tag in _XML_CONTAINERS:
            return
        name = _XML_RENAME.get(tag, tag)
        if name == "DUC" and "UASC_DETAILS" in self.depth_tags:
            self.blocks.add("uasc")  # a UASC block's DUC, though blank
        target = self.groups[-1][1] if self.groups else self.child
        before = target.get(name)
        if before is not None and value is not None and before != value:
            # the child's SEX or DOB again (in a UASC block...): which is right cannot be known
            self.conflicts.append((self.parser.CurrentLineNumber, name, str(before), value))
        target[name] = value

    def misplaced(self, display: str) -> list[Problem]:
        """The elements outside their place, each named at its line: an element holding CHILD
        elements below the root (a wrapper, ``CHILDREN``: its children are read, a warning),
        and one outside any CHILD (an EPISODE after its ``</CHILD>``: its child cannot be
        known, so it is not read, an error; what it holds is not named again)."""
        out: list[Problem] = []
        for tag, line, parent, holds in self.outside:
            if holds[0]:
                out.append(
                    Problem(
                        "warning",
                        "xml_wrapped_child",
                        display,
                        line,
                        None,
                        tag,
                        f"CHILD elements inside {tag}, not directly under the return's root "
                        "element (EXPSSDA903 > CHILD): read as the return's children",
                    )
                )
            elif parent is None or self.outside[parent][3][0]:
                out.append(
                    Problem(
                        "error",
                        "xml_outside_child",
                        display,
                        line,
                        None,
                        tag,
                        f"{tag} is outside any CHILD element (EXPSSDA903 > CHILD > HEADER, "
                        f"EPISODE, ...): which child it belongs to cannot be known, so it is not "
                        f"read; put it inside its CHILD",
                    )
                )
        return capped([p for p in out if p.severity == "error"]) + capped(
            [p for p in out if p.severity == "warning"]
        )

    def _close_child(self) -> None:
        child = self.child or {}
        header = {k: child.get(k) for k in ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER")}
        header["MC_DOB"] = child.get("MC_DOB")
        header[ROW] = child[ROW]
        self.rows.setdefault("header", []).append(header)
        ident = {"CHILD": child.get("CHILD"), "DOB": child.get("DOB")}
        # a UASC child: its DUC, its block's DUC though blank, or the header's UASC flag
        if "uasc" in self.blocks or child.get("DUC") is not None or child.get("UASC") == "1":
            self.rows.setdefault("uasc", []).append(
                {**ident, "SEX": child.get("SEX"), "DUC": child.get("DUC"), ROW: child[ROW]}
            )
        for table, fields in (
            ("oc3", ("IN_TOUCH", "ACTIV", "ACCOM")),
            (
                "ad1",
                ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
            ),
        ):
            if table in self.blocks or any(child.get(f) is not None for f in fields):
                row = {**ident, **{f: child.get(f) for f in fields}, ROW: child[ROW]}
                self.rows.setdefault(table, []).append(row)
        for table, group in self.child_groups:
            row = {"CHILD": child.get("CHILD")}
            if table != "episodes":
                row["DOB"] = child.get("DOB")
            row.update(group)
            self.rows.setdefault(table, []).append(row)
        self.child = None
        self.child_groups, self.groups = [], []


def read_xml(data: bytes, display: str) -> tuple[list[RawSheet], list[Problem]]:
    """Read a DfE SSDA903 XML return (EXPSSDA903 > CHILD > HEADER / EPISODE ...) into tables.

    ``row`` in problems is the line of the CHILD or EPISODE (etc.) element in the XML file.
    """
    parser = xml.parsers.expat.ParserCreate()
    collector = _XmlCollector(parser)
    parser.StartElementHandler = collector.start
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.chars
    # Refuse entity declarations outright: returns never use them, and they enable XML bombs.
    parser.EntityDeclHandler = _refuse_entities
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return [], [
            Problem(
                "error",
                "file_unreadable",
                display,
                exc.lineno,
                None,
                None,
                f"not well-formed XML ({xml.parsers.expat.errors.messages[exc.code]}): expected "
                "a DfE SSDA903 XML return",
            )
        ]
    except _EntityRefused:
        return [], [_unreadable(display, "XML entity declarations are not allowed in a return")]
    if "header" not in collector.rows:
        return [], [
            _unreadable(
                display,
                "no CHILD records found: expected a DfE SSDA903 XML return "
                "(<EXPSSDA903><CHILD><HEADER><CHILDID>...)",
            )
        ]
    conflicts = [
        Problem(
            "error",
            "xml_conflicting_value",
            display,
            line,
            name,
            shown(again),
            f"{name} is given again for this child as '{shown(again)}' after "
            f"'{shown(first)}': a child has one {name}, and which is right cannot be known; "
            "give it once",
        )
        for line, name, first, again in collector.conflicts
    ]
    conflicts += collector.misplaced(display)
    sheets = []
    for table, rows in collector.rows.items():
        frame = pl.DataFrame(rows, infer_schema_length=None)
        frame = frame.with_columns(pl.col(c).cast(pl.Utf8) for c in frame.columns if c != ROW)
        frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
        sheets.append(RawSheet(table, f"{display}", _finish(frame)[0], table=table))
    return sheets, conflicts


class _EntityRefused(Exception):
    """Raised from the expat handler when a document declares entities."""


def _refuse_entities(*_args: object) -> None:
    raise _EntityRefused
