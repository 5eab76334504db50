"""Damaged SSDA903 returns found by fuzzing a whole synthetic council (round 3): each is named
(file, row, field, what was expected), and none loads silently with wrong numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_data import (
    EPISODE_COLUMNS,
    GOOD_EPISODES,
    GOOD_HEADER,
    csv_text,
    good_files,
    where,
    write_data,
)
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult
from sufficiency.ingest.problems import VALUE_SHOWN, Problem

UASC_COLUMNS = ["CHILD", "SEX", "DOB", "DUC"]
AD1_COLUMNS = ["CHILD", "DOB", "DATE_INT", "DATE_MATCH"]
#: The 2023-24 return of the good return's children: C1 and C3 still open, C2 back in care.
EPISODES_2024 = [
    GOOD_EPISODES[1],
    ["C2", "01/06/2023", "S", "V2", "N2", "U1", "PR1", "", "", "", "HR4 9QQ", "HR4 9QQ", ""],
    GOOD_EPISODES[3],
]


def _two_returns(root: Path, later: dict[str, str | bytes | None]) -> Path:
    """The good 2022-23 return (with an AD1 row for C1) and a 2023-24 one of the same children,
    its files replaced by ``later`` (None: the file left out)."""
    earlier = {
        **good_files(),
        "ad1.csv": csv_text(AD1_COLUMNS, [["C1", "01/06/2010", "01/02/2023", ""]]),
    }
    files: dict[str, str | bytes] = {
        **good_files(episodes=EPISODES_2024),
        "ad1.csv": csv_text(AD1_COLUMNS, [["C1", "01/06/2010", "01/02/2023", "01/03/2024"]]),
    }
    for name, text in later.items():
        if text is None:
            files.pop(name)
        else:
            files[name] = text
    return write_data(root, {2023: earlier, 2024: files})


def _codes(result: LoadResult, code: str) -> list[Problem]:
    return [p for p in result.problems if p.code == code]


def _validate(root: Path) -> tuple[int, list[dict[str, object]]]:
    """``sufficiency validate --json``: its exit code and problems."""
    out = CliRunner().invoke(app, ["validate", str(root), "--json"])
    problems = json.loads(out.stdout)["problems"]
    return out.exit_code, problems


# ------------------------------------------------- D3: a table the latest return lost
def test_both_returns_whole_name_no_lost_table(tmp_path: Path) -> None:
    result = load_data(_two_returns(tmp_path / "D", {}))
    assert _codes(result, "table_lost") == [] and result.ok


@pytest.mark.parametrize(
    ("uasc", "how"),
    [
        (csv_text(UASC_COLUMNS, []), "uasc table has only its header line, no rows"),
        (None, "has no uasc table"),
        (b"", "has no uasc table"),
    ],
)
def test_a_uasc_table_the_latest_return_lost_is_named(
    tmp_path: Path, uasc: str | bytes | None, how: str
) -> None:
    """Before, a header-only or missing uasc.csv loaded silently: C3, UASC until 03/09/2024 in
    the 2022-23 return and still looked after in 2023-24, was no longer a UASC child."""
    result = load_data(_two_returns(tmp_path / "D", {"uasc.csv": uasc}))
    (lost,) = _codes(result, "table_lost")
    assert where(lost) == ("warning", "table_lost", "ssda903/2024", None, None)
    assert how in lost.message
    still = "lists 1 children whose uasc rows still hold in 2023-24 (blank or later DUC)"
    assert f"the 2022-23 return {still}" in lost.message
    assert "(C3)" in lost.message and "their UASC status" in lost.message
    assert result.ok  # a warning: the load goes on, and says what it lost


def test_any_optional_table_the_latest_return_lost_is_named(tmp_path: Path) -> None:
    result = load_data(_two_returns(tmp_path / "D", {"ad1.csv": None}))
    (lost,) = _codes(result, "table_lost")
    assert lost.file == "ssda903/2024"
    assert "has no ad1 table" in lost.message and "(C1)" in lost.message
    assert "adoption decisions and matches" in lost.message


def test_a_uasc_status_that_ended_is_not_lost(tmp_path: Path) -> None:
    """C3's UASC status ceased in the earlier return's year: nothing of it is lost."""
    root = _two_returns(tmp_path / "D", {"uasc.csv": None})
    ended = csv_text(UASC_COLUMNS, [["C3", "1", "03/09/2006", "03/09/2022"]])
    (root / "ssda903" / "2023" / "uasc.csv").write_text(ended)
    assert _codes(load_data(root), "table_lost") == []


#: Optional tables whose rows end on a date: (file, columns, C1's row that ended 01/02/2023
#: in the 2022-23 return, the same row still open at 31 March 2023).
ENDING_ROWS = [
    (
        "missing.csv",
        ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
        ["C1", "01/06/2010", "M", "20/01/2023", "01/02/2023"],
        ["C1", "01/06/2010", "M", "20/01/2023", ""],
    ),
    (
        "dolo.csv",
        ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
        ["C1", "01/06/2010", "01/11/2022", "01/02/2023"],
        ["C1", "01/06/2010", "01/11/2022", "01/05/2023"],
    ),
    (
        "placed_for_adoption.csv",
        ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
        ["C1", "01/06/2010", "01/11/2022", "01/02/2023", "E"],
        ["C1", "01/06/2010", "01/11/2022", "", ""],
    ),
    (
        "sw_episodes.csv",
        ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
        ["C1", "01/06/2010", "SW1", "01/11/2022", "01/02/2023", "MANAGE"],
        ["C1", "01/06/2010", "SW1", "01/11/2022", "", ""],
    ),
]


@pytest.mark.parametrize(("name", "columns", "ended", "open_"), ENDING_ROWS)
def test_a_table_whose_rows_all_ended_is_not_lost(
    tmp_path: Path, name: str, columns: list[str], ended: list[str], open_: list[str]
) -> None:
    """A missing episode, DoLS order, placement for adoption or social worker episode that ended
    in the earlier year says nothing of the next: a small council's next return with none is
    whole (synth's own 25-child councils were warned of a lost missing table)."""
    root = _two_returns(tmp_path / "D", {})
    (root / "ssda903" / "2023" / name).write_text(csv_text(columns, [ended]))
    assert _codes(load_data(root), "table_lost") == []


@pytest.mark.parametrize(("name", "columns", "ended", "open_"), ENDING_ROWS)
def test_a_table_whose_row_was_still_open_is_lost(
    tmp_path: Path, name: str, columns: list[str], ended: list[str], open_: list[str]
) -> None:
    root = _two_returns(tmp_path / "D", {})
    (root / "ssda903" / "2023" / name).write_text(csv_text(columns, [open_]))
    (lost,) = _codes(load_data(root), "table_lost")
    table = name.removesuffix(".csv")
    assert f"has no {table} table" in lost.message and "(C1)" in lost.message
    assert f"whose {table} rows still hold in 2023-24 (blank or later " in lost.message


# ------------------------------------------------- D4: a UASC status ceasing before birth
@pytest.mark.parametrize("duc", ["02/09/2006", "01/01/1990"])
def test_a_duc_before_the_childs_birth_is_an_error(tmp_path: Path, duc: str) -> None:
    """Before, the child silently dropped out of the UASC counts."""
    files = {**good_files(), "uasc.csv": csv_text(UASC_COLUMNS, [["C3", "1", "03/09/2006", duc]])}
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert [(where(p), p.value) for p in result.problems] == [
        (("error", "date_before_birth", "ssda903/2023/uasc.csv", 2, "DUC"), duc)
    ]
    assert f"DUC {duc} is before the child's DOB (03/09/2006)" in result.problems[0].message
    assert result.dataset is None


# ------------------------------------------------- D5: one episode twice, told two ways
def test_a_conflicting_duplicate_episode_is_an_error_naming_both_rows(tmp_path: Path) -> None:
    """Before, a warning: the later row silently won, and measures ran with exit 0."""
    changed = list(GOOD_EPISODES[3])
    changed[5], changed[6] = "U5", "PR2"  # C3's episode again, another placement
    rows = [*GOOD_EPISODES, changed]
    root = write_data(tmp_path / "D", {2023: good_files(episodes=rows)})
    result = load_data(root)
    (p,) = result.problems
    assert (where(p), p.value) == (
        ("error", "duplicate_episode", "ssda903/2023/episodes.csv", 5, "DECOM"),
        "15/11/2021",
    )
    assert "another PLACE, PLACE_PROVIDER (ssda903/2023/episodes.csv row 6)" in p.message
    assert result.dataset is None
    code, problems = _validate(root)
    assert code == 1 and [q["code"] for q in problems] == ["duplicate_episode"]


def test_an_exact_duplicate_episode_stays_a_warning(tmp_path: Path) -> None:
    rows = [*GOOD_EPISODES, GOOD_EPISODES[3]]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=rows)}))
    assert [where(p) for p in result.problems] == [
        ("warning", "duplicate_row", "ssda903/2023/episodes.csv", 6, None)
    ]
    assert result.ok


