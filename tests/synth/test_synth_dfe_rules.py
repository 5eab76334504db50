"""Synthetic returns pass the DfE rules (csc-validator-be-903, each year's ruleset)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.ingest.dfe_rules import run_dfe_rules_detailed


@pytest.mark.slow
@pytest.mark.peer
def test_two_years_pass_and_a_broken_code_is_the_only_failure(
    small_folder: Path, tmp_path: Path
) -> None:
    """One validator run (it is slow): 2022-23 passes every rule; 2023-24, with one legal status
    broken, fails only on that episode's file (rule 144, and rules about the episode's legal
    status), reported with file, row and column."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(small_folder, data)
    path = data / "ssda903" / "2024" / "episodes.csv"
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[3] = "ZZ"  # LS of the episode on spreadsheet row 4
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    result = run_dfe_rules_detailed(data, [2023, 2024])
    by_year = {s.year: s for s in result.years}
    assert sorted(by_year) == [2023, 2024]
    for summary in result.years:
        assert summary.rules_run >= 100, summary
    assert by_year[2023].failing_rules == [], by_year[2023]
    assert "144" in by_year[2024].failing_rules, by_year[2024]
    hits = [p for p in result.problems if p.code == "dfe_144"]
    assert len(hits) == 1
    assert (hits[0].file, hits[0].row, hits[0].column, hits[0].value) == (
        "ssda903/2024/episodes.csv",
        4,
        "LS",
        "ZZ",
    )
    assert hits[0].message.startswith("DfE rule 144: The legal status code is not a valid code")
    errors = [p for p in result.problems if p.severity == "error"]
    assert {p.file for p in errors} == {"ssda903/2024/episodes.csv"}


@pytest.fixture(scope="module")
def code_change_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small council whose returns span the SEX (2024-25) and H5 -> K3 (2025-26) recodings."""
    from sufficiency.synth import generate, write_data_folder

    out = tmp_path_factory.mktemp("synth-codes") / "council"
    write_data_folder(generate(seed=11, children=150, years=[2024, 2025, 2026]), out)
    return out


@pytest.mark.slow
@pytest.mark.peer
def test_recoded_years_pass_after_the_dfes_own_exceptions(code_change_folder: Path) -> None:
    result = run_dfe_rules_detailed(code_change_folder, [2025, 2026])
    by_year = {s.year: s for s in result.years}
    # raw, the validator flags every child's SEX recoded 1/2 -> M/F in 2024-25 (rule 202)
    assert by_year[2025].failing_rules_raw == ["202"]
    for summary in result.years:
        assert summary.failing_rules == [], summary
        assert summary.rows_flagged == 0
        assert sum(e["rows"] for e in summary.exceptions) == summary.rows_flagged_raw
    assert [p for p in result.problems if p.severity == "error"] == []
    assert len([p for p in result.raw if p.code == "dfe_202"]) == by_year[2025].rows_flagged_raw


def test_no_child_who_is_or_was_uasc_has_a_home_postcode() -> None:
    """DfE rule 406: no distance for a child in this or last year's UASC table, including a
    former UASC child's later period of care (seed 5 has such re-entries)."""
    import polars as pl

    from sufficiency.synth import generate

    council = generate(seed=5)  # the demo's size and years: 4 such episodes before the fix
    uasc_before: set[str] = set()
    checked = 0
    for year in sorted(council.returns):
        tables = council.returns[year]
        uasc = set(tables["uasc"].get_column("CHILD").to_list()) | uasc_before
        eps = tables["episodes"].filter(pl.col("CHILD").is_in(list(uasc)))
        checked += eps.height
        assert eps.filter(pl.col("HOME_POST").is_not_null()).height == 0, year
        uasc_before = set(tables["uasc"].get_column("CHILD").to_list())
    assert checked > 0
