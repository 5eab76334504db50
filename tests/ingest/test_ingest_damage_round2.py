"""More damaged inputs, found by trying one damage at a time on a whole synthetic council: each
is read exactly as the clean file, or named (file, row, field, what was expected)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_data import (
    CARERS,
    EPISODE_COLUMNS,
    HEADER_COLUMNS,
    LA_TOML,
    good_files,
    where,
    write_data,
)
from polars.testing import assert_frame_equal

from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult


def _data(root: Path, files: dict[str, str] | None = None, carers: str = CARERS) -> Path:
    """The good 2022-23 return (with ``files`` replaced), la.toml and a carers register."""
    write_data(root, {2023: {**good_files(), **(files or {})}}, la_toml=LA_TOML)
    (root / "registers").mkdir()
    (root / "registers" / "carers.csv").write_text(carers, encoding="utf-8")
    return root


def _same(result: LoadResult, clean: LoadResult) -> None:
    """Loaded with exactly the clean folder's frames."""
    assert result.dataset is not None and clean.dataset is not None
    assert_frame_equal(result.dataset.children, clean.dataset.children)
    assert_frame_equal(result.dataset.episodes, clean.dataset.episodes)
    assert_frame_equal(result.dataset.registers["carers"], clean.dataset.registers["carers"])


@pytest.fixture
def clean(tmp_path: Path) -> LoadResult:
    result = load_data(_data(tmp_path / "CLEAN"))
    assert result.ok and result.problems == []
    return result


def _prefixed(prefix: str) -> dict[str, str]:
    """The good return's files, each with ``prefix`` before its header line."""
    return {name: prefix + str(text) for name, text in good_files().items()}


# ----------------------------------------------------------------- (a) lines above the header
@pytest.mark.parametrize("line", ["sep=,\n", "sep=,\r\n", '"sep=,"\n', "SEP=,\n"])
def test_an_excel_sep_line_is_read_as_excel_reads_it(
    tmp_path: Path, clean: LoadResult, line: str
) -> None:
    """Excel writes (and honours) a first line ``sep=,``: it is not the header. It was read as
    a one-column header, so every row was a ``long_row`` error with no word of why."""
    root = _data(tmp_path / "D", _prefixed(line), carers=line + CARERS)
    result = load_data(root)
    assert result.problems == []
    _same(result, clean)


def test_a_sep_line_names_the_separator(tmp_path: Path, clean: LoadResult) -> None:
    """``sep=;`` says the file is separated by semicolons: read so, with no warning (the file
    says so itself); rows are numbered as Excel shows them (it hides the sep line)."""
    files = {name: "sep=;\n" + str(text).replace(",", ";") for name, text in good_files().items()}
    files["episodes.csv"] = files["episodes.csv"].replace("U4;PR1", "Q9;PR1", 1)
    carers = CARERS.replace("kinship;short_breaks", '"kinship;short_breaks"').replace(",", ";")
    result = load_data(_data(tmp_path / "D", files, carers="sep=;\n" + carers))
    assert [where(p) for p in result.problems] == [
        ("error", "unknown_code", "ssda903/2023/episodes.csv", 2, "PLACE")
    ]


def test_a_title_above_the_header_is_skipped_and_said(tmp_path: Path, clean: LoadResult) -> None:
    """A report title (and a blank line) above the header: the header is the line with CHILD,
    the lines above are skipped with a warning saying where the header is, and rows keep the
    numbers a spreadsheet shows them at."""
    title = "SSDA903 return 2022-23,,\n\n"
    files = _prefixed(title)
    root = _data(tmp_path / "D", files, carers="Foster carers 2023\n" + CARERS)
    result = load_data(root)
    assert sorted(where(p) for p in result.problems) == [
        ("warning", "header_not_first", "registers/carers.csv", 2, None),
        ("warning", "header_not_first", "ssda903/2023/episodes.csv", 3, None),
        ("warning", "header_not_first", "ssda903/2023/header.csv", 3, None),
        ("warning", "header_not_first", "ssda903/2023/uasc.csv", 3, None),
    ]
    message = next(p.message for p in result.problems if p.file.endswith("header.csv"))
    assert "the header is on line 3, not line 1" in message
    assert "SSDA903 return 2022-23" in message
    _same(result, clean)


