"""Synthetic returns pass the DfE rules (csc-validator-be-903, each year's ruleset)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.ingest.dfe_rules import ruleset_for, run_dfe_rules_detailed


@pytest.fixture(scope="module")
def code_change_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small council whose returns span the SEX (2024-25) and H5 -> K3 (2025-26) recodings,
    with one legal status broken in the 2025-26 return (spreadsheet row 4 of its episodes)."""
    from sufficiency.synth import generate, write_data_folder

    out = tmp_path_factory.mktemp("synth-codes") / "council"
    write_data_folder(generate(seed=11, children=150, years=[2024, 2025, 2026]), out)
    path = out / "ssda903" / "2026" / "episodes.csv"
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[3] = "ZZ"  # LS
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return out


@pytest.mark.slow
@pytest.mark.peer
def test_three_years_pass_after_the_dfes_own_exceptions_but_a_broken_code(
    code_change_folder: Path,
) -> None:
    """One validator run over three returns (it is slow, so one run checks all of this): each
    year's own ruleset runs; 2023-24 and 2024-25 pass every rule once the DfE's documented
    exceptions are applied; 2025-26, with one legal status broken, fails only on that episode's
    file (rule 144, and rules about the episode's legal status), reported with file, row and
    column."""
    result = run_dfe_rules_detailed(code_change_folder, [2024, 2025, 2026])
    by_year = {s.year: s for s in result.years}
    assert sorted(by_year) == [2024, 2025, 2026]
    assert [by_year[y].ruleset for y in (2024, 2025, 2026)] == [
        ruleset_for(y) for y in (2024, 2025, 2026)
    ]
    for summary in result.years:
        assert summary.rules_run >= 100, summary
        excepted = sum(e["rows"] for e in summary.exceptions)
        assert summary.rows_flagged_raw - summary.rows_flagged == excepted, summary
    # raw, the validator flags every child's SEX recoded 1/2 -> M/F in 2024-25 (rule 202)
    assert by_year[2025].failing_rules_raw == ["202"]
    assert len([p for p in result.raw if p.code == "dfe_202"]) == by_year[2025].rows_flagged_raw
    for year in (2024, 2025):
        assert by_year[year].failing_rules == [], by_year[year]
        assert by_year[year].rows_flagged == 0
    assert "144" in by_year[2026].failing_rules, by_year[2026]
    hits = [p for p in result.problems if p.code == "dfe_144"]
    assert len(hits) == 1
    assert (hits[0].file, hits[0].row, hits[0].column, hits[0].value) == (
        "ssda903/2026/episodes.csv",
        4,
        "LS",
        "ZZ",
    )
    assert hits[0].message.startswith("DfE rule 144: The legal status code is not a valid code")
    errors = [p for p in result.problems if p.severity == "error"]
    assert {p.file for p in errors} == {"ssda903/2026/episodes.csv"}


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
