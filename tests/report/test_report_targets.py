"""Targets are judged by one rule wherever they appear: the statement's targets table and the
forecast's targets (measures.targets). A blank direction takes the measure's published polarity
in both; an explicit direction wins in both; a measure with neither says a direction is needed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.measures import targets as target_rules
from sufficiency.report.model import Table

AT = dt.date(2024, 3, 31)
ROWS = [
    # cla_count has no published polarity; the fixture gives it "down" for these tests
    {"measure_id": "cla_count", "baseline": "5000", "target": "10000", "direction": ""},
    {"measure_id": "cla_count", "baseline": "5000", "target": "10000", "direction": "up"},
    {"measure_id": "cla_rate_per_10k", "baseline": "", "target": "1", "direction": ""},
    {"measure_id": "stability_three_plus", "baseline": "", "target": "100", "direction": ""},
    {"measure_id": "stability_three_plus", "baseline": "50", "target": "100", "direction": ""},
    {"measure_id": "cla_count", "baseline": "", "target": "10000", "direction": "down"},
]


@pytest.fixture(scope="module")
def judged(council_factory: Any) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
    """The statement's targets table and the forecast's targets for the rows above."""
    from sufficiency.forecast import run_forecast
    from sufficiency.ingest.registers import parse_register
    from sufficiency.report import sources
    from sufficiency.report.sections.action_plan import targets_table

    raw = pl.DataFrame(
        [
            {
                "measure_id": r["measure_id"],
                "baseline_date": "2023-03-31",
                "baseline": r["baseline"],
                "target": r["target"],
                "target_date": "2026-03-31",
                "direction": r["direction"],
            }
            for r in ROWS
        ]
    )
    register, problems = parse_register("targets", raw, "registers/targets.csv")
    assert not [p for p in problems if p.severity == "error"]
    base: Dataset = council_factory()
    ds = dataclasses.replace(base, registers={**base.registers, "targets": register})
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(target_rules.POLARITY, "cla_count", target_rules.Polarity("down", "test"))
        cur = sources.measure_values(ds, AT, suppress=False)
        table = targets_table(register, cur, sources.catalogue_info())
        forecast = run_forecast(ds, horizon_months=36).to_json()
        yield table, forecast["scenarios"]["baseline"]["targets"]


def _status(table: Table, i: int) -> Any:
    return table.rows[i].cells[-1].value


def test_a_blank_direction_takes_the_polarity_in_statement_and_forecast(
    judged: tuple[Table, list[dict[str, Any]]],
) -> None:
    table, fc = judged
    assert _status(table, 0) == "Green"  # fewer than 10,000 children: met when down is good
    first = fc[0]
    assert (first["direction"], first["direction_from"]) == ("down", "polarity")
    assert first["met_by_target_date"] is True
    assert first["status_at_target_date"] == "Green"
    assert first["reached_date"] == "2024-03-31"  # met from the start of the projection
    # a real published polarity, outside the forecast: stability (down is good) is under 100%
    assert _status(table, 4) == "Green"
    assert any("stability_three_plus: no direction in the register" in n for n in table.notes)


def test_an_explicit_direction_wins_over_the_polarity(
    judged: tuple[Table, list[dict[str, Any]]],
) -> None:
    table, fc = judged
    assert _status(table, 1) == "Red"  # up: below 10,000 and below the 5,000 baseline
    second = fc[1]
    assert (second["direction"], second["direction_from"]) == ("up", "register")
    assert second["met_by_target_date"] is False
    assert second["status_at_target_date"] == "Red"
    assert second["reached_date"] is None


def test_a_measure_without_polarity_says_a_direction_is_needed(
    judged: tuple[Table, list[dict[str, Any]]],
) -> None:
    table, fc = judged
    assert _status(table, 2) == "Direction needed"
    assert "registers/targets row 4: cla_rate_per_10k has no direction" in " ".join(table.notes)
    rate = fc[2]
    assert rate["measure_id"] == "cla_rate_per_10k"
    assert rate["direction"] is None and rate["met_by_target_date"] is None
    assert rate["status_at_target_date"] == "Direction needed"
    assert rate["reached_date"] is None
    assert "direction needed" in rate["note"]
    assert len(fc) == 4  # stability is not projected


def test_a_blank_baseline_gets_no_rag_in_statement_or_forecast(
    judged: tuple[Table, list[dict[str, Any]]],
) -> None:
    table, fc = judged
    # met (under 100%, and under 10,000 children) but with nothing to have improved on
    assert _status(table, 3) == "Baseline needed"
    assert _status(table, 5) == "Baseline needed"
    blank = fc[3]
    assert (blank["measure_id"], blank["baseline"]) == ("cla_count", None)
    assert blank["met_by_target_date"] is True
    assert blank["status_at_target_date"] == "Baseline needed"