def test_rows_under_a_title_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    files = _prefixed("Title\n\n")
    files["episodes.csv"] = files["episodes.csv"].replace("U4,PR1", "Q9,PR1", 1)
    carers = "Carers\n" + CARERS.replace("2,1,HR1", "x,1,HR1")
    result = load_data(_data(tmp_path / "D", files, carers=carers))
    errors = [where(p) for p in result.problems if p.severity == "error"]
    assert sorted(errors) == [
        ("error", "register_bad_number", "registers/carers.csv", 3, "places"),
        ("error", "unknown_code", "ssda903/2023/episodes.csv", 4, "PLACE"),
    ]


def test_blank_lines_above_the_header_keep_row_numbers(tmp_path: Path) -> None:
    """Blank lines above the header were skipped by the reader but not counted, so every row
    was named two rows too high."""
    files = _prefixed("\n\n")
    files["episodes.csv"] = files["episodes.csv"].replace("U4,PR1", "Q9,PR1", 1)
    result = load_data(_data(tmp_path / "D", files, carers="\n" + CARERS))
    assert [where(p) for p in result.problems] == [
        ("error", "unknown_code", "ssda903/2023/episodes.csv", 4, "PLACE")
    ]


def test_data_rows_above_the_header_are_an_error(tmp_path: Path) -> None:
    """Rows of data above the header (a sort that took the header with it) would be lost."""
    episodes = str(good_files()["episodes.csv"]).splitlines(keepends=True)
    moved = "".join([episodes[1], episodes[2], episodes[0], *episodes[3:]])
    lines = CARERS.splitlines(keepends=True)
    result = load_data(
        _data(
            tmp_path / "D",
            {"episodes.csv": moved},
            carers="".join([lines[1], *lines[:1], lines[2]]),
        )
    )
    errors = [where(p) for p in result.problems if p.severity == "error"]
    assert ("error", "header_not_first", "ssda903/2023/episodes.csv", 3, None) in errors
    assert ("error", "header_not_first", "registers/carers.csv", 2, None) in errors
    assert not result.ok


