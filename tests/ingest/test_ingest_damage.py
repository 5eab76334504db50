"""Damaged returns (issue 13): each damage gets its named problem, never a silent wrong number.

Every file is written here by hand; each test asserts the exact problem record (severity, code,
file, spreadsheet row, column, value) and whether a Dataset was built.
"""

from __future__ import annotations

import copy
from pathlib import Path

import polars as pl
import pytest
from ingest_data import (
    EPISODE_COLUMNS,
    GOOD_EPISODES,
    GOOD_HEADER,
    HEADER_COLUMNS,
    csv_text,
    good_files,
    many_children,
    return_files,
    write_data,
)
from polars.testing import assert_frame_equal

from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.tables import TABLES

Where = tuple[str, str, str, int | None, str | None, str | None]


def _where(p: Problem) -> Where:
    return (p.severity, p.code, p.file, p.row, p.column, p.value)


def _load(tmp_path: Path, returns: dict[int, dict[str, str | bytes]]) -> LoadResult:
    return load_data(write_data(tmp_path / "DATA", returns))


def _errors(result: LoadResult) -> list[Where]:
    return [_where(p) for p in result.problems if p.severity == "error"]


def _only(result: LoadResult, code: str) -> list[Problem]:
    return [p for p in result.problems if p.code == code]


def _episodes(*changes: tuple[int, str, str]) -> list[list[str]]:
    """GOOD_EPISODES with (row index, column, value) changes."""
    rows = copy.deepcopy(GOOD_EPISODES)
    for r, col, value in changes:
        rows[r][EPISODE_COLUMNS.index(col)] = value
    return rows


def _header(*changes: tuple[int, str, str]) -> list[list[str]]:
    rows = copy.deepcopy(GOOD_HEADER)
    for r, col, value in changes:
        rows[r][HEADER_COLUMNS.index(col)] = value
    return rows


EP = "ssda903/2023/episodes.csv"
HD = "ssda903/2023/header.csv"


# ------------------------------------------------------------------------------- empty tables
@pytest.mark.parametrize("name", ["episodes", "header"])
def test_core_table_with_a_header_line_and_no_rows(tmp_path: Path, name: str) -> None:
    files = good_files()
    columns = EPISODE_COLUMNS if name == "episodes" else HEADER_COLUMNS
    files[f"{name}.csv"] = ",".join(columns) + "\n"
    result = _load(tmp_path, {2023: files})
    assert _errors(result) == [
        ("error", "empty_table", f"ssda903/2023/{name}.csv", None, None, None)
    ]
    assert result.dataset is None
    (p,) = _only(result, "empty_table")
    assert p.message.startswith(f"the {name} table has its header line but no rows")


def test_episodes_with_only_blank_lines_are_empty(tmp_path: Path) -> None:
    files = good_files()
    files["episodes.csv"] = ",".join(EPISODE_COLUMNS) + "\n,,,,,,,,,,,,\n"
    result = _load(tmp_path, {2023: files})
    assert [p[:3] for p in _errors(result)] == [("error", "empty_table", EP)]


def test_optional_table_with_no_rows_is_fine(tmp_path: Path) -> None:
    files = good_files()
    files["oc3.csv"] = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
    result = _load(tmp_path, {2023: files})
    assert result.problems == [] and result.ok


# ------------------------------------------------------------------------------ blank codes
@pytest.mark.parametrize("column", ["RNE", "LS", "CIN", "PLACE"])
def test_blank_coded_episode_field_is_an_error(tmp_path: Path, column: str) -> None:
    result = _load(tmp_path, {2023: good_files(episodes=_episodes((1, column, "")))})
    assert _errors(result) == [("error", "missing_code", EP, 3, column, None)]
    (p,) = result.problems
    assert p.message.startswith(f"{column} is blank: every episode needs one (expected one of ")
    assert result.dataset is None


def test_blank_provider_is_an_error_where_the_placement_needs_one(tmp_path: Path) -> None:
    result = _load(tmp_path, {2023: good_files(episodes=_episodes((0, "PLACE_PROVIDER", "")))})
    assert _errors(result) == [("error", "missing_code", EP, 2, "PLACE_PROVIDER", None)]
    assert "placement U4 needs a provider" in result.problems[0].message
    assert "DfE rule 178" in result.problems[0].message


def test_an_ended_episode_without_its_reason_is_an_error(tmp_path: Path) -> None:
    """C2 left care on 01/03/2023 (E13): with REC blank it would count as leaving for "other"
    reasons, silently."""
    result = _load(tmp_path, {2023: good_files(episodes=_episodes((2, "REC", "")))})
    assert _errors(result) == [("error", "missing_code", EP, 4, "REC", None)]
    assert result.problems[0].message.startswith(
        "REC is blank, but the episode ended (DEC 01/03/2023): an ended episode needs the "
        "reason it ended (X1 when another episode follows); expected one of "
    )
    assert result.dataset is None


