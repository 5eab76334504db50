"""Which DfE ruleset (csc-validator-be-903) checks a return of a given year."""

from __future__ import annotations

from sufficiency.ingest.dfe_rules import ruleset_for


def test_ruleset_for_year() -> None:
    assert ruleset_for(2024) == "lac2023_24"
    assert ruleset_for(2026) == "lac2025_26"
    assert ruleset_for(2022) == "lac2022_23"  # nearest shipped
    assert ruleset_for(2030) == "lac2026_27"