def _workbook(rows: list[list[str]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_register_workbook_with_a_title_row(tmp_path: Path, clean: LoadResult) -> None:
    """A register workbook's title row was read as its header (every column missing); it is
    skipped as a return workbook's is, and said."""
    rows = [line.split(",") for line in CARERS.splitlines()]
    root = _data(tmp_path / "D")
    (root / "registers" / "carers.csv").unlink()
    (root / "registers" / "carers.xlsx").write_bytes(_workbook([["Foster carers"], [], *rows]))
    result = load_data(root)
    assert [where(p) for p in result.problems] == [
        ("warning", "header_not_first", "registers/carers.xlsx", 3, None)
    ]
    _same(result, clean)


# ------------------------------------------------------------------- (2) more damaged inputs
def test_a_header_line_repeated_inside_a_table_is_skipped_and_said(
    tmp_path: Path, clean: LoadResult
) -> None:
    """Two exports joined into one file repeat the header line: it was named as a bad date, an
    unknown code and a missing child in each of its cells (ten errors at one row) with no word
    of what the row was; it is skipped with one warning (the rows around it are read)."""
    episodes = str(good_files()["episodes.csv"]).splitlines(keepends=True)
    files = {"episodes.csv": "".join([*episodes[:3], episodes[0], *episodes[3:], episodes[0]])}
    lines = CARERS.splitlines(keepends=True)
    result = load_data(_data(tmp_path / "D", files, carers="".join([*lines, lines[0]])))
    assert sorted(where(p) for p in result.problems) == [
        ("warning", "repeated_header", "registers/carers.csv", 4, None),
        ("warning", "repeated_header", "ssda903/2023/episodes.csv", 4, None),
        ("warning", "repeated_header", "ssda903/2023/episodes.csv", 7, None),
    ]
    assert "repeats the header line" in result.problems[0].message
    _same(result, clean)


def _quoted(columns: list[str], rows: list[list[str]]) -> str:
    """CSV text as a spreadsheet writes it (a cell holding a comma quoted)."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([columns, *rows])
    return out.getvalue()


@pytest.mark.parametrize("spelt", ["'{}", "{}.0", "{:,}"])
def test_child_ids_excel_or_a_script_changed_between_returns_are_an_error(
    tmp_path: Path, spelt: str
) -> None:
    """A return whose every CHILD has a leading apostrophe ('1000003, an export's text guard),
    a trailing .0 (1000003.0, a number written as a decimal) or thousands commas (1,000,003,
    Excel's number format saved as CSV) loaded with warnings only: each child was read as two,
    one leaving care and another starting (1,690 children, not 1,220, in the demo council)."""
    from ingest_data import many_children, return_files

    header, episodes = many_children(3, prefix="100000")
    for rows in (header, episodes):
        for row in rows:
            row[0] = spelt.format(int(row[0]))
    csv = {
        "header.csv": _quoted(HEADER_COLUMNS, header),
        "episodes.csv": _quoted(EPISODE_COLUMNS, episodes),
    }
    returns = {2023: return_files(*many_children(3, prefix="100000")), 2024: csv}
    result = load_data(write_data(tmp_path / "D", returns))
    errors = [(where(p), p.message) for p in result.problems if p.severity == "error"]
    assert [e[0] for e in errors] == [
        ("error", "child_id_mangled", "ssda903/2023, ssda903/2024", None, None)
    ]
    assert f"1000000 in ssda903/2023 and {spelt.format(1000000)} in ssda903/2024" in errors[0][1]
    assert result.dataset is None


HTML = (
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
    "<body><table><tr><td>CHILD</td></tr></table></body></html>\n"
)


@pytest.mark.parametrize("page", [HTML, "<html>\n<body>Session expired</body>\n</html>\n"])
def test_a_web_page_saved_as_a_table_is_named_so(tmp_path: Path, page: str) -> None:
    """A browser's sign-in or error page saved as episodes.csv was 'no CHILD records found:
    expected a DfE SSDA903 XML return'; as carers.csv, a column '<!doctype_html>' and every
    required column missing."""
    result = load_data(_data(tmp_path / "D", {"episodes.csv": page}, carers=page))
    errors = [p for p in result.problems if p.severity == "error"]
    assert sorted(where(p) for p in errors) == [
        ("error", "file_unreadable", "ssda903/2023/episodes.csv", None, None),
        ("error", "register_unreadable", "registers/carers.csv", None, None),
    ]
    for p in errors:
        assert "a web page (HTML), not a table" in p.message, p.message


def test_a_zip_archive_saved_as_a_table_is_named_so(tmp_path: Path) -> None:
    """A zip of the return saved under a table's name was 'not a readable .xlsx workbook:
    calamine error: Cannot detect file format'."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("episodes.csv", str(good_files()["episodes.csv"]))
    root = _data(tmp_path / "D")
    (root / "ssda903" / "2023" / "episodes.csv").write_bytes(buffer.getvalue())
    (root / "registers" / "carers.csv").write_bytes(buffer.getvalue())
    result = load_data(root)
    errors = [p for p in result.problems if p.severity == "error"]
    assert sorted(where(p) for p in errors) == [
        ("error", "file_unreadable", "ssda903/2023/episodes.csv", None, None),
        ("error", "register_unreadable", "registers/carers.csv", None, None),
    ]
    for p in errors:
        assert "a zip archive (of episodes.csv), not a table or workbook: unzip it" in p.message


def _workbook_sheets(sheets: dict[str, list[list[str]]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_register_workbook_with_its_table_on_a_later_sheet(
    tmp_path: Path, clean: LoadResult
) -> None:
    """A notes sheet before the register's sheet: the first sheet was read (every column
    missing). The sheet whose header names the register's columns is read, and said."""
    rows = [line.split(",") for line in CARERS.splitlines()]
    root = _data(tmp_path / "D")
    (root / "registers" / "carers.csv").unlink()
    book = _workbook_sheets({"Notes": [["Exported 01/04/2023"]], "Carers": rows})
    (root / "registers" / "carers.xlsx").write_bytes(book)
    result = load_data(root)
    assert [where(p) for p in result.problems] == [
        ("warning", "register_other_sheets", "registers/carers.xlsx", None, None)
    ]
    assert "the Carers sheet is read" in result.problems[0].message
    _same(result, clean)


def test_a_file_mixing_utf8_and_windows_1252_reads_each_as_what_it_is(tmp_path: Path) -> None:
    """A homes register edited in two programs (a UTF-8 'Café Noël' and a Windows-1252 'Café')
    was read wholly as Windows-1252, turning the UTF-8 name into 'CafÃ© NoÃ«l' without a word."""
    from sufficiency.ingest.registers import load_registers

    folder = tmp_path / "registers"
    folder.mkdir()
    text = (
        b"urn,name,places\n"
        + "SC000001,Café Noël,4\n".encode()
        + "SC000002,Café,3\n".encode("cp1252")
    )
    (folder / "homes.csv").write_bytes(text)
    frames, problems = load_registers(folder)
    assert frames["homes"].get_column("name").to_list() == ["Café Noël", "Café"]
    assert [(p.severity, p.code, p.file) for p in problems] == [
        ("warning", "mixed_encoding", "registers/homes.csv")
    ]


@pytest.mark.parametrize("name", ["Carers (1).csv", "carers - Copy.csv", "Carers - Copy (2).csv"])
def test_a_register_named_as_a_download_or_copy_is_read(
    tmp_path: Path, clean: LoadResult, name: str
) -> None:
    """A browser saves a second download as 'Carers (1).csv' and Windows a copy as 'carers -
    Copy.csv': it was an unknown register (a warning), so the carers measures vanished (the
    demo's 182 households and 262 places) with exit 0. It is read as the register, and said."""
    root = _data(tmp_path / "D")
    (root / "registers" / "carers.csv").rename(root / "registers" / name)
    result = load_data(root)
    assert [where(p) for p in result.problems] == [
        ("warning", "register_copy_name", f"registers/{name}", None, None)
    ]
    assert "read as the carers register" in result.problems[0].message
    _same(result, clean)


def test_a_register_and_its_copy_are_one_register_twice(tmp_path: Path) -> None:
    root = _data(tmp_path / "D")
    (root / "registers" / "carers (1).csv").write_text(CARERS)
    result = load_data(root)
    assert ("error", "register_duplicate_file", "registers/carers.csv", None, None) in [
        where(p) for p in result.problems
    ] or ("error", "register_duplicate_file", "registers/carers (1).csv", None, None) in [
        where(p) for p in result.problems
    ]


def test_data_rows_above_a_workbooks_header_are_an_error(tmp_path: Path) -> None:
    """A return workbook sorted with its header inside the table: the rows above the header
    were dropped without a word (three of the demo's episodes, exit 0); a title stays silent."""
    episodes = [line.split(",") for line in str(good_files()["episodes.csv"]).splitlines()]
    moved = [episodes[1], episodes[2], episodes[0], *episodes[3:]]
    files = {**good_files(), "episodes.xlsx": _workbook(moved)}
    del files["episodes.csv"]
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    errors = [where(p) for p in result.problems if p.severity == "error"]
    assert errors == [("error", "header_not_first", "ssda903/2023/episodes.xlsx", 3, None)]
    files["episodes.xlsx"] = _workbook([["Episodes 2022-23"], [], *episodes])
    assert load_data(write_data(tmp_path / "T", {2023: files})).problems == []


def _ad1(date_match: str) -> str:
    return (
        "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
        f"C2,15/02/2015,01/06/2022,{date_match},0,2,MF,L11\n"
    )


@pytest.mark.parametrize(
    ("date_match", "code"),
    [("01/01/2099", "date_after_collection_year"), ("01/01/1901", "date_too_early")],
)
def test_an_optional_tables_date_outside_the_year_is_an_error(
    tmp_path: Path, date_match: str, code: str
) -> None:
    """An AD1 DATE_MATCH typed 2099 loaded without a word: the demo council's average days
    from placement order to match (A2) read 3,534 instead of 172. Dates in the optional
    tables are held to the return's year as DECOM is, and to the oldest child's birth."""
    result = load_data(_data(tmp_path / "D", {"ad1.csv": _ad1(date_match)}))
    assert [(where(p), p.value) for p in result.problems] == [
        (("error", code, "ssda903/2023/ad1.csv", 2, "DATE_MATCH"), date_match)
    ]
    assert result.dataset is None
    assert load_data(_data(tmp_path / "ok", {"ad1.csv": _ad1("01/02/2023")})).problems == []


def test_an_end_of_file_mark_is_not_a_row(tmp_path: Path, clean: LoadResult) -> None:
    """Old DOS tools end a file with Ctrl-Z (0x1A): it was read as a last row with one cell
    (truncated_row, four missing codes, a bad date and a child with no header: seven errors)."""
    files = {name: str(text) + "\x1a" for name, text in good_files().items()}
    result = load_data(_data(tmp_path / "D", files, carers=CARERS + "\x1a"))
    assert result.problems == []
    _same(result, clean)


def test_two_exports_joined_with_their_byte_order_marks(tmp_path: Path, clean: LoadResult) -> None:
    """Two UTF-8 exports with byte-order marks joined into one file: the second's mark was
    read into its header line's CHILD cell, so that line was not seen as the header again."""
    bom = "\ufeff"
    episodes = str(good_files()["episodes.csv"]).splitlines(keepends=True)
    joined = bom + "".join(episodes[:3]) + bom + episodes[0] + "".join(episodes[3:])
    lines = CARERS.splitlines(keepends=True)
    carers = bom + "".join(lines[:2]) + bom + lines[0] + lines[2]
    result = load_data(_data(tmp_path / "D", {"episodes.csv": joined}, carers=carers))
    assert sorted(where(p) for p in result.problems) == [
        ("warning", "repeated_header", "registers/carers.csv", 3, None),
        ("warning", "repeated_header", "ssda903/2023/episodes.csv", 4, None),
    ]
    _same(result, clean)


def test_very_long_lines_and_cells_are_read_or_named(tmp_path: Path) -> None:
    """A table of 30,000 columns (a header line of 200,000 characters), and a cell of 200,000
    characters in a file with a short row: finding the header (and the rows' shape) stopped
    with a traceback ('field larger than field limit (131072)', the csv module's)."""
    wide = ",".join(f"C{i}" for i in range(30_000)) + "\n" + ",".join("x" * 30_000) + "\n"
    episodes = str(good_files()["episodes.csv"]).splitlines(keepends=True)
    long_cell = episodes[1].replace("SC123456", "S" * 200_000)
    files = {
        "missing.csv": wide,
        "episodes.csv": "".join([episodes[0], long_cell, *episodes[2:], "C9,01/01/2023\n"]),
    }
    result = load_data(_data(tmp_path / "D", files, carers=wide))
    assert result.problems  # named, not raised
    assert {p.file for p in result.problems} >= {
        "ssda903/2023/missing.csv",
        "ssda903/2023/episodes.csv",
        "registers/carers.csv",
    }


def test_a_zipped_register_is_named_as_one(tmp_path: Path) -> None:
    """registers/carers.zip was 'not a register file (expected .csv or .xlsx); ignored': the
    carers register vanished (the demo's 182 households) with no word of the zip's contents."""
    import zipfile

    root = _data(tmp_path / "D")
    with zipfile.ZipFile(root / "registers" / "carers.zip", "w") as archive:
        archive.write(root / "registers" / "carers.csv", "carers.csv")
    (root / "registers" / "carers.csv").unlink()
    result = load_data(root)
    assert [where(p) for p in result.problems] == [
        ("warning", "register_unknown", "registers/carers.zip", None, None)
    ]
    assert result.problems[0].message == (
        "this is a zip archive (of carers.csv), not a table or workbook: unzip it and put the "
        "files it holds in the folder (registers/)"
    )