def test_a_reason_for_ending_on_an_open_episode_is_named(tmp_path: Path) -> None:
    """C2's episode with its DEC blanked but its reason (E13) kept read as still open: the
    child counted as looked after and not as ceased, silently. It still reads so (the peer's
    sample returns have hundreds), and says so."""
    result = _load(tmp_path, {2023: good_files(episodes=_episodes((2, "DEC", "")))})
    assert [_where(p) for p in result.problems] == [("warning", "missing_date", EP, 4, "DEC", None)]
    assert result.problems[0].message == (
        "DEC is blank, but the episode has the reason it ended (REC E13): read as still open, "
        "so the child counts as looked after and not as ceased; give the date it ended "
        "(dd/mm/yyyy), or leave REC blank if the episode is open (the DfE's rules refuse a "
        "reason without its date)"
    )
    assert result.ok


def test_an_open_episode_needs_no_reason(tmp_path: Path) -> None:
    result = _load(tmp_path, {2023: good_files(episodes=_episodes((1, "REC", "")))})
    assert result.problems == [] and result.ok


@pytest.mark.parametrize("place", ["T0", "T4", "Z1"])
def test_blank_provider_is_fine_for_temporary_and_other_placements(
    tmp_path: Path, place: str
) -> None:
    episodes = _episodes((2, "PLACE", place), (2, "PLACE_PROVIDER", ""))
    result = _load(tmp_path, {2023: good_files(episodes=episodes)})
    assert result.problems == [] and result.ok


def test_blank_in_touch_is_an_error(tmp_path: Path) -> None:
    files = good_files()
    files["oc3.csv"] = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC3,03/09/2006,,0,0\n"
    result = _load(tmp_path, {2023: files})
    assert _errors(result) == [
        ("error", "missing_code", "ssda903/2023/oc3.csv", 2, "IN_TOUCH", None)
    ]


# ------------------------------------------------------------------------------ Excel damage
def test_child_ids_in_scientific_notation_are_errors(tmp_path: Path) -> None:
    header = _header((0, "CHILD", "1.00E+06"))
    episodes = _episodes((0, "CHILD", "1.00E+06"), (1, "CHILD", "1E+06"))
    result = _load(tmp_path, {2023: good_files(header=header, episodes=episodes)})
    sci = sorted(_where(p) for p in _only(result, "excel_scientific_id"))
    assert sci == [
        ("error", "excel_scientific_id", EP, 2, "CHILD", "1.00E+06"),
        ("error", "excel_scientific_id", EP, 3, "CHILD", "1E+06"),
        ("error", "excel_scientific_id", HD, 2, "CHILD", "1.00E+06"),
    ]
    assert "scientific notation" in _only(result, "excel_scientific_id")[0].message
    assert result.dataset is None


