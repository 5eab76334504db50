"""Every problem class of DESIGN.md, each from a hand-made bad file, asserting the exact record."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import polars as pl
from ingest_data import (
    EPISODE_COLUMNS,
    GOOD_EPISODES,
    GOOD_HEADER,
    HEADER_COLUMNS,
    csv_text,
    good_files,
    write_data,
)

from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult
from sufficiency.ingest.problems import Problem


def _where(p: Problem) -> tuple[str, str, str, int | None, str | None]:
    return (p.severity, p.code, p.file, p.row, p.column)


def _only(result: LoadResult, code: str) -> list[Problem]:
    return [p for p in result.problems if p.code == code]


def _episodes(**changes: tuple[int, int, str]) -> list[list[str]]:
    rows = copy.deepcopy(GOOD_EPISODES)
    for _, (r, c, v) in changes.items():
        rows[r][c] = v
    return rows


def test_good_return_loads_without_problems(good_data: Path) -> None:
    result = load_data(good_data)
    assert result.problems == []
    assert result.ok and result.dataset is not None
    assert (result.children, result.episodes) == (3, 4)
    ds = result.dataset
    assert ds.returns == (2023,)
    assert ds.children.sort("CHILD").get_column("SEX").to_list() == ["M", "F", "M"]
    assert ds.episodes.get_column("DECOM").dtype == pl.Date
    assert ds.uasc.get_column("DUC").to_list() == [dt.date(2024, 9, 3)]
    assert [(r.year, r.children, r.episodes) for r in result.returns] == [(2023, 3, 4)]
    # The hub's derived frames work on what ingest built: C1's two episodes form one period.
    periods = ds.periods_of_care.sort("CHILD")
    assert periods.select("CHILD", "episodes").rows() == [("C1", 2), ("C2", 1), ("C3", 1)]


# ------------------------------------------------------------------------------------- errors
def test_binary_file_is_unreadable(tmp_path: Path) -> None:
    files = good_files()
    files["episodes.csv"] = b"\x00\x01\x02\x03binary\x00junk"
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert result.dataset is None
    (p,) = _only(result, "file_unreadable")
    assert _where(p) == ("error", "file_unreadable", "ssda903/2023/episodes.csv", None, None)
    assert "binary file, not a CSV file" in p.message


def test_empty_core_file_is_unreadable(tmp_path: Path) -> None:
    files = good_files()
    files["header.csv"] = ""
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = _only(result, "file_unreadable")
    assert _where(p) == ("error", "file_unreadable", "ssda903/2023/header.csv", None, None)
    assert p.message == "the file is empty: expected the header table with its header line"
    assert result.dataset is None


def test_missing_required_column(tmp_path: Path) -> None:
    cols = [c for c in EPISODE_COLUMNS if c != "LS"]
    rows = [
        [v for c, v in zip(EPISODE_COLUMNS, r, strict=True) if c != "LS"] for r in GOOD_EPISODES
    ]
    files = good_files()
    files["episodes.csv"] = csv_text(cols, rows)
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = _only(result, "missing_column")
    assert _where(p) == ("error", "missing_column", "ssda903/2023/episodes.csv", 1, "LS")
    assert p.message.startswith("the episodes table needs a column named LS")
    assert result.dataset is None


def test_unparseable_required_date(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(2, 1, "31/02/2023")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = _only(result, "bad_date")
    assert _where(p) == ("error", "bad_date", "ssda903/2023/episodes.csv", 4, "DECOM")
    assert p.value == "31/02/2023"
    assert p.message == "DECOM '31/02/2023' is not a date: expected dd/mm/yyyy (or yyyy-mm-dd)"


def test_blank_dob_is_an_error(tmp_path: Path) -> None:
    header = copy.deepcopy(GOOD_HEADER)
    header[1][2] = ""
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header=header)}))
    (p,) = _only(result, "bad_date")
    assert _where(p) == ("error", "bad_date", "ssda903/2023/header.csv", 3, "DOB")


def test_two_digit_year_is_not_a_date(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(0, 7, "20/08/22")))
    (p,) = _only(load_data(write_data(tmp_path / "D", {2023: files})), "bad_date")
    assert _where(p) == ("error", "bad_date", "ssda903/2023/episodes.csv", 2, "DEC")


def test_unknown_placement_code(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(1, 5, "Q9")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = _only(result, "unknown_code")
    assert _where(p) == ("error", "unknown_code", "ssda903/2023/episodes.csv", 3, "PLACE")
    assert p.value == "Q9"
    assert p.message.startswith("PLACE 'Q9' is not a valid code in the 2022-23 return; expected")
    assert "U4" in p.message and "K3" not in p.message


def test_code_lists_follow_the_collection_year(tmp_path: Path) -> None:
    # K3 arrives in 2024-25; Z11 in 2025-26, when H5 goes.
    k3 = _episodes(a=(1, 5, "K3"))
    assert _only(
        load_data(write_data(tmp_path / "a", {2023: good_files(episodes=k3)})), "unknown_code"
    )
    dates = {2025: ("2024", "2025"), 2026: ("2025", "2026")}

    def shifted(year: int, rows: list[list[str]]) -> list[list[str]]:
        old, new = dates[year]
        return [
            [v.replace("2022", old).replace("2023", new) if "/" in v else v for v in r]
            for r in rows
        ]

    letters = [["C1", "M", "01/06/2010", "WBRI", "", "", ""], ["C2", "F", "15/02/2015", "AIND", "", "", ""],
               ["C3", "U", "03/09/2006", "REFU", "", "", ""]]  # fmt: skip
    files25 = good_files(header=letters, episodes=shifted(2025, k3))
    files25["uasc.csv"] = "CHILD,SEX,DOB,DUC\nC3,M,03/09/2006,03/09/2024\n"
    ok25 = load_data(write_data(tmp_path / "b", {2025: files25}))
    assert [p for p in ok25.problems if p.severity == "error"] == []
    h5_2026 = shifted(2026, _episodes(a=(1, 5, "Z11")))  # row 5 keeps H5, now retired
    files26 = good_files(header=letters, episodes=h5_2026)
    files26["uasc.csv"] = "CHILD,SEX,DOB,DUC\nC3,M,03/09/2006,03/09/2024\n"
    res26 = load_data(write_data(tmp_path / "c", {2026: files26}))
    errors = [(*_where(p), p.value) for p in res26.problems if p.severity == "error"]
    assert errors == [("error", "unknown_code", "ssda903/2026/episodes.csv", 5, "PLACE", "H5")]


def test_sex_coding_changes_in_2024_25(tmp_path: Path) -> None:
    # Numeric SEX in a 2024-25 return is an unknown code; letters in 2022-23 likewise.
    header = copy.deepcopy(GOOD_HEADER)
    header[0][1] = "M"
    (p,) = _only(
        load_data(write_data(tmp_path / "a", {2023: good_files(header=header)})), "unknown_code"
    )
    assert _where(p) == ("error", "unknown_code", "ssda903/2023/header.csv", 2, "SEX")
    assert p.message.endswith("expected one of 1, 2")


def test_dec_before_decom(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(2, 7, "31/12/2022")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = _only(result, "dec_before_decom")
    assert _where(p) == ("error", "dec_before_decom", "ssda903/2023/episodes.csv", 4, "DEC")
    assert p.value == "31/12/2022"
    assert result.dataset is None


def test_child_not_in_header(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(3, 0, "C9")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = _only(result, "child_not_in_header")
    assert _where(p) == ("error", "child_not_in_header", "ssda903/2023/episodes.csv", 5, "CHILD")
    assert p.value == "C9"


def test_folder_named_by_start_year_is_read_as_its_real_year(tmp_path: Path) -> None:
    result = load_data(write_data(tmp_path / "D", {2022: good_files()}))
    (p,) = _only(result, "folder_year_mismatch")
    assert _where(p) == ("warning", "folder_year_mismatch", "ssda903/2022", None, None)
    assert "read as the 2022-23 return (2023); rename the folder 2023" in p.message
    assert result.dataset is not None and result.dataset.returns == (2023,)
    assert [r.year for r in result.returns] == [2023]


def test_two_folders_for_the_same_return_stay_an_error(tmp_path: Path) -> None:
    result = load_data(write_data(tmp_path / "D", {2022: good_files(), 2023: good_files()}))
    (p,) = _only(result, "folder_year_mismatch")
    assert _where(p) == ("error", "folder_year_mismatch", "ssda903/2022", None, None)
    assert "should be 2023 (2022-23), but another folder already holds that return" in p.message
    assert result.dataset is None


def test_missing_episodes_table(tmp_path: Path) -> None:
    files = good_files()
    del files["episodes.csv"]
    (p,) = _only(load_data(write_data(tmp_path / "D", {2023: files})), "missing_table")
    assert _where(p) == ("error", "missing_table", "ssda903/2023", None, None)


def test_missing_profile_is_a_warning_and_locations_read_unknown(tmp_path: Path) -> None:
    root = write_data(tmp_path / "D")
    (root / "la.toml").unlink()
    result = load_data(root)
    assert [(p.severity, p.code, p.file) for p in result.problems] == [
        ("warning", "profile_missing", "la.toml")
    ]
    assert result.dataset is not None
    assert result.dataset.profile.code == ""
    assert set(result.dataset.placements.get_column("location_band")) == {"unknown"}


def test_unreadable_profile_is_an_error(tmp_path: Path) -> None:
    root = write_data(tmp_path / "D")
    (root / "la.toml").write_text("name = ")
    result = load_data(root)
    assert [(p.severity, p.code, p.file) for p in result.problems] == [
        ("error", "profile_unreadable", "la.toml")
    ]
    assert result.dataset is None


# ----------------------------------------------------------------------------------- warnings
def test_exact_duplicate_row(tmp_path: Path) -> None:
    rows = [*GOOD_EPISODES, GOOD_EPISODES[2]]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=rows)}))
    assert [_where(p) for p in result.problems] == [
        ("warning", "duplicate_row", "ssda903/2023/episodes.csv", 6, None)
    ]
    assert result.episodes == 4


def test_same_episode_in_two_returns_latest_wins(tmp_path: Path) -> None:
    later = [["C1", "20/08/2022", "P", "C2", "N1", "K2", "PR4", "01/05/2023", "E11", "", "HR1 2AB", "B1 1AA", "SC654321"]]  # fmt: skip
    files24 = good_files(header=[GOOD_HEADER[0]], episodes=later)
    del files24["uasc.csv"]  # C3, the UASC child, is not in this return
    returns = {2023: good_files(), 2024: files24}
    result = load_data(write_data(tmp_path / "D", returns))
    assert [_where(p) for p in result.problems] == [
        ("warning", "duplicate_episode_across_returns", "ssda903/2023/episodes.csv", 3, "DECOM"),
        # C3, open at the end of 2022-23, is not in the 2023-24 return (merge policy)
        ("warning", "absent_from_next_return", "ssda903/2023/episodes.csv", None, "CHILD"),
    ]
    assert result.dataset is not None
    row = result.dataset.episodes.filter(pl.col("DECOM") == dt.date(2022, 8, 20))
    assert row.select("DEC", "REC", "return_year").row(0) == (dt.date(2023, 5, 1), "E11", 2024)
    assert result.episodes == 4


def test_overlapping_episodes_truncated(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(0, 7, "01/09/2022")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = result.problems
    assert _where(p) == ("warning", "overlapping_episodes", "ssda903/2023/episodes.csv", 2, "DEC")
    # the file's own DEC is the value (it was the repaired one, so the file's appeared nowhere)
    assert p.value == "01/09/2022"
    assert "DEC is truncated to 20/08/2022, the next episode's DECOM" in p.message
    assert result.dataset is not None
    first = result.dataset.episodes.filter(pl.col("CHILD") == "C1").row(0, named=True)
    assert first["DEC"] == dt.date(2022, 8, 20)


def test_open_episode_not_last(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(0, 7, ""), b=(0, 8, ""), c=(0, 9, "")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = result.problems
    assert _where(p) == ("warning", "open_episode_not_last", "ssda903/2023/episodes.csv", 2, "DEC")
    assert p.value is None and "it is closed on 20/08/2022" in p.message
    assert result.dataset is not None
    assert result.dataset.episodes.row(0, named=True)["DEC"] == dt.date(2022, 8, 20)


def test_dec_after_collection_year(tmp_path: Path) -> None:
    """In the latest return no later return replaces the DEC: an error (it was a warning, "the
    date is kept", and the child was counted as leaving on a day still to come). An earlier
    return's stays a warning: test_ingest_damage_round3."""
    files = good_files(episodes=_episodes(a=(2, 7, "02/04/2023")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = result.problems
    assert _where(p) == (
        "error",
        "dec_after_collection_year",
        "ssda903/2023/episodes.csv",
        4,
        "DEC",
    )
    assert result.dataset is None
    assert "no later return is loaded to replace it" in p.message


def test_extra_column_ignored(tmp_path: Path) -> None:
    rows = [[*r, "note"] for r in GOOD_HEADER]
    files = good_files()
    files["header.csv"] = csv_text([*HEADER_COLUMNS, "SW_NOTES"], rows)
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = result.problems
    assert _where(p) == ("warning", "extra_column", "ssda903/2023/header.csv", 1, "SW_NOTES")
    assert result.dataset is not None and "SW_NOTES" not in result.dataset.children.columns


def test_non_canonical_values(tmp_path: Path) -> None:
    header = copy.deepcopy(GOOD_HEADER)
    header[0][5] = "1.0"
    header[0][6] = "01/01/2024"
    episodes = _episodes(a=(1, 11, "b1  1aa"), b=(2, 5, "u1"))
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header, episodes)}))
    got = sorted((_where(p), p.value) for p in result.problems)
    assert got == [
        (("warning", "non_canonical_value", "ssda903/2023/episodes.csv", 3, "PL_POST"), "b1  1aa"),
        (("warning", "non_canonical_value", "ssda903/2023/episodes.csv", 4, "PLACE"), "u1"),
        (("warning", "non_canonical_value", "ssda903/2023/header.csv", 2, "MOTHER"), "1.0"),
    ]
    assert result.dataset is not None
    eps = result.dataset.episodes
    assert eps.get_column("PL_POST").to_list()[1] == "B1 1AA"
    assert eps.get_column("PLACE").to_list()[2] == "U1"
    assert result.dataset.children.get_column("MOTHER").to_list()[0] == 1


