"""Numbers a scenario file may not hold: not finite anywhere (``.inf``, ``.nan``: the forecast's
JSON printed NaN, which is not JSON; a finite multiplier so large it overflows is stopped by the
JSON guard, and the web's scenarios keep to 0 to 5),
population growth outside -0.5..0.5 a year (50 grew the demo's 168 children to 4.3 million; -2
stopped the forecast with a traceback); in the gap's, recruitment rates outside 0..1 and moves of
no children."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.forecast.scenarios import ScenarioError, scenario_from_mapping
from sufficiency.supply.gap import load_scenario


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (
            {"rates": [{"from": "ifa", "to": "NOT_IN_CARE", "multiply": float("inf")}]},
            "rates.0.multiply: Input should be a finite number",
        ),
        (
            {"entries": [{"add_per_year": float("nan")}]},
            "entries.0.add_per_year: Input should be a finite number",
        ),
        (
            {"uasc": {"arrivals_per_year": float("inf")}},
            "uasc.arrivals_per_year: Input should be a finite number",
        ),
        ({"population_growth": 50}, "population_growth: Input should be less than or equal to 0.5"),
        (
            {"population_growth": -2},
            "population_growth: Input should be greater than or equal to -0.5",
        ),
    ],
)
def test_a_forecast_scenario_with_a_number_it_cannot_hold_is_refused(
    plan: dict[str, object], message: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_mapping({"name": "plan", **plan}, source="plan.yaml")
    assert message in str(caught.value)


def test_a_forecast_scenario_within_the_limits_is_read() -> None:
    plan = scenario_from_mapping(
        {"name": "plan", "population_growth": -0.5, "rates": [{"to": "ifa", "multiply": 5}]},
        source="plan.yaml",
    )
    assert plan.population_growth == -0.5 and plan.rates[0].multiply == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("recruitment: {enquiries_per_month: 10, conversion: 2}", "recruitment.conversion: Input "
         "should be less than or equal to 1"),
        ("capacity: [{year: 2027, type: ifa, places: .nan}]", "capacity.0.places: Input should be "
         "a finite number"),
        ("moves: [{year: 2027, from: ifa, to: in_house_fostering, children: -3}]",
         "moves.0.children: Input should be greater than 0"),
        ("population_growth: 3", "population_growth: Input should be less than or equal to 0.5"),
    ],
)  # fmt: skip
def test_a_gap_scenario_with_a_number_it_cannot_hold_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(f"name: plan\n{text}\n")
    with pytest.raises(ValueError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}: {message}"