def _workbook_return(tmp_path: Path) -> tuple[Path, object]:
    """A DATA folder whose 2023 episodes are an openpyxl workbook (returned to be damaged)."""
    import openpyxl

    root = write_data(tmp_path / "DATA", {2023: good_files()})
    (root / "ssda903" / "2023" / "episodes.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Episodes"
    sheet.append(EPISODE_COLUMNS)
    for row in GOOD_EPISODES:
        sheet.append([v or None for v in row])
    return root, book


def test_formula_without_a_saved_result_is_an_error(tmp_path: Path) -> None:
    root, book = _workbook_return(tmp_path)
    sheet = book.active  # type: ignore[attr-defined]
    sheet["H2"] = "=DATE(2022,8,20)"  # DEC of row 2: openpyxl saves no cached value
    book.save(root / "ssda903" / "2023" / "episodes.xlsx")  # type: ignore[attr-defined]
    result = load_data(root)
    assert _errors(result) == [
        (
            "error",
            "formula_without_value",
            "ssda903/2023/episodes.xlsx",
            2,
            "DEC",
            "=DATE(2022,8,20)",
        ),
    ]
    assert "no saved result" in result.problems[0].message
    assert result.dataset is None


@pytest.mark.parametrize("error", ["#N/A", "#REF!"])
def test_an_excel_error_in_a_cell_is_an_error(tmp_path: Path, error: str) -> None:
    """A VLOOKUP pasted as values leaves #N/A: calamine reads an error cell as blank, so a
    DEC of #N/A kept the child looked after, without a word."""
    root, book = _workbook_return(tmp_path)
    sheet = book.active  # type: ignore[attr-defined]
    sheet["H4"] = error  # DEC of C2's episode (ended 01/03/2023, E13)
    book.save(root / "ssda903" / "2023" / "episodes.xlsx")  # type: ignore[attr-defined]
    result = load_data(root)
    where = ("ssda903/2023/episodes.xlsx", 4, "DEC")
    assert _errors(result) == [("error", "excel_error", *where, error)]
    assert result.problems[0].message == (
        f"cell H4 holds the Excel error {error}, so it reads blank: correct the formula or "
        "type the value, then save the workbook"
    )
    assert result.dataset is None


def test_formula_with_a_saved_result_reads_its_value(tmp_path: Path) -> None:
    import xlsxwriter

    root = write_data(tmp_path / "DATA", {2023: good_files()})
    folder = root / "ssda903" / "2023"
    (folder / "episodes.csv").unlink()
    with xlsxwriter.Workbook(folder / "episodes.xlsx") as wb:
        ws = wb.add_worksheet("Episodes")
        ws.write_row(0, 0, EPISODE_COLUMNS)
        for i, row in enumerate(GOOD_EPISODES):
            ws.write_row(1 + i, 0, [v or None for v in row])
        ws.write_formula(1, 5, '="U"&"4"', None, "U4")  # PLACE of row 2, saved result U4
    result = load_data(root)
    assert result.problems == [] and result.ok


def test_merged_cells_leaving_a_blank_are_an_error(tmp_path: Path) -> None:
    root, book = _workbook_return(tmp_path)
    sheet = book.active  # type: ignore[attr-defined]
    sheet.insert_rows(1)
    sheet["A1"] = "Episodes export"
    sheet.merge_cells("A1:D1")  # a title above the table: harmless
    sheet.merge_cells("K4:L4")  # C1's second episode: HOME_POST over PL_POST
    book.save(root / "ssda903" / "2023" / "episodes.xlsx")  # type: ignore[attr-defined]
    result = load_data(root)
    assert _errors(result) == [
        ("error", "merged_cells", "ssda903/2023/episodes.xlsx", 4, "PL_POST", "K4:L4")
    ]
    assert result.problems[0].message.startswith(
        "cells K4:L4 are merged: only K4 keeps its value, so L4 (PL_POST) reads blank"
    )


def test_merged_blank_cells_lose_nothing(tmp_path: Path) -> None:
    root, book = _workbook_return(tmp_path)
    sheet = book.active  # type: ignore[attr-defined]
    sheet["M3"] = None  # URN of row 3 ...
    sheet.merge_cells("M3:M4")  # ... merged with the blank URN below: nothing is lost
    book.save(root / "ssda903" / "2023" / "episodes.xlsx")  # type: ignore[attr-defined]
    assert _only(load_data(root), "merged_cells") == []


def test_a_hidden_sheet_holding_a_table_is_named(tmp_path: Path) -> None:
    """An old copy of the episodes on a sheet Excel hides is read with the visible one: its
    rows count, so it is named even where every row is valid."""
    root, book = _workbook_return(tmp_path)
    old = book.create_sheet("Episodes (old)")  # type: ignore[attr-defined]
    old.append(EPISODE_COLUMNS)
    old.append([v or None for v in GOOD_EPISODES[0]])
    old.sheet_state = "hidden"
    lookup = book.create_sheet("Codes")  # type: ignore[attr-defined]
    lookup.append(["PLACE", "U1"])  # a hidden code list is no table: not named
    lookup.sheet_state = "hidden"
    book.save(root / "ssda903" / "2023" / "episodes.xlsx")  # type: ignore[attr-defined]
    hidden = _only(load_data(root), "hidden_sheet")
    assert [_where(p) for p in hidden] == [
        ("warning", "hidden_sheet", "ssda903/2023/episodes.xlsx:Episodes (old)", None, None, None)
    ]
    assert hidden[0].message.startswith("this sheet is hidden in Excel but holds a table")


def test_workbook_rows_of_spaces_are_named_and_empty_rows_skipped(tmp_path: Path) -> None:
    root, book = _workbook_return(tmp_path)
    sheet = book.active  # type: ignore[attr-defined]
    sheet.insert_rows(3, 2)  # row 3 stays empty, row 4 holds only spaces
    sheet["A4"] = "   "
    sheet["F4"] = " "
    book.save(root / "ssda903" / "2023" / "episodes.xlsx")  # type: ignore[attr-defined]
    result = load_data(root)
    assert [_where(p) for p in result.problems] == [
        ("warning", "blank_row", "ssda903/2023/episodes.xlsx", 4, None, None)
    ]
    assert result.ok and result.episodes == 4


# --------------------------------------------------------------------------- dates of birth
def test_date_of_birth_after_the_collection_year(tmp_path: Path) -> None:
    header = _header((1, "DOB", "01/01/2031"))
    result = _load(tmp_path, {2023: good_files(header=header)})
    assert _errors(result) == [("error", "dob_in_future", HD, 3, "DOB", "01/01/2031")]
    assert "after 31/03/2023, the end of the 2022-23 collection year" in result.problems[0].message


def test_date_of_birth_after_the_first_episode(tmp_path: Path) -> None:
    header = _header((0, "DOB", "01/06/2022"))  # C1's first DECOM is 10/05/2022
    result = _load(tmp_path, {2023: good_files(header=header)})
    assert _errors(result) == [("error", "dob_after_decom", HD, 2, "DOB", "01/06/2022")]
    assert "first DECOM (10/05/2022)" in result.problems[0].message


def test_born_on_the_day_care_starts_is_fine(tmp_path: Path) -> None:
    header = _header((0, "DOB", "10/05/2022"))
    assert _errors(_load(tmp_path, {2023: good_files(header=header)})) == []


# ---------------------------------------------------------------------------- collection year
def test_one_mistyped_decom_is_named_and_does_not_re_year_the_folder(tmp_path: Path) -> None:
    header, episodes = many_children(12, closed=True)
    episodes[5][1] = "15/11/2031"  # DECOM typed 2031
    episodes[5][7] = episodes[5][8] = ""
    result = _load(tmp_path, {2023: return_files(header, episodes)})
    assert _errors(result) == [
        ("error", "decom_after_collection_year", EP, 7, "DECOM", "15/11/2031")
    ]
    assert _only(result, "folder_year_mismatch") == []
    assert _only(result, "unknown_code") == []
    (p,) = result.problems
    assert "after 31/03/2023, the end of the 2022-23 return" in p.message
    assert "11 of the 12 episodes" in p.message


def test_majority_of_dates_re_years_a_misnamed_folder(tmp_path: Path) -> None:
    header, episodes = many_children(12, closed=True)  # all 2022-23 episodes
    result = _load(tmp_path, {2024: return_files(header, episodes)})
    (p,) = _only(result, "folder_year_mismatch")
    assert _where(p) == ("warning", "folder_year_mismatch", "ssda903/2024", None, None, "2024")
    assert "12 of the 12 episodes fit the 2022-23 return by their dates" in p.message
    assert result.dataset is not None and result.dataset.returns == (2023,)


def _half_closed() -> tuple[list[list[str]], list[list[str]]]:
    """A 2022-23 return: 12 children, six of whose episodes ended in the year, six still open."""
    header, episodes = many_children(12)
    for row in episodes[:6]:
        row[7], row[8] = "20/08/2022", "E11"
    return header, episodes


@pytest.mark.parametrize("folder", [2027, 2062])
def test_a_return_with_nothing_in_its_folders_year_is_read_as_the_year_its_dates_reach(
    tmp_path: Path, folder: int
) -> None:
    """The latest return put in a folder named too late: its open episodes look like the later
    year's (every child a year older, no starts, no leavers); nothing happens in the folder's
    year, and the episodes that ended did so before it."""
    result = _load(tmp_path, {folder: return_files(*_half_closed())})
    (p,) = _only(result, "folder_year_mismatch")
    assert _where(p) == (
        "warning", "folder_year_mismatch", f"ssda903/{folder}", None, None, str(folder)
    )  # fmt: skip
    assert p.message.startswith(
        f"no episode starts or ends in the {folder - 1}-{folder % 100:02d} return's year and 6 "
        "ended before it: its latest dates are in the 2022-23 year. "
    )
    assert p.message.endswith("read as the 2022-23 return (2023); rename the folder 2023")
    assert result.dataset is not None and result.dataset.returns == (2023,)


def test_a_quiet_year_beside_the_return_before_it_keeps_its_folders_year(tmp_path: Path) -> None:
    """A small council's year with no start and no leaver, its return carrying the earlier
    year's history: the year its dates reach is the folder before it, so the folder stands.
    (Its open episodes' details were corrected since, or it would be a copy of that return.)"""
    header, episodes = _half_closed()
    later = [[*row[:11], "HR2 6AD" if not row[7] else row[11], row[12]] for row in episodes]
    result = _load(
        tmp_path, {2023: return_files(header, episodes), 2024: return_files(header, later)}
    )
    assert _only(result, "folder_year_mismatch") == []
    assert result.dataset is not None and result.dataset.returns == (2023, 2024)


def test_a_placeholder_dec_in_an_earlier_return_is_named_and_keeps_its_folders_year(
    tmp_path: Path,
) -> None:
    """Open episodes exported with a "no end date" DEC of 31/12/2099 in the earlier return:
    those ends say nothing of the return's year (its folder stands); each is named as a DEC
    after the year that looks like a placeholder (and its blank REC as an ended episode's), so
    every problem names the date."""
    header, episodes = many_children(12)
    dated = [[*row[:7], "31/12/2099", *row[8:]] for row in episodes]
    result = _load(
        tmp_path,
        {2023: return_files(header, dated), 2024: return_files(*many_children(12))},
    )
    assert _only(result, "folder_year_mismatch") == []
    assert _only(result, "return_missing") == []
    late = _only(result, "dec_after_collection_year")
    assert [_where(p) for p in late] == [
        ("warning", "dec_after_collection_year", EP, row, "DEC", "31/12/2099")
        for row in range(2, 14)
    ]
    assert "a placeholder for no end date? leave DEC blank" in late[0].message
    assert {p.code for p in result.problems} == {"dec_after_collection_year", "missing_code"}
    assert all("31/12/2099" in p.message for p in result.problems)


def test_a_return_of_only_open_episodes_keeps_its_folders_year(tmp_path: Path) -> None:
    """Children looked after throughout a year with no other episode: nothing says the folder
    is wrong (no episode ended before its year)."""
    result = _load(tmp_path, {2024: return_files(*many_children(12))})
    assert _only(result, "folder_year_mismatch") == []
    assert result.dataset is not None and result.dataset.returns == (2024,)


def test_a_return_missing_between_two_others_is_named(tmp_path: Path) -> None:
    """A middle year's folder lost: its 31 March and its year's starts and leavers would be
    worked out from the other returns alone, without a word."""
    header, episodes = _half_closed()
    later = [[f"L{i}", "M", *row[2:]] for i, row in enumerate(header)]  # SEX as from 2024-25
    later_eps = [[f"L{i}", "10/05/2025", *row[2:7], "", "", "", "", "", ""] for i, row in
                 enumerate(episodes)]  # fmt: skip
    result = _load(
        tmp_path,
        {2023: return_files(header, episodes), 2026: return_files(later, later_eps)},
    )
    found = _only(result, "return_missing")
    assert [_where(p) for p in found] == [
        ("warning", "return_missing", f"ssda903/{y}", None, None, None) for y in (2024, 2025)
    ]
    assert found[0].message == (
        "no 2023-24 return (no folder ssda903/2024) between the 2022-23 and 2025-26 returns: "
        "figures for 31 March 2024 and the year to it are worked out from the other returns' "
        "episodes alone, so children who started and left within 2023-24 are missing from them; "
        "add the return"
    )
    assert result.dataset is not None and result.dataset.returns == (2023, 2026)


# ----------------------------------------------------------------------------------- postcodes
def test_postcodes_that_are_not_postcodes_are_named_and_read_as_blank(tmp_path: Path) -> None:
    episodes = _episodes(
        (0, "PL_POST", "XX"), (1, "HOME_POST", "12345"), (2, "PL_POST", "NOT KNOWN")
    )
    result = _load(tmp_path, {2023: good_files(episodes=episodes)})
    assert sorted(_where(p) for p in result.problems) == [
        ("warning", "bad_postcode", EP, 2, "PL_POST", "XX"),
        ("warning", "bad_postcode", EP, 3, "HOME_POST", "12345"),
        ("warning", "bad_postcode", EP, 4, "PL_POST", "NOT KNOWN"),
    ]
    assert all(
        "it is read as blank, so this placement's distance" in p.message for p in result.problems
    )
    assert result.dataset is not None
    eps = result.dataset.episodes
    assert eps.get_column("PL_POST").to_list()[:3] == [None, "B1 1AA", None]
    assert eps.get_column("HOME_POST").to_list()[1] is None


def test_partial_postcodes_are_postcodes(tmp_path: Path) -> None:
    """A sector or district is read as one (not a bad postcode), and named: it has no distance."""
    episodes = _episodes((0, "PL_POST", "HR2 6"), (1, "PL_POST", "B1"), (2, "PL_POST", "GIR 0AA"))
    result = _load(tmp_path, {2023: good_files(episodes=episodes)})
    assert [(p.severity, p.code, p.row, p.value) for p in result.problems] == [
        ("warning", "postcode_not_full", 2, "HR2 6"),
        ("warning", "postcode_not_full", 3, "B1"),
    ]


def test_many_bad_postcodes_are_counted(tmp_path: Path) -> None:
    header, episodes = many_children(30)
    for row in episodes:
        row[11] = "NOT KNOWN"
    result = _load(tmp_path, {2023: return_files(header, episodes)})
    bad = _only(result, "bad_postcode")
    assert len(bad) == 21 and bad[20].row is None
    assert bad[20].message.startswith("10 more row(s) like the above")
    assert result.ok


# ---------------------------------------------------------------------------------- CSV shape
def test_row_with_more_fields_than_the_header_is_an_error(tmp_path: Path) -> None:
    lines = csv_text(EPISODE_COLUMNS, GOOD_EPISODES).splitlines()
    lines[2] += ",X1,E3,A,B,C,D,E"  # 20 fields in a 13-column file
    files = good_files()
    files["episodes.csv"] = "\n".join(lines) + "\n"
    result = _load(tmp_path, {2023: files})
    assert _errors(result) == [("error", "long_row", EP, 3, None, "X1,E3,A,B,C,D,E")]
    assert result.problems[0].message.startswith("row has 20 fields; the header has 13")


def test_trailing_empty_fields_lose_nothing(tmp_path: Path) -> None:
    lines = csv_text(EPISODE_COLUMNS, GOOD_EPISODES).splitlines()
    lines[2] += ",,"
    files = good_files()
    files["episodes.csv"] = "\n".join(lines) + "\n"
    result = _load(tmp_path, {2023: files})
    assert result.problems == [] and result.ok


def test_quoted_commas_are_not_extra_fields(tmp_path: Path) -> None:
    lines = csv_text(EPISODE_COLUMNS, GOOD_EPISODES).splitlines()
    lines[1] = lines[1].replace("SC123456", '"SC123456"')
    files = good_files()
    files["episodes.csv"] = "\n".join(lines) + "\n"
    files["header.csv"] = csv_text([*HEADER_COLUMNS, "NOTE"], [[*r, '"a, b"'] for r in GOOD_HEADER])
    result = _load(tmp_path, {2023: files})
    assert [p.code for p in result.problems] == ["extra_column"]


def test_commas_only_and_spaces_only_lines_are_named_alike(tmp_path: Path) -> None:
    lines = csv_text(EPISODE_COLUMNS, GOOD_EPISODES).splitlines()
    lines.insert(2, ",,,,,,,,,,,,")  # row 3
    lines.insert(4, "   ")  # row 5
    files = good_files()
    files["episodes.csv"] = "\n".join(lines) + "\n\n"  # a trailing empty line is not named
    result = _load(tmp_path, {2023: files})
    assert [_where(p) for p in result.problems] == [
        ("warning", "blank_row", EP, 3, None, None),
        ("warning", "blank_row", EP, 5, None, None),
    ]
    assert result.problems[0].message == result.problems[1].message
    assert result.ok and result.episodes == 4


def test_rows_keep_their_numbers_after_a_blank_line(tmp_path: Path) -> None:
    lines = csv_text(EPISODE_COLUMNS, _episodes((2, "PLACE", "Q9"))).splitlines()
    lines.insert(2, "")  # an empty line in the middle: C2's episode moves to row 5
    files = good_files()
    files["episodes.csv"] = "\n".join(lines) + "\n"
    result = _load(tmp_path, {2023: files})
    assert [_where(p)[:5] for p in result.problems] == [
        ("warning", "blank_row", EP, 3, None),
        ("error", "unknown_code", EP, 5, "PLACE"),
    ]


# ---------------------------------------------------------------- two header files in a year
def test_conflicting_dates_of_birth_in_two_header_files(tmp_path: Path) -> None:
    files = good_files()
    files["header_extra.csv"] = csv_text(HEADER_COLUMNS, [_header((1, "DOB", "16/02/2015"))[1]])
    result = _load(tmp_path, {2023: files})
    assert _errors(result) == [
        ("error", "conflicting_dob", "ssda903/2023/header_extra.csv", 2, "DOB", "16/02/2015")
    ]
    assert result.problems[0].message == (
        "child C2 has DOB 16/02/2015 here but 15/02/2015 in ssda903/2023/header.csv row 3: "
        "a child has one date of birth; correct the wrong one"
    )
    assert result.dataset is None


def test_the_same_child_in_two_header_files_is_read_once(tmp_path: Path) -> None:
    files = good_files()
    files["header_extra.csv"] = csv_text(HEADER_COLUMNS, [_header((1, "ETHNIC", "BAFR"))[1]])
    result = _load(tmp_path, {2023: files})
    assert [_where(p) for p in result.problems] == [
        ("warning", "duplicate_child", HD, 3, "CHILD", "C2")
    ]
    assert result.dataset is not None and result.dataset.children.height == 3
    c2 = result.dataset.children.filter(pl.col("CHILD") == "C2")
    assert c2.get_column("ETHNIC").to_list() == ["BAFR"]


def test_conflicting_dates_of_birth_in_one_file(tmp_path: Path) -> None:
    header = [*GOOD_HEADER, _header((1, "DOB", "16/02/2015"))[1]]
    result = _load(tmp_path, {2023: good_files(header=header)})
    assert _errors(result) == [("error", "conflicting_dob", HD, 5, "DOB", "16/02/2015")]


# -------------------------------------------------------------------------- copied returns
def test_a_return_copied_into_another_year_is_an_error(tmp_path: Path) -> None:
    result = _load(tmp_path, {2023: good_files(), 2024: good_files()})
    dup = [_where(p) for p in _only(result, "duplicate_return")]
    assert dup == [("error", "duplicate_return", "ssda903/2024", None, None, None)]
    message = _only(result, "duplicate_return")[0].message
    assert message.startswith("this return is identical to the 2022-23 return (ssda903/2023)")
    assert result.dataset is None


def test_a_return_sharing_95_percent_of_its_rows_is_an_error(tmp_path: Path) -> None:
    header, episodes = many_children(20, closed=True)
    later = [*episodes, ["K0", "01/06/2023", "S", "C2", "N1", "U4", "PR1", "", "", "", "", "", ""]]
    result = _load(
        tmp_path, {2023: return_files(header, episodes), 2024: return_files(header, later)}
    )
    (p,) = _only(result, "duplicate_return")
    assert _where(p) == ("error", "duplicate_return", "ssda903/2024", None, None, None)
    assert "shares 20 of its 21 episode rows (95%) with the 2022-23 return" in p.message


def test_returns_sharing_their_open_episodes_are_fine(tmp_path: Path) -> None:
    # A child still in the same placement appears unchanged in the next return.
    header, episodes = many_children(20)
    later = [list(r) for r in episodes]
    later[0][7], later[0][8] = "01/06/2023", "E11"
    result = _load(
        tmp_path, {2023: return_files(header, episodes), 2024: return_files(header, later)}
    )
    assert _only(result, "duplicate_return") == []
    assert _errors(result) == []


# --------------------------------------------------------------------------------- OC3 codes
def test_unknown_care_leaver_codes_are_errors(tmp_path: Path) -> None:
    files = good_files()
    files["oc3.csv"] = (
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC3,03/09/2006,MAYBE,F1,B1\nC1,01/06/2010,YES,F1,Q9\n"
    )
    result = _load(tmp_path, {2023: files})
    oc3 = "ssda903/2023/oc3.csv"
    assert _errors(result) == [
        ("error", "unknown_code", oc3, 2, "IN_TOUCH", "MAYBE"),
        ("error", "unknown_code", oc3, 3, "ACCOM", "Q9"),
    ]
    assert "expected one of DIED, NO, NREQ, REFU, RHOM, YES" in result.problems[0].message


def _year_earlier(rows: list[list[str]]) -> list[list[str]]:
    """Rows with every dd/mm/yyyy date one year earlier."""

    def shift(v: str) -> str:
        if len(v) == 10 and v[2] == "/" and v[5] == "/":
            return f"{v[:6]}{int(v[6:]) - 1}"
        return v

    return [[shift(v) for v in r] for r in rows]


def test_older_returns_keep_older_activity_codes_with_a_warning(tmp_path: Path) -> None:
    files = good_files(header=_year_earlier(GOOD_HEADER), episodes=_year_earlier(GOOD_EPISODES))
    files["uasc.csv"] = "CHILD,SEX,DOB,DUC\nC3,1,03/09/2005,03/09/2023\n"
    files["oc3.csv"] = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC3,03/09/2005,YES,F3,01\n"
    result = _load(tmp_path, {2022: files})
    oc3 = "ssda903/2022/oc3.csv"
    assert [_where(p) for p in result.problems] == [
        ("warning", "legacy_code", oc3, 2, "ACTIV", "F3"),
        ("warning", "legacy_code", oc3, 2, "ACCOM", "01"),
    ]
    assert result.dataset is not None
    assert result.dataset.tables["oc3"].get_column("ACTIV").to_list() == ["F3"]


def test_older_returns_still_refuse_codes_of_no_known_shape(tmp_path: Path) -> None:
    files = good_files(header=_year_earlier(GOOD_HEADER), episodes=_year_earlier(GOOD_EPISODES))
    files["uasc.csv"] = "CHILD,SEX,DOB,DUC\nC3,1,03/09/2005,03/09/2023\n"
    files["oc3.csv"] = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC3,03/09/2005,MAYBE,F9,Q9\n"
    result = _load(tmp_path, {2022: files})
    oc3 = "ssda903/2022/oc3.csv"
    assert _errors(result) == [
        ("error", "unknown_code", oc3, 2, "IN_TOUCH", "MAYBE"),
        ("error", "unknown_code", oc3, 2, "ACTIV", "F9"),
        ("error", "unknown_code", oc3, 2, "ACCOM", "Q9"),
    ]


def test_care_leaver_rows_for_children_in_no_header_are_left_out(tmp_path: Path) -> None:
    files = good_files()
    rows = [f"X{i},01/01/2003,YES,F1,B1" for i in range(12)]
    files["oc3.csv"] = (
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nC3,03/09/2006,YES,F1,B1\n" + "\n".join(rows) + "\n"
    )
    oc2 = TABLES["oc2"].columns
    files["oc2.csv"] = csv_text(list(oc2), [["Z1", "01/01/2012", *[""] * (len(oc2) - 2)]])
    result = _load(tmp_path, {2023: files})
    assert [_where(p) for p in result.problems] == [
        ("warning", "rows_for_unknown_children", "ssda903/2023/oc2.csv", None, "CHILD", None),
        ("warning", "rows_for_unknown_children", "ssda903/2023/oc3.csv", None, "CHILD", None),
    ]
    assert result.problems[0].message == (
        "1 row is for a child in no header of the 2022-23 return (Z1): it is left out"
    )
    assert result.problems[1].message == (
        "12 rows are for children in no header of the 2022-23 return (X0, X1, X2, X3, X4, X5, "
        "X6, X7, X8, X9 and 2 more): they are left out"
    )
    assert result.dataset is not None
    assert result.dataset.tables["oc3"].get_column("CHILD").to_list() == ["C3"]


# ------------------------------------------------------------------- encodings and delimiters
@pytest.fixture
def reference(good_data: Path) -> LoadResult:
    result = load_data(good_data)
    assert result.dataset is not None
    return result


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(
    tmp_path: Path, reference: LoadResult, encoding: str
) -> None:
    files = good_files()
    files["episodes.csv"] = str(files["episodes.csv"]).encode(encoding)
    result = _load(tmp_path, {2023: files})
    assert result.problems == []
    assert result.dataset is not None and reference.dataset is not None
    assert_frame_equal(result.dataset.episodes, reference.dataset.episodes)


@pytest.mark.parametrize(
    ("delimiter", "name"), [(";", "semicolons"), ("\t", "tabs"), ("|", "bars")]
)
def test_other_delimiters_are_detected_and_named(
    tmp_path: Path, reference: LoadResult, delimiter: str, name: str
) -> None:
    files = good_files()
    files["episodes.csv"] = str(files["episodes.csv"]).replace(",", delimiter).encode("cp1252")
    result = _load(tmp_path, {2023: files})
    assert [_where(p) for p in result.problems] == [
        ("warning", "delimiter_detected", EP, None, None, delimiter)
    ]
    assert result.problems[0].message == (
        f"the columns are separated by {name} ({delimiter!r}), not commas: the file is read so"
    )
    assert result.dataset is not None and reference.dataset is not None
    assert_frame_equal(result.dataset.episodes, reference.dataset.episodes)


# ----------------------------------------------------------------- children across the tables
def test_header_child_in_no_other_table_is_named(tmp_path: Path) -> None:
    header, episodes = many_children(20)
    header.append(["K99", "2", "01/01/2012", "WBRI", "", "", ""])
    result = _load(tmp_path, {2023: return_files(header, episodes)})
    assert [_where(p) for p in result.problems] == [
        ("warning", "child_only_in_header", HD, 22, "CHILD", "K99")
    ]
    assert result.ok


OC3_HEADER = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"


def test_episodes_covering_too_few_header_children_is_an_error(tmp_path: Path) -> None:
    header, episodes = many_children(20)
    files = return_files(header, episodes[:17])
    files["oc3.csv"] = OC3_HEADER  # the return has its care leavers table (none this year)
    result = _load(tmp_path, {2023: files})
    assert _errors(result) == [("error", "episodes_incomplete", EP, None, None, None)]
    (p,) = _only(result, "episodes_incomplete")
    assert p.message.startswith("the episodes cover 17 of the 20 children in the header (85%")
    assert p.message.endswith("Children with no episode: K17, K18, K19")
    assert len(_only(result, "child_only_in_header")) == 3
    assert result.dataset is None


def test_too_few_episodes_without_outcome_tables_is_a_warning(tmp_path: Path) -> None:
    # With no OC2, OC3 or AD1 table the children with no episode may be care leavers.
    header, episodes = many_children(20)
    result = _load(tmp_path, {2023: return_files(header, episodes[:17])})
    (p,) = _only(result, "episodes_incomplete")
    assert _where(p) == ("warning", "episodes_incomplete", EP, None, None, None)
    assert "this return has no OC2, OC3 or AD1 table" in p.message
    assert result.ok


def test_care_leavers_only_in_oc3_do_not_count_against_coverage(tmp_path: Path) -> None:
    header, episodes = many_children(20)
    files = return_files(header, episodes[:17])
    files["oc3.csv"] = OC3_HEADER + "".join(f"K{i},01/06/2010,YES,F1,B1\n" for i in (17, 18, 19))
    result = _load(tmp_path, {2023: files})
    assert result.problems == [] and result.ok


# ----------------------------------------------------------------------------------- the guide
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "getting-your-data.md"
DAMAGE_CODES = (
    "empty_table", "missing_code", "excel_scientific_id", "formula_without_value",
    "merged_cells", "dob_in_future", "dob_after_decom", "decom_after_collection_year",
    "bad_postcode", "long_row", "blank_row", "conflicting_dob", "duplicate_return",
    "legacy_code", "rows_for_unknown_children", "delimiter_detected", "child_only_in_header",
    "episodes_incomplete", "hidden_sheet",
)  # fmt: skip


@pytest.mark.parametrize("code", DAMAGE_CODES)
def test_the_guide_explains_every_damage_code(code: str) -> None:
    assert f"| `{code}` |" in GUIDE.read_text(encoding="utf-8")


def test_rows_hidden_in_excel_are_read_and_named(tmp_path: Path) -> None:
    """An analyst who filtered rows out of the export meaning to leave them out: they were read
    and counted with no word (hidden sheets were named already)."""
    root, book = _workbook_return(tmp_path)
    sheet = book.active  # type: ignore[attr-defined]
    for row in (3, 4):  # C1's second episode and C2's
        sheet.row_dimensions[row].hidden = True
    book.save(root / "ssda903" / "2023" / "episodes.xlsx")  # type: ignore[attr-defined]
    result = load_data(root)
    assert [_where(p) for p in result.problems] == [
        ("warning", "hidden_rows", "ssda903/2023/episodes.xlsx", None, None, None)
    ]
    assert result.problems[0].message == (
        "rows 3-4 are hidden in Excel (hidden or filtered out) but are read and counted like "
        "the others: unhide them to check they belong here, or delete them"
    )
    assert result.dataset is not None and result.dataset.episodes.height == 4