def test_blank_optional_table(tmp_path: Path) -> None:
    files = good_files()
    files["ad1.csv"] = "\n"
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = result.problems
    assert _where(p) == ("warning", "blank_optional_table", "ssda903/2023/ad1.csv", None, None)
    assert result.ok


def test_short_row_reads_blank_cells(tmp_path: Path) -> None:
    text = csv_text(EPISODE_COLUMNS, GOOD_EPISODES)
    lines = text.splitlines()
    lines[3] = ",".join(GOOD_EPISODES[2][:10])  # no HOME_POST, PL_POST, URN
    files = good_files()
    files["episodes.csv"] = "\n".join(lines) + "\n"
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    (p,) = result.problems
    assert _where(p) == ("warning", "short_row", "ssda903/2023/episodes.csv", 4, None)
    assert result.ok


def test_many_bad_rows_are_summarised(tmp_path: Path) -> None:
    rows = [
        ["K" + str(i), "10/05/2022", "S", "C2", "N1", "Q9", "PR1", "", "", "", "", "", ""]
        for i in range(30)
    ]
    header = [[f"K{i}", "1", "01/06/2010", "WBRI", "", "", ""] for i in range(30)]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header, rows)}))
    bad = _only(result, "unknown_code")
    assert len(bad) == 21
    assert [p.row for p in bad[:20]] == list(range(2, 22))
    assert bad[20].row is None and bad[20].message.startswith("10 more row(s)")


