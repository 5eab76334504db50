"""CHILD ids that differ only in letter case between returns (fuzz round 8): read as two
children (duration in care 5 years+ 74 -> 27) with only merge warnings; named as mangled ids."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from ingest_data import GOOD_EPISODES, GOOD_HEADER, good_files, return_files, where, write_data

from sufficiency.ingest import load_data
from sufficiency.ingest.copied_returns import ReturnRows
from sufficiency.ingest.return_checks import zero_padded_ids


def _ret(year: int, *ids: str) -> ReturnRows:
    return ReturnRows(
        year, f"ssda903/{year}", pl.DataFrame({"CHILD": list(ids)}, {"CHILD": pl.Utf8})
    )


def test_ids_differing_only_in_case_clash() -> None:
    problems = zero_padded_ids([_ret(2023, "C1000003", "C7"), _ret(2024, "c1000003", "C7")])
    assert [p.code for p in problems] == ["child_id_mangled"]
    assert "C1000003 in ssda903/2023 and c1000003 in ssda903/2024" in problems[0].message
    assert "letter case" in problems[0].message


def test_a_spelling_held_by_several_returns_is_named_once() -> None:
    problems = zero_padded_ids(
        [_ret(2022, "C1000003"), _ret(2023, "C1000003"), _ret(2024, "c1000003")]
    )
    assert "(C1000003 in ssda903/2022, ssda903/2023 and c1000003 in ssda903/2024)" in (
        problems[0].message
    )


def test_ids_in_the_same_case_everywhere_do_not_clash() -> None:
    assert zero_padded_ids([_ret(2023, "c1", "C2", "x9"), _ret(2024, "c1", "C2", "x9")]) == []


def test_a_return_in_lower_case_stops_the_load(tmp_path: Path) -> None:
    lower = [[r[0].lower(), *r[1:]] for r in GOOD_HEADER]
    later = [[r[0].lower(), *r[1:]] for r in (GOOD_EPISODES[1], GOOD_EPISODES[3])]
    result = load_data(
        write_data(tmp_path / "D", {2023: good_files(), 2024: return_files(lower, later)})
    )
    found = [where(p) for p in result.problems if p.code == "child_id_mangled"]
    assert found == [("error", "child_id_mangled", "ssda903/2023, ssda903/2024", None, None)]
    assert result.dataset is None


def test_two_children_whose_ids_differ_in_case_in_one_return_are_two() -> None:
    """Fuzz round 9: T9ab1 and T9AB1, each written so in every return, are two children of the
    council's system: refusing them stopped every command (and said they differ between
    returns). Zeros dropped in some rows of one return stay named (a spreadsheet drops zeros,
    it changes no case)."""
    years = [_ret(2023, "T9ab1", "T9AB1", "7"), _ret(2024, "T9ab1", "T9AB1", "7")]
    assert zero_padded_ids(years) == []
    zeros = zero_padded_ids([_ret(2023, "0123", "123"), _ret(2024, "9")])
    assert [p.code for p in zeros] == ["child_id_zeros"]


def test_excel_text_formula_ids_clash_with_the_ids() -> None:
    """CHILD written ="1000003" (Excel's way to keep a number as text) in one return: every
    child of it read as new (duration in care 5 years+ 74 -> 27), with warnings only."""
    problems = zero_padded_ids([_ret(2023, "1000003"), _ret(2024, '="1000003"')])
    assert [p.code for p in problems] == ["child_id_mangled"]
    assert '1000003 in ssda903/2023 and ="1000003" in ssda903/2024' in problems[0].message
