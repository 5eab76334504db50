"""Scenario arithmetic on tiny hand-built models: exact expectations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from tiny_models import tiny_model

from sufficiency.forecast.api import reporting_dates
from sufficiency.forecast.projection import project
from sufficiency.forecast.scenarios import (
    BASELINE,
    Scenario,
    ScenarioError,
    load_scenarios,
    scenario_from_mapping,
)

END = dt.date(2024, 3, 31)


def _dates(months: int) -> list[dt.date]:
    return reporting_dates(END, months)[0]


def _no_pop(_: dt.date) -> float | None:
    return None


def test_planned_move_of_six_moves_exactly_six() -> None:
    model = tiny_model([10, 3])
    move = scenario_from_mapping(
        {
            "name": "step_down",
            "moves": [
                {"from": "A", "to": "B", "number": 6, "start": "2024-04-01", "end": "2025-03-31"}
            ],
        }
    )
    proj = project(model, move, _dates(24), _no_pop)
    base = project(model, BASELINE, _dates(24), _no_pop)
    assert base.mean_categories[-1].tolist() == [10.0, 3.0]
    assert proj.mean_categories[-1] == pytest.approx([4.0, 9.0], abs=1e-9)
    # spread evenly over the year: after 6 months (30 Sep) 183 of 365 days' worth have moved
    sept = _dates(24).index(dt.date(2024, 9, 30))
    assert proj.mean_categories[sept, 0] == pytest.approx(10 - 6 * 183 / 365, abs=1e-9)
    assert proj.warnings == []


def test_planned_move_with_too_few_children_moves_what_there_is_and_warns() -> None:
    model = tiny_model([2, 0])
    move = scenario_from_mapping(
        {
            "name": "too_many",
            "moves": [
                {"from": "A", "to": "B", "number": 5, "start": "2024-04-01", "end": "2024-04-30"}
            ],
        }
    )
    proj = project(model, move, _dates(3), _no_pop)
    assert proj.mean_categories[-1] == pytest.approx([0.0, 2.0], abs=1e-9)
    assert proj.warnings == [
        "scenario too_many: planned move A -> B: only 2.0 of 5.0 children expected in the source "
        "by 2024-04-30; moved what there is"
    ]


def test_planned_move_is_exact_in_every_simulation() -> None:
    model = tiny_model([10, 0])
    move = scenario_from_mapping(
        {
            "name": "m",
            "moves": [
                {"from": "A", "to": "B", "number": 6, "start": "2024-04-01", "end": "2025-03-31"}
            ],
        }
    )
    proj = project(model, move, _dates(12), _no_pop, simulations=50, seed=3)
    # no other flows: every simulation ends with exactly 4 in A and 6 in B
    assert proj.q_categories["p2_5"][-1].tolist() == [4.0, 6.0]
    assert proj.q_categories["p97_5"][-1].tolist() == [4.0, 6.0]


def test_multiply_exit_rate_changes_decay_exactly() -> None:
    rate = 0.001
    model = tiny_model([100, 0], exits=[rate, 0.0])
    halve = scenario_from_mapping(
        {"name": "h", "rates": [{"from": "A", "to": "NOT_IN_CARE", "multiply": 0.5}]}
    )
    days = (_dates(12)[-1] - END).days
    base = project(model, BASELINE, _dates(12), _no_pop)
    proj = project(model, halve, _dates(12), _no_pop)
    assert base.mean_categories[-1, 0] == pytest.approx(100 * (1 - rate) ** days, rel=1e-12)
    assert proj.mean_categories[-1, 0] == pytest.approx(100 * (1 - rate / 2) ** days, rel=1e-12)


def test_add_per_year_creates_a_transition() -> None:
    model = tiny_model([100, 0])
    add = scenario_from_mapping(
        {"name": "a", "rates": [{"from": "A", "to": "B", "add_per_year": 365.24 * 0.002}]}
    )
    proj = project(model, add, _dates(1), _no_pop)
    days = (_dates(1)[-1] - END).days
    moved = 100 * (1 - (1 - 0.002) ** days)
    assert proj.mean_categories[-1] == pytest.approx([100 - moved, moved], rel=1e-12)


def test_entry_rate_target_sets_entrants_per_10k() -> None:
    # baseline: 1 entrant a day into A, 3 a day into B (mix 1:3); no exits
    model = tiny_model([0, 0], entrants=[1.0, 3.0])
    target = scenario_from_mapping({"name": "t", "entry_rate_target": {"per_10k": 30}})
    proj = project(model, target, _dates(12), lambda _d: 36_524.0)
    days = (_dates(12)[-1] - END).days
    per_day = 30 * 36_524 / 10_000 / 365.24  # = 0.3
    assert proj.mean_categories[-1] == pytest.approx([per_day * days / 4, per_day * days * 3 / 4])


def test_entry_rate_target_without_population_is_a_clear_error() -> None:
    model = tiny_model([0, 0], entrants=[1.0, 0.0])
    target = scenario_from_mapping({"name": "t", "entry_rate_target": {"per_10k": 30}})
    with pytest.raises(ValueError, match="entry_rate_target needs the under-18 population"):
        project(model, target, _dates(2), _no_pop)


def test_population_growth_scales_entrants() -> None:
    model = tiny_model([0, 0], entrants=[1.0, 0.0])
    grow = scenario_from_mapping({"name": "g", "population_growth": 0.10})
    dates = _dates(1)
    proj = project(model, grow, dates, _no_pop)
    days = (dates[0] - END).days
    mid_years = (days / 2) / 365.24
    assert proj.mean_categories[0, 0] == pytest.approx(days * 1.10**mid_years, rel=1e-12)


def test_entry_multiplier_by_category() -> None:
    model = tiny_model([0, 0], entrants=[1.0, 1.0])
    half = scenario_from_mapping({"name": "e", "entries": [{"category": "B", "multiply": 0.5}]})
    proj = project(model, half, _dates(1), _no_pop)
    days = (_dates(1)[-1] - END).days
    assert proj.mean_categories[-1] == pytest.approx([days, days / 2])


def test_matrix_power_projection_equals_a_day_by_day_loop() -> None:
    q = np.array([[0.0, 0.003], [0.001, 0.0]])
    model = tiny_model([40, 7], transitions=q.tolist(), exits=[0.002, 0.004], entrants=[0.2, 0.05])
    dates = _dates(7)
    proj = project(model, BASELINE, dates, _no_pop)
    x = model.x0.copy()
    day = END
    expected = []
    while day < dates[-1]:
        out = q.sum(1) + model.exits
        x = x - x * out + x @ q + model.entrants
        day += dt.timedelta(days=1)
        if day in dates:
            expected.append(x.copy())
    assert proj.mean_states == pytest.approx(np.array(expected), rel=1e-10)


def test_analytic_and_simulated_spread_agree() -> None:
    model = tiny_model(
        [200, 50], transitions=[[0, 0.002], [0.001, 0]], exits=[0.002, 0.003], entrants=[0.3, 0.1]
    )

    def width(**kw: object) -> float:
        proj = project(model, BASELINE, _dates(12), _no_pop, **kw)  # type: ignore[arg-type]
        return float(proj.q_total["p90"][-1] - proj.q_total["p10"][-1])

    process = width(parameter_uncertainty=False)
    assert width(simulations=3000, seed=1, parameter_uncertainty=False) == pytest.approx(
        process, rel=0.12
    )
    # with rate uncertainty (50 events behind each rate) both are wider, and still agree
    both = width(seed=1)
    assert both > process * 1.2
    assert width(simulations=3000, seed=1) == pytest.approx(both, rel=0.12)


def _move(number: float, start: str, end: str) -> Scenario:
    return scenario_from_mapping(
        {
            "name": "m",
            "moves": [{"from": "A", "to": "B", "number": number, "start": start, "end": end}],
        }
    )


def test_analytic_bands_of_a_planned_move_are_exact_without_other_flows() -> None:
    model = tiny_model([10, 0])
    proj = project(model, _move(6, "2024-04-01", "2025-03-31"), _dates(12), _no_pop)
    assert proj.q_categories["p2_5"][-1] == pytest.approx([4.0, 6.0], abs=1e-9)
    assert proj.q_categories["p97_5"][-1] == pytest.approx([4.0, 6.0], abs=1e-9)


def test_analytic_bands_follow_the_moved_children() -> None:
    # 60 of 100 children move A -> B in April; A keeps everyone, B loses 0.3% a day: after the
    # move the 60 leave B independently, so B's count is binomial and A's is exactly 40
    model = tiny_model([100, 0], exits=[0.0, 0.003])
    move = _move(60, "2024-04-01", "2024-04-30")
    dates = _dates(12)
    proj = project(model, move, dates, _no_pop, parameter_uncertainty=False)
    stay = (1 - 0.003) ** (dates[-1] - dt.date(2024, 4, 30)).days
    assert proj.mean_categories[-1] == pytest.approx([40.0, 60 * stay], rel=1e-9)
    sd_b = (proj.q_categories["p90"][-1, 1] - proj.q_categories["p10"][-1, 1]) / (2 * 1.281551566)
    assert sd_b == pytest.approx((60 * stay * (1 - stay)) ** 0.5, rel=1e-6)
    assert proj.q_categories["p2_5"][-1, 0] == pytest.approx(40.0, abs=1e-9)
    assert proj.q_categories["p97_5"][-1, 0] == pytest.approx(40.0, abs=1e-9)
    sims = project(
        model, move, dates, _no_pop, simulations=4000, seed=2, parameter_uncertainty=False
    )
    sim_width = sims.q_categories["p90"][-1, 1] - sims.q_categories["p10"][-1, 1]
    assert sim_width == pytest.approx(2 * 1.281551566 * sd_b, rel=0.15)


def test_unknown_category_names_the_field(tmp_path: Path) -> None:
    model = tiny_model([1, 1])
    bad = scenario_from_mapping(
        {
            "name": "x",
            "moves": [
                {"from": "A", "to": "Z", "number": 1, "start": "2024-04-01", "end": "2024-05-01"}
            ],
        }
    )
    with pytest.raises(
        ScenarioError,
        match=r"scenario x: moves\[0\].to: unknown category 'Z' \(expected one of A, B\)",
    ):
        project(model, bad, _dates(2), _no_pop)


def test_load_scenarios_yaml_list_json_and_errors(tmp_path: Path) -> None:
    y = tmp_path / "plan.yaml"
    y.write_text(
        "- name: one\n  population_growth: 0.01\n- name: two\n  entries: [{multiply: 0.9}]\n"
    )
    j = tmp_path / "s.json"
    j.write_text(json.dumps({"name": "three", "rates": [{"from": "A", "multiply": 2}]}))
    got = load_scenarios([y, j])
    assert [s.name for s in got] == ["one", "two", "three"]
    assert got[2].rates[0].from_ == "A"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: b\nmoves: [{from: A, to: B, number: -2, start: 2024-01-01, end: 2024-02-01}]\n"
    )
    with pytest.raises(
        ScenarioError, match=r"bad.yaml: moves.0.number: Input should be greater than 0"
    ):
        load_scenarios(bad)
    with pytest.raises(ScenarioError, match="scenario name 'one' is used twice"):
        load_scenarios([y, y])
    with pytest.raises(ScenarioError, match="add_per_year needs `to`"):
        scenario_from_mapping({"name": "z", "rates": [{"from": "A", "add_per_year": 1}]})
    assert isinstance(got[0], Scenario)
