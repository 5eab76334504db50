"""Synthetic returns pass the DfE rules (csc-validator-be-903, each year's ruleset)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.ingest.dfe_rules import run_dfe_rules_detailed


@pytest.mark.slow
@pytest.mark.peer
def test_two_years_pass_with_zero_failing_rules(small_folder: Path) -> None:
    result = run_dfe_rules_detailed(small_folder, [2023, 2024])
    assert [s.year for s in result.years] == [2023, 2024]
    for summary in result.years:
        assert summary.rules_run >= 100, summary
        assert summary.failing_rules == [], summary
    assert [p for p in result.problems if p.severity == "error"] == []


@pytest.mark.slow
@pytest.mark.peer
def test_a_broken_code_is_reported_with_file_row_and_column(
    small_folder: Path, tmp_path: Path
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(small_folder, data)
    path = data / "ssda903" / "2024" / "episodes.csv"
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[3] = "ZZ"  # LS of the episode on spreadsheet row 4
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    problems = run_dfe_rules_detailed(data, [2024]).problems
    hits = [p for p in problems if p.code == "dfe_144"]
    assert len(hits) == 1
    assert (hits[0].file, hits[0].row, hits[0].column, hits[0].value) == (
        "ssda903/2024/episodes.csv",
        4,
        "LS",
        "ZZ",
    )
    assert hits[0].message.startswith("DfE rule 144: The legal status code is not a valid code")
