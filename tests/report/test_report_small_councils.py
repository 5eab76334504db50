"""Small councils publish their statement: what their earlier statements already tell a reader
is not this statement's to protect, and a hidden change does not tell a reader which way it
went."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.ingest import load_data
from sufficiency.report.build import build_statement
from sufficiency.report.protect import audit_statement, check_statement


def _council(tmp_path: Path, seed: int, children: int, la: str) -> Path:
    from sufficiency.synth import generate, write_data_folder

    folder = tmp_path / "council"
    write_data_folder(generate(seed=seed, children=children, la_code=la), folder)
    return folder


@pytest.mark.slow
def test_a_change_an_earlier_statement_gave_away_does_not_stop_the_statement(
    tmp_path: Path,
) -> None:
    """Rutland's geography, 50 children: the 2024 statement printed that year's UASC arrivals
    (6, as the forecast's entries) and 2023's (9); the 2026 statement hid 2024's and so its
    change (-3), which a reader works out from those two alone: known, it never stops it."""
    ds = load_data(_council(tmp_path, 1, 50, "E06000017")).dataset
    stmt = build_statement(ds, 2026, "publish")
    record = stmt.disclosure
    change = "trends.uasc_arrivals.2024.change@2026-03-31"
    assert record.known[change] == -3.0  # hidden or shown, no secret
    assert record.known["uasc_arrivals@2024-03-31"] == 6.0
    assert audit_statement(stmt, record) == []
    check_statement(stmt)


@pytest.mark.slow
def test_a_hidden_change_does_not_say_which_way_it_went(tmp_path: Path) -> None:
    """Herefordshire's geography, 120 children: adoptions of a few a year, each [c] with its
    change. The system once took a change of 0 or more as known to be so, which ordered the
    hidden years; with the three-year counts that pinned the 2024 adoptions to 1 or 2 and
    adoption timeliness was withheld (Bracknell Forest's default-size council, seed 4, was
    refused outright). A measure withheld whole is tested in test_withheld_reprinted."""
    ds = load_data(_council(tmp_path, 3, 120, "E06000019")).dataset
    stmt = build_statement(ds, 2026, "publish")
    assert stmt.disclosure.protection.withheld == frozenset()
    trend = stmt.measures["2026"]["measures"]["trends"]["adoptions"]
    assert [trend[y]["value"] for y in ("2022", "2023", "2024", "2025", "2026")] == [
        "c",
        "c",
        "c",
        "c",
        0,
    ]
    assert all(trend[y]["change"] == "c" for y in ("2023", "2024", "2025", "2026"))
    card = stmt.measures["2026"]["measures"]["adoption_scorecard"]
    assert card["A1"]["three_year_children"] == "c" and card["A1"]["threshold"] == 426
    assert audit_statement(stmt, stmt.disclosure) == []
    check_statement(stmt)
