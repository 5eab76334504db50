"""Drivers of a planned trajectory as scenario inputs (issue 19): children diverted from care by
early help and children leaving care through permanence plans, a number a quarter, move the
forecast by exactly that number of children."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tiny_models import tiny_model

from sufficiency.forecast.api import reporting_dates
from sufficiency.forecast.projection import project
from sufficiency.forecast.scenarios import (
    BASELINE,
    ScenarioError,
    load_scenarios,
    quarters,
    scenario_from_mapping,
)

END = dt.date(2024, 3, 31)
DATES = reporting_dates(END, 24)[0]
YEAR = DATES.index(dt.date(2025, 3, 31))
EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "scenario_drivers.yaml"


def _no_pop(_: dt.date) -> float | None:
    return None


def _drivers() -> dict[str, object]:
    """Seed 000 §6: 27 children kept from care in 2024-25 by two programmes (ECHO 18, family
    group conferencing 9) and 28 reunification plans achieved (7 a quarter)."""
    return {
        "name": "drivers",
        "diversions": [
            {"programme": "ECHO", "per_quarter": 4.5, "start": "2024-04-01", "end": "2025-03-31"},
            {
                "programme": "Family group conferencing",
                "per_quarter": 2.25,
                "category": "A",
                "start": "2024-04-01",
                "end": "2025-03-31",
            },
        ],
        "leaving": [
            {"plan": "reunification", "per_quarter": 7, "start": "2024-04-01", "end": "2025-03-31"}
        ],
    }


def test_diverted_and_leaving_children_move_the_forecast_by_exactly_their_number() -> None:
    # nobody leaves care in the model, so every child diverted or leaving is one fewer
    model = tiny_model([40, 20], entrants=[0.2, 0.1])
    base = project(model, BASELINE, DATES, _no_pop)
    plan = project(model, scenario_from_mapping(_drivers()), DATES, _no_pop)
    drop = base.mean_total[YEAR] - plan.mean_total[YEAR]
    assert drop == pytest.approx(18 + 9 + 28, abs=1e-9)
    # the drivers stop after the year: the gap stays at 55 children
    assert base.mean_total[-1] - plan.mean_total[-1] == pytest.approx(55, abs=1e-9)
    # family group conferencing diverts from A only; the rest follow the baseline mix (2:1)
    # and the 28 leave in proportion to each category's children
    assert plan.warnings == []


def test_leaving_is_exact_in_every_simulation() -> None:
    model = tiny_model([40, 20])
    scenario = scenario_from_mapping(
        {
            "name": "home",
            "leaving": [{"per_quarter": 7, "start": "2024-04-01", "end": "2025-03-31"}],
        }
    )
    sims = project(model, scenario, DATES, _no_pop, simulations=20, seed=3)
    assert sims.mean_total[YEAR] == pytest.approx(60 - 28, abs=1e-9)


def test_leaving_from_one_category_takes_only_its_children() -> None:
    model = tiny_model([40, 20])
    scenario = scenario_from_mapping(
        {
            "name": "sgo",
            "leaving": [
                {
                    "plan": "sgo",
                    "from": "B",
                    "per_quarter": 2,
                    "start": "2024-04-01",
                    "end": "2026-03-31",
                }
            ],
        }
    )
    proj = project(model, scenario, DATES, _no_pop)
    assert proj.mean_categories[-1].tolist() == pytest.approx([40.0, 4.0], abs=1e-9)


def test_more_diverted_than_enter_warns_and_entrants_stop_at_none() -> None:
    model = tiny_model([10, 0], entrants=[0.01, 0.0])  # 3.65 entrants a year
    scenario = scenario_from_mapping(
        {"name": "over", "diversions": [{"programme": "X", "per_quarter": 5}]}
    )
    proj = project(model, scenario, DATES, _no_pop)
    assert proj.mean_total[YEAR] == pytest.approx(10.0, abs=1e-9)
    assert any("X: 5 children a quarter is more than" in w for w in proj.warnings)


def test_quarters_of_a_financial_year_and_of_odd_periods() -> None:
    assert quarters(dt.date(2024, 4, 1), dt.date(2025, 3, 31), 365.24) == 4
    assert quarters(dt.date(2024, 4, 1), dt.date(2024, 6, 30), 365.24) == 1
    assert quarters(dt.date(2024, 4, 1), dt.date(2024, 4, 10), 365.24) == pytest.approx(10 / 91.31)


def test_unknown_category_in_a_driver_names_the_field() -> None:
    bad = scenario_from_mapping(
        {
            "name": "bad",
            "leaving": [
                {"from": "Z", "per_quarter": 1, "start": "2024-04-01", "end": "2024-06-30"}
            ],
        }
    )
    with pytest.raises(ScenarioError, match=r"leaving\[0\]\.from: unknown category 'Z'"):
        bad.check_names(("A", "B"), ("b0",))


def test_the_drivers_example_loads_and_names_the_default_model() -> None:
    (scenario,) = load_scenarios(EXAMPLE)
    assert scenario.diversions and scenario.leaving
    from sufficiency.forecast.config import load_model_config

    cfg = load_model_config("default")
    scenario.check_names(cfg.category_names, cfg.bracket_names)