def test_same_episode_twice_in_one_return_with_other_values_is_an_error(tmp_path: Path) -> None:
    """Two rows of one episode (CHILD, DECOM) that differ: which is right cannot be known (it was
    a warning, the later row silently winning)."""
    changed = list(GOOD_EPISODES[1])
    changed[5] = "U5"  # same CHILD and DECOM as row 3, another placement
    rows = [*GOOD_EPISODES, changed]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=rows)}))
    assert [(_where(p), p.value) for p in result.problems] == [
        (("error", "duplicate_episode", "ssda903/2023/episodes.csv", 3, "DECOM"), "20/08/2022")
    ]
    assert "another PLACE (ssda903/2023/episodes.csv row 6)" in result.problems[0].message
    assert result.dataset is None


def test_folder_named_too_late_is_read_as_its_real_year(tmp_path: Path) -> None:
    closed = [r for r in GOOD_EPISODES if r[7]]  # only episodes that ended in 2022-23
    result = load_data(write_data(tmp_path / "D", {2025: good_files(episodes=closed)}))
    mismatch = _only(result, "folder_year_mismatch")
    assert [_where(p) for p in mismatch] == [
        ("warning", "folder_year_mismatch", "ssda903/2025", None, None)
    ]
    assert "read as the 2022-23 return (2023)" in mismatch[0].message


