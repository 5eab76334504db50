"""Scenario comparison over the horizon: each year's children and cost per scenario, and what
each saves against the baseline, on a tiny model whose answers are known exactly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tiny_models import tiny_model

from sufficiency.forecast.api import ScenarioResult, reporting_dates
from sufficiency.forecast.compare import COLUMNS, compare_scenarios
from sufficiency.forecast.projection import project
from sufficiency.forecast.scenarios import BASELINE, scenario_from_mapping

END = dt.date(2024, 3, 31)


def _result(scenario: Any, costs: list[tuple[int, float, bool]] | None) -> ScenarioResult:
    """One scenario of a model with one entrant a day into each of A and B and no exits."""
    model = tiny_model([0, 0], entrants=[1.0, 1.0])
    dates, monthly, yearly = reporting_dates(END, 27)  # to 30 June 2026
    proj = project(model, scenario, dates, lambda _d: None)
    return ScenarioResult(
        name=scenario.name,
        description="",
        projection=proj,
        categories=("A", "B"),
        monthly=monthly,
        yearly=yearly,
        horizon_end=dates[-1],
        costs=None
        if costs is None
        else {
            "currency": "GBP",
            "inflation": 0.0,
            "by_year": [{"year": y, "total": t, "partial": p} for y, t, p in costs],
        },
        targets=[],
        trajectory=[],
        warnings=[],
    )


def test_children_and_cost_saved_each_year_are_the_baseline_minus_the_scenario() -> None:
    half_b = scenario_from_mapping(
        {"name": "half_b", "entries": [{"category": "B", "multiply": 0.5}]}
    )
    scenarios = {
        "baseline": _result(
            BASELINE, [(2025, 1000.0, False), (2026, 3000.0, False), (2027, 900.0, True)]
        ),
        "half_b": _result(
            half_b, [(2025, 800.0, False), (2026, 2100.0, False), (2027, 700.0, True)]
        ),
    }
    table = compare_scenarios(scenarios, ["half_b"])
    assert table.columns == list(COLUMNS)
    # 365 days to 31 March 2025, 730 to 31 March 2026: two entrants a day, or one and a half
    assert table.rows() == [
        (2025, "baseline", 730.0, 1000.0, False, 0.0, 0.0),
        (2025, "half_b", 547.5, 800.0, False, 182.5, 200.0),
        (2026, "baseline", 1460.0, 3000.0, False, 0.0, 0.0),
        (2026, "half_b", 1095.0, 2100.0, False, 365.0, 900.0),
        (2027, "baseline", None, 900.0, True, None, 0.0),
        (2027, "half_b", None, 700.0, True, None, 200.0),
    ]


def test_without_costs_the_cost_columns_are_empty_and_unknown_names_are_named() -> None:
    scenarios = {"baseline": _result(BASELINE, None)}
    table = compare_scenarios(scenarios, ["baseline"])
    assert table.select("year", "children", "cost", "cost_saved").rows() == [
        (2025, 730.0, None, None),
        (2026, 1460.0, None, None),
    ]
    with pytest.raises(
        ValueError, match=r"scenario: expected one of the forecast's \(baseline\), not 'nope'"
    ):
        compare_scenarios(scenarios, ["nope"])