# ------------------------------------------------- D6: a DEC after the latest return's year
def test_a_dec_after_the_latest_returns_year_is_an_error(tmp_path: Path) -> None:
    """Before, a warning ("a later return would replace it") though none was loaded: the child
    counted as leaving care on 01/01/2025."""
    eps = [list(r) for r in EPISODES_2024]
    eps[1][7:9] = ["01/01/2025", "E13"]
    root = _two_returns(tmp_path / "D", {"episodes.csv": csv_text(EPISODE_COLUMNS, eps)})
    result = load_data(root)
    (p,) = _codes(result, "dec_after_collection_year")
    assert (where(p), p.value) == (
        ("error", "dec_after_collection_year", "ssda903/2024/episodes.csv", 3, "DEC"),
        "01/01/2025",
    )
    assert "no later return is loaded to replace it" in p.message
    assert result.dataset is None
    assert _validate(root)[0] == 1


def test_a_dec_after_an_earlier_returns_year_stays_a_warning(tmp_path: Path) -> None:
    """The 2023-24 return replaces the 2022-23 one's DEC for its own year: kept, with a word."""
    root = _two_returns(tmp_path / "D", {})
    eps = [list(r) for r in GOOD_EPISODES]
    eps[2][7] = "02/04/2023"
    (root / "ssda903" / "2023" / "episodes.csv").write_text(csv_text(EPISODE_COLUMNS, eps))
    result = load_data(root)
    (p,) = _codes(result, "dec_after_collection_year")
    assert where(p) == (
        "warning",
        "dec_after_collection_year",
        "ssda903/2023/episodes.csv",
        4,
        "DEC",
    )
    assert "the date is kept" in p.message
    assert result.ok