def test_open_episodes_from_earlier_years_fit_a_later_folder(tmp_path: Path) -> None:
    # A child in the same placement since 2021 and still there: valid in the 2023-24 return.
    header = [GOOD_HEADER[2]]
    episodes = [GOOD_EPISODES[3]]
    result = load_data(write_data(tmp_path / "D", {2024: good_files(header, episodes)}))
    assert _only(result, "folder_year_mismatch") == []


def test_unknown_table_and_unexpected_entries(tmp_path: Path) -> None:
    files = good_files()
    files["notes.csv"] = "A,B\n1,2\n"
    files["scan.pdf"] = b"%PDF-1.4"
    root = write_data(tmp_path / "D", {2023: files})
    (root / "ssda903" / "old").mkdir()
    result = load_data(root)
    assert sorted(_where(p) for p in result.problems) == [
        ("warning", "unexpected_entry", "ssda903/old", None, None),
        ("warning", "unknown_table", "ssda903/2023/notes.csv", None, None),
        ("warning", "unknown_table", "ssda903/2023/scan.pdf", None, None),
    ]
    assert result.ok


def test_missing_optional_column_and_iso_dates(tmp_path: Path) -> None:
    cols = [c for c in EPISODE_COLUMNS if c != "URN"]
    rows = [
        [v for c, v in zip(EPISODE_COLUMNS, r, strict=True) if c != "URN"] for r in GOOD_EPISODES
    ]
    rows[0][1] = "2022-05-10"  # ISO, as an Excel export may write it
    rows[0][7] = "2022-08-20 00:00:00"
    files = good_files()
    files["episodes.csv"] = csv_text(cols, rows)
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert [_where(p) for p in result.problems] == [
        ("warning", "missing_optional_column", "ssda903/2023/episodes.csv", 1, "URN")
    ]
    assert result.dataset is not None
    first = result.dataset.episodes.row(0, named=True)
    assert (first["DECOM"], first["DEC"], first["URN"]) == (
        dt.date(2022, 5, 10),
        dt.date(2022, 8, 20),
        None,
    )


