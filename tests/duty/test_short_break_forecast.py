"""Known answers for the short-break nights forecast (issue 19) on seed 000 §10's registers:
foster 288 nights assessed against 144 available, residential 264 against 264."""

from __future__ import annotations

import datetime as dt

from tests.measures.conftest import child, episode, make_ds, run
from tests.measures.test_measures_whole_duty import _short_break_registers

from sufficiency.dataset import Dataset
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import Period
from sufficiency.measures.suppression import suppress_result

AT = dt.date(2024, 3, 31)


def _ds(population: dict[int, int] | None = None) -> Dataset:
    """Seed 000 §10's registers; a code with no published population unless given."""
    return make_ds(
        [child("C1", "2012-01-01")],
        [episode("C1", "2023-01-01")],
        registers=_short_break_registers(),
        population=population,
        code="E06999999",  # no published estimate
    )


def test_level_population_holds_seed_000_demand_against_supply() -> None:
    got = run(_ds(), "short_break_nights_forecast", AT)
    assert got["foster"] == {
        "children_assessed": 10,
        "nights_assessed": 288,
        "nights_available": 144,
        "demand_2025": 288.0,
        "shortfall_2025": 144.0,
        "demand_2026": 288.0,
        "shortfall_2026": 144.0,
        "demand_2027": 288.0,
        "shortfall_2027": 144.0,
    }
    assert got["residential"]["demand_2027"] == 264.0
    assert got["residential"]["shortfall_2027"] == 0.0


def test_demand_grows_with_the_under_18_population() -> None:
    pop = {2024: 20_000, 2025: 20_200, 2026: 20_400, 2027: 21_000}
    got = run(_ds(pop), "short_break_nights_forecast", AT)
    assert got["foster"]["demand_2025"] == 290.9  # 288 x 1.01
    assert got["foster"]["shortfall_2025"] == 146.9
    assert got["residential"]["demand_2026"] == 269.3  # 264 x 1.02
    assert got["residential"]["shortfall_2026"] == 5.3
    assert got["residential"]["demand_2027"] == 277.2  # 264 x 1.05


def test_nights_are_published_for_ten_children() -> None:
    m = load_catalogue()["short_break_nights_forecast"]
    shown = suppress_result(m.compute(_ds(), Period.year_ending(AT)), m).to_json()
    assert shown["foster"]["demand_2025"] == 288.0  # ten children: nothing small
