"""Fuzz round 8 (forecast): last year's scenario file reused, every move, diversion and leaving
dated before the forecast starts, was silently the baseline (216.169 both) with no warning."""

from __future__ import annotations

import datetime as dt

import pytest
from tiny_models import tiny_model

from sufficiency.forecast.api import reporting_dates
from sufficiency.forecast.projection import project
from sufficiency.forecast.scenarios import BASELINE, scenario_from_mapping

END = dt.date(2024, 3, 31)
LAST_YEAR = {"start": "2022-04-01", "end": "2023-03-31"}


def _dates(months: int) -> list[dt.date]:
    return reporting_dates(END, months)[0]


def _no_pop(_: dt.date) -> float | None:
    return None


def test_a_scenario_dated_wholly_before_the_forecast_says_it_changes_nothing() -> None:
    model = tiny_model([10, 3], entrants=[0.05, 0.0])
    old = scenario_from_mapping(
        {
            "name": "last_years_plan",
            "rates": [{"from": "A", "to": "NOT_IN_CARE", "multiply": 2.0, **LAST_YEAR}],
            "entries": [{"multiply": 0.5, **LAST_YEAR}],
            "moves": [{"from": "A", "to": "B", "number": 4, **LAST_YEAR}],
            "diversions": [{"programme": "fgc", "per_quarter": 1, **LAST_YEAR}],
            "leaving": [{"plan": "reunification", "per_quarter": 1, **LAST_YEAR}],
        }
    )
    proj = project(model, old, _dates(12), _no_pop)
    base = project(model, BASELINE, _dates(12), _no_pop)
    assert proj.mean_total.tolist() == base.mean_total.tolist()
    assert proj.warnings == [
        "scenario last_years_plan: every dated item ends before the forecast starts "
        "(31/03/2024; the last ends 31/03/2023), so it changes nothing: last year's file?"
    ]


def test_an_item_ending_before_the_forecast_is_named_when_others_act() -> None:
    model = tiny_model([10, 3])
    mixed = scenario_from_mapping(
        {
            "name": "mixed",
            "moves": [
                {"from": "A", "to": "B", "number": 4, **LAST_YEAR},
                {"from": "A", "to": "B", "number": 2, "start": "2024-04-01", "end": "2025-03-31"},
            ],
        }
    )
    proj = project(model, mixed, _dates(12), _no_pop)
    assert proj.mean_categories[-1] == pytest.approx([8.0, 5.0], abs=1e-9)
    assert proj.warnings == [
        "scenario mixed: moves[0] ends 31/03/2023, before the forecast starts (31/03/2024): "
        "it changes nothing"
    ]


def test_an_item_ending_on_the_reference_date_is_named_an_open_one_is_not() -> None:
    model = tiny_model([10, 3])
    fine = scenario_from_mapping(
        {
            "name": "fine",
            "rates": [{"from": "A", "to": "NOT_IN_CARE", "multiply": 2.0, "start": "2020-04-01"}],
            "moves": [{"from": "A", "to": "B", "number": 2, "start": "2023-04-01", "end": END}],
        }
    )
    # a move ending on the reference date itself has no day left to act in
    assert project(model, fine, _dates(12), _no_pop).warnings == [
        "scenario fine: moves[0] ends 31/03/2024, before the forecast starts (31/03/2024): "
        "it changes nothing"
    ]
    fine = scenario_from_mapping({"name": "fine", "rates": [{"from": "A", "multiply": 2.0}]})
    assert project(model, fine, _dates(12), _no_pop).warnings == []