def test_blank_child_id(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(3, 0, "  ")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert [_where(p) for p in result.problems] == [
        ("error", "missing_child_id", "ssda903/2023/episodes.csv", 5, "CHILD"),
        # C3's only episode lost its child: the episodes cover 2 of the header's 3 children
        ("warning", "episodes_incomplete", "ssda903/2023/episodes.csv", None, None),
    ]


def test_child_twice_in_header_later_row_wins(tmp_path: Path) -> None:
    header = [*GOOD_HEADER, ["C2", "2", "15/02/2015", "BAFR", "", "", ""]]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header=header)}))
    assert [_where(p) for p in result.problems] == [
        ("warning", "duplicate_child", "ssda903/2023/header.csv", 3, "CHILD")
    ]
    assert result.dataset is not None
    c2 = result.dataset.children.filter(pl.col("CHILD") == "C2")
    assert c2.get_column("ETHNIC").to_list() == ["BAFR"]


def test_full_postcode_without_space_is_canonicalised(tmp_path: Path) -> None:
    files = good_files(episodes=_episodes(a=(0, 10, "hr12ab")))
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert [(_where(p), p.value) for p in result.problems] == [
        (("warning", "non_canonical_value", "ssda903/2023/episodes.csv", 2, "HOME_POST"), "hr12ab")
    ]
    assert result.dataset is not None
    assert result.dataset.episodes.row(0, named=True)["HOME_POST"] == "HR1 2AB"


def test_narrative_sections(good_data: Path) -> None:
    (good_data / "narrative").mkdir()
    (good_data / "narrative" / "foreword.md").write_text("# Foreword\nOur children.\n")
    (good_data / "narrative" / "bad.md").write_bytes(b"\x00\x01\x02\x03binary")
    result = load_data(good_data)
    assert result.dataset is None  # an unreadable section is an error, never a silent gap
    assert [_where(p) for p in result.problems] == [
        ("error", "narrative_unreadable", "narrative/bad.md", None, None)
    ]
    (good_data / "narrative" / "bad.md").unlink()
    result = load_data(good_data)
    assert result.dataset is not None
    assert dict(result.dataset.narrative) == {"foreword": "# Foreword\nOur children.\n"}


def test_multi_year_sex_is_canonical_across_codings(tmp_path: Path) -> None:
    later_header = [["C1", "F", "01/06/2010", "WBRI", "", "", ""]]
    later_eps = [["C1", "20/08/2022", "P", "C2", "N1", "K2", "PR4", "", "", "", "HR1 2AB", "B1 1AA", "SC654321"]]  # fmt: skip
    files25 = good_files(header=later_header, episodes=later_eps)
    files25["uasc.csv"] = "CHILD,SEX,DOB,DUC\n"
    result = load_data(write_data(tmp_path / "D", {2023: good_files(), 2025: files25}))
    assert result.dataset is not None
    sexes = dict(result.dataset.children.select("CHILD", "SEX").iter_rows())
    assert sexes == {"C1": "F", "C2": "F", "C3": "M"}  # C1's 2024-25 row is the latest
    assert result.dataset.returns == (2023, 2025)
