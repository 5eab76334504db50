"""CSV encodings and column orders, XLSX (sheets or files) and DfE XML give identical frames."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from ingest_data import (
    EPISODE_COLUMNS,
    GOOD_EPISODES,
    GOOD_HEADER,
    GOOD_UASC,
    HEADER_COLUMNS,
    csv_text,
    good_files,
    write_data,
    xml_return,
)
from polars.testing import assert_frame_equal

from sufficiency.dataset import Dataset
from sufficiency.ingest import load_data

UASC_COLUMNS = ["CHILD", "SEX", "DOB", "DUC"]


def _dataset(root: Path) -> Dataset:
    result = load_data(root)
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors == []
    assert result.dataset is not None
    return result.dataset


def _assert_same(a: Dataset, b: Dataset) -> None:
    assert_frame_equal(a.children.sort("CHILD"), b.children.sort("CHILD"))
    assert_frame_equal(a.episodes, b.episodes)
    assert_frame_equal(a.uasc.sort("CHILD"), b.uasc.sort("CHILD"))


@pytest.fixture
def reference(good_data: Path) -> Dataset:
    return _dataset(good_data)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_encodings_read_alike(tmp_path: Path, reference: Dataset, encoding: str) -> None:
    files = good_files()
    rows = [[*r, "café"] for r in GOOD_HEADER]
    text = csv_text([*HEADER_COLUMNS, "NOTE"], rows)
    files["header.csv"] = text.encode(encoding)
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert [(p.code, p.column) for p in result.problems] == [("extra_column", "NOTE")]
    assert result.dataset is not None
    _assert_same(result.dataset, reference)


def test_cp1252_text_keeps_its_characters(tmp_path: Path) -> None:
    header = [["CÉ1" if r[0] == "C1" else r[0], *r[1:]] for r in GOOD_HEADER]
    episodes = [["CÉ1" if r[0] == "C1" else r[0], *r[1:]] for r in GOOD_EPISODES]
    files = good_files(header=header, episodes=episodes)
    files["header.csv"] = csv_text(HEADER_COLUMNS, header).encode("cp1252")
    files["episodes.csv"] = csv_text(EPISODE_COLUMNS, episodes).encode("cp1252")
    ds = _dataset(write_data(tmp_path / "D", {2023: files}))
    assert ds.children.filter(pl.col("CHILD") == "CÉ1").item(0, "UPN") == "A123456789012"


def test_any_column_order(tmp_path: Path, reference: Dataset) -> None:
    order = list(reversed(range(len(EPISODE_COLUMNS))))
    cols = [EPISODE_COLUMNS[i] for i in order]
    rows = [[r[i] for i in order] for r in GOOD_EPISODES]
    files = good_files()
    files["episodes.csv"] = csv_text(cols, rows)
    _assert_same(_dataset(write_data(tmp_path / "D", {2023: files})), reference)


def test_tables_recognised_by_columns_when_names_say_nothing(
    tmp_path: Path, reference: Dataset
) -> None:
    files = good_files()
    renamed = {"export_a.csv": files.pop("header.csv"), "export_b.csv": files.pop("episodes.csv")}
    renamed["SSDA903_UASC_2023.csv"] = files.pop("uasc.csv")
    _assert_same(_dataset(write_data(tmp_path / "D", {2023: renamed})), reference)


def _frames() -> dict[str, pl.DataFrame]:
    def frame(cols: list[str], rows: list[list[str]]) -> pl.DataFrame:
        data = {c: [r[i] or None for r in rows] for i, c in enumerate(cols)}
        return pl.DataFrame(data, schema=dict.fromkeys(cols, pl.Utf8))

    return {
        "Header": frame(HEADER_COLUMNS, GOOD_HEADER),
        "Episodes": frame(EPISODE_COLUMNS, GOOD_EPISODES),
        "UASC": frame(UASC_COLUMNS, GOOD_UASC),
    }


def test_xlsx_one_sheet_per_table(tmp_path: Path, reference: Dataset) -> None:
    import xlsxwriter

    root = write_data(tmp_path / "D", {2023: {}})
    with xlsxwriter.Workbook(root / "ssda903" / "2023" / "return.xlsx") as wb:
        for name, frame in _frames().items():
            frame.write_excel(wb, worksheet=name)
    _assert_same(_dataset(root), reference)


def test_xlsx_one_file_per_table(tmp_path: Path, reference: Dataset) -> None:
    root = write_data(tmp_path / "D", {2023: {}})
    for name, frame in _frames().items():
        frame.write_excel(root / "ssda903" / "2023" / f"{name.lower()}.xlsx", worksheet="Sheet1")
    _assert_same(_dataset(root), reference)


def test_xlsx_rows_are_spreadsheet_rows(tmp_path: Path) -> None:
    root = write_data(tmp_path / "D", {2023: {}})
    frames = _frames()
    frames["Episodes"] = frames["Episodes"].with_columns(
        pl.when(pl.col("CHILD") == "C2")
        .then(pl.lit("Q9"))
        .otherwise(pl.col("PLACE"))
        .alias("PLACE")
    )
    for name, frame in frames.items():
        frame.write_excel(root / "ssda903" / "2023" / f"{name.lower()}.xlsx")
    (p,) = load_data(root).problems
    assert (p.code, p.file, p.row, p.column) == (
        "unknown_code",
        "ssda903/2023/episodes.xlsx",
        4,
        "PLACE",
    )


def test_dfe_xml_return(tmp_path: Path, reference: Dataset) -> None:
    root = write_data(tmp_path / "D", {2023: {"return.xml": xml_return()}})
    _assert_same(_dataset(root), reference)


def test_xml_problem_rows_are_element_lines(tmp_path: Path) -> None:
    episodes = [list(r) for r in GOOD_EPISODES]
    episodes[2][5] = "Q9"  # C2's only episode
    text = xml_return(episodes=episodes)
    root = write_data(tmp_path / "D", {2023: {"return.xml": text}})
    (p,) = load_data(root).problems
    line = text.splitlines().index("      <PL>Q9</PL>") + 1
    episode_line = max(
        i + 1 for i, t in enumerate(text.splitlines()[:line]) if t.strip() == "<EPISODE>"
    )
    assert (p.code, p.file, p.row, p.column) == (
        "unknown_code",
        "ssda903/2023/return.xml",
        episode_line,
        "PLACE",
    )


def test_malformed_xml_is_unreadable(tmp_path: Path) -> None:
    text = xml_return().replace("</EPISODE>", "</EPISOD>", 1)
    (p,) = load_data(write_data(tmp_path / "D", {2023: {"return.xml": text}})).problems
    assert (p.severity, p.code, p.file) == ("error", "file_unreadable", "ssda903/2023/return.xml")
    assert p.row == text.splitlines().index("    </EPISOD>") + 1
    assert "mismatched tag" in p.message


def test_xml_entities_refused(tmp_path: Path) -> None:
    text = xml_return().replace(
        "<EXPSSDA903>", '<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<EXPSSDA903>', 1
    )
    (p,) = load_data(write_data(tmp_path / "D", {2023: {"return.xml": text}})).problems
    assert (p.code, p.message) == (
        "file_unreadable",
        "XML entity declarations are not allowed in a return",
    )


def test_corrupt_xlsx_is_unreadable(tmp_path: Path) -> None:
    files = good_files()
    files["episodes.xlsx"] = b"PK\x03\x04" + b"not really a zip" * 20
    del files["episodes.csv"]
    problems = load_data(write_data(tmp_path / "D", {2023: files})).problems
    assert [(p.severity, p.code, p.file) for p in problems] == [
        ("error", "file_unreadable", "ssda903/2023/episodes.xlsx")
    ]
    assert problems[0].message.startswith("not a readable .xlsx workbook")


def test_xlsx_rows_count_blank_rows_above_the_table(tmp_path: Path) -> None:
    import xlsxwriter

    root = write_data(tmp_path / "D", {2023: good_files()})
    folder = root / "ssda903" / "2023"
    (folder / "episodes.csv").unlink()
    episodes = [list(r) for r in GOOD_EPISODES]
    episodes[1][5] = "Q9"
    with xlsxwriter.Workbook(folder / "episodes.xlsx") as wb:
        ws = wb.add_worksheet("Episodes")
        ws.write(0, 0, "SSDA903 episodes export")  # a title line, then a blank line
        ws.write_row(2, 0, EPISODE_COLUMNS)
        for i, row in enumerate(episodes):
            ws.write_row(3 + i, 0, [v or None for v in row])
    problems = load_data(root).problems
    assert [(p.code, p.row, p.column) for p in problems if p.severity == "error"] == [
        ("unknown_code", 5, "PLACE")
    ]


def test_xlsx_title_line_and_repeated_header_cells(tmp_path: Path) -> None:
    import xlsxwriter

    root = write_data(tmp_path / "D", {2023: good_files()})
    folder = root / "ssda903" / "2023"
    (folder / "header.csv").unlink()
    with xlsxwriter.Workbook(folder / "header.xlsx") as wb:
        ws = wb.add_worksheet("Header")
        ws.write(0, 0, "Children looked after: header")
        ws.write_row(1, 0, [*HEADER_COLUMNS, "CHILD"])
        for i, row in enumerate(GOOD_HEADER):
            ws.write_row(2 + i, 0, [*(v or None for v in row), row[0]])
    result = load_data(root)
    # the repeated CHILD holds the same ids: read, the repetition named at the header line
    assert [(p.severity, p.code, p.row, p.column) for p in result.problems] == [
        ("warning", "repeated_column", 2, "CHILD")
    ]
    assert result.dataset is not None and result.children == 3


def test_a_repeated_column_whose_copies_differ_stops_the_load_at_each_row(tmp_path: Path) -> None:
    """PLACE named twice in a CSV header (Polars would read the second as PLACE_duplicated_0),
    holding different codes in two rows: which is the placement cannot be known."""
    header = [*EPISODE_COLUMNS, "PLACE"]
    rows = [[*r, r[5]] for r in GOOD_EPISODES]
    rows[1][-1], rows[3][-1] = "U1", ""
    rows[2][5] = ""  # blank in the first, U1 in the copy
    files = good_files()
    files["episodes.csv"] = csv_text(header, rows)
    result = load_data(write_data(tmp_path / "DATA", {2023: files}))
    assert result.dataset is None
    repeated = [p for p in result.problems if p.code == "repeated_column"]
    assert [(p.severity, p.row, p.column, p.value) for p in repeated] == [
        ("error", 3, "PLACE", "K2"),
        ("error", 4, "PLACE", None),
        ("error", 5, "PLACE", "H5"),
    ]
    assert "'K2' in the first, 'U1' in another" in repeated[0].message
    assert "(blank) in the first, 'U1' in another" in repeated[1].message
    assert "'H5' in the first, (blank) in another" in repeated[2].message


def test_a_column_repeated_in_another_case_is_one_column_and_others_are_named_once(
    tmp_path: Path,
) -> None:
    """``Sex`` beside ``SEX`` with the same values is read once (a warning); a column outside
    the table named twice is one extra column; a missing column's message lists the header's
    names as the file has them."""
    files = good_files()
    files["header.csv"] = csv_text(
        [*HEADER_COLUMNS, "Sex", "NOTE", "NOTE"], [[*r, r[1], "a", "b"] for r in GOOD_HEADER]
    )
    result = load_data(write_data(tmp_path / "DATA", {2023: files}))
    assert [(p.code, p.column) for p in result.problems] == [
        ("repeated_column", "SEX"),
        ("extra_column", "NOTE"),
    ]
    assert result.dataset is not None and result.children == 3
    files["header.csv"] = csv_text(["CHILD", "CHILD", "SEX", "ETHNIC"], [["C1", "C1", "1", "WBRI"]])
    problems = load_data(write_data(tmp_path / "MISSING", {2023: files})).problems
    assert problems[1].code == "missing_column"
    assert "found columns: CHILD, CHILD, SEX, ETHNIC" in problems[1].message