# ------------------------------------------------- D7: a postcode no place has
def test_a_postcode_not_in_the_directory_is_named(tmp_path: Path) -> None:
    """Before, nothing: the placement's distance became unknown without a word."""
    eps = [list(r) for r in GOOD_EPISODES]
    eps[1][11] = "B99 9ZZ"
    root = write_data(tmp_path / "D", {2023: good_files(episodes=eps)})
    result = load_data(root)
    assert [(where(p), p.value) for p in result.problems] == [
        (("warning", "unknown_postcode", "ssda903/2023/episodes.csv", 3, "PL_POST"), "B99 9ZZ")
    ]
    assert "not in the ONS postcode directory: the distance for this placement is unknown" in (
        result.problems[0].message
    )
    assert result.ok


def test_many_unknown_postcodes_are_summarised(tmp_path: Path) -> None:
    header = [[f"K{i}", "1", "01/06/2010", "WBRI", "", "", ""] for i in range(25)]
    eps = [
        [f"K{i}", "10/05/2022", "S", "C2", "N1", "U4", "PR1", "", "", "", "HR1 2AB", "B99 9ZZ", ""]
        for i in range(25)
    ]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header, eps)}))
    found = _codes(result, "unknown_postcode")
    assert len(found) == 21 and [p.row for p in found[:20]] == list(range(2, 22))
    assert found[20].message.startswith("5 more row(s) like the above")


# ------------------------------------------------- D8: a huge cell echoed whole
def test_a_huge_cell_is_quoted_cut_short(tmp_path: Path) -> None:
    """Before, a 200,000-character HOME_POST was echoed whole, twice (value and message)."""
    eps = [list(r) for r in GOOD_EPISODES]
    eps[0][10] = "HR1 1AA" + "X" * 200_000
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=eps)}))
    (p,) = result.problems
    assert where(p) == ("warning", "bad_postcode", "ssda903/2023/episodes.csv", 2, "HOME_POST")
    assert p.value is not None and len(p.value) == VALUE_SHOWN and p.value.endswith("...")
    assert len(p.message) < 2 * VALUE_SHOWN + 300


def test_a_huge_child_id_is_quoted_cut_short_in_a_conflicting_dob(tmp_path: Path) -> None:
    """A child id of 100,000 characters given two dates of birth: the message names it cut."""
    huge = "C" * 100_000
    header = [[huge, *GOOD_HEADER[0][1:]], [huge, "1", "02/06/2010", *GOOD_HEADER[0][3:]]]
    header += [list(r) for r in GOOD_HEADER[1:]]
    episodes = [[huge if r[0] == "C1" else r[0], *r[1:]] for r in GOOD_EPISODES]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header, episodes)}))
    (p,) = _codes(result, "conflicting_dob")
    assert where(p) == ("error", "conflicting_dob", "ssda903/2023/header.csv", 3, "DOB")
    assert f"child {huge[: VALUE_SHOWN - 3]}... has DOB 02/06/2010 here" in p.message
    assert len(p.message) < VALUE_SHOWN + 200


# ------------------------------------------------- D11: a quoted value over two lines
def test_a_quoted_value_over_two_lines_is_not_an_unclosed_quote(tmp_path: Path) -> None:
    """Before, an untrue ``unclosed_quote ... rows are lost`` (no row was lost)."""
    lines = str(good_files()["episodes.csv"]).splitlines()
    lines[2] = lines[2].replace(",B1 1AA,", ',"B1\n1AA",')
    files = {**good_files(), "episodes.csv": "\n".join(lines) + "\n"}
    root = write_data(tmp_path / "D", {2023: files})
    result = load_data(root)
    errors = [(where(p), p.value) for p in result.problems if p.severity == "error"]
    assert errors == [
        (("error", "line_break_in_cell", "ssda903/2023/episodes.csv", 3, "PL_POST"), "B1\n1AA")
    ]
    assert "holds a line break inside its quotes" in result.problems[0].message
    assert _codes(result, "unclosed_quote") == []
    assert _validate(root)[0] == 1
    assert result.episodes == len(GOOD_EPISODES)  # every row read: none is lost in the cell
