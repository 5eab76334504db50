"""The gap: arithmetic, costs, planned moves vs capacity, Herefordshire absorption (the `gap`
command itself is tested in tests/cli)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.supply.conftest import MakeDs, Reg

from sufficiency.dataset import Dataset
from sufficiency.supply.gap import (
    GapScenario,
    Move,
    compute_gap,
    forecast_need,
    gap_for_dataset,
    load_scenario,
    trend_need,
)


def test_gap_arithmetic_and_cost(reg: Reg) -> None:
    costs = reg(
        "costs",
        [
            {"placement_type": "ifa", "year": 2023, "weekly_cost": 900},
            {"placement_type": "ifa", "year": 2024, "weekly_cost": 1000},
            {"placement_type": "ifa", "year": 2024, "weekly_cost": 5000, "urn": "SC1"},
            {"placement_type": "external_residential", "year": 2024, "weekly_cost": 6000},
        ],
    )
    need = {
        2024: {
            "in_house_fostering": 20,
            "ifa": 10,
            "external_residential": 3,
            "placed_with_parents": 7,
        },
        2025: {"in_house_fostering": 20, "ifa": 10, "in_house_residential": 5},
    }
    capacity = {
        2024: {"in_house_fostering": 18, "ifa": 4, "external_residential": 6},
        2025: {"in_house_fostering": 25, "ifa": 4, "in_house_residential": 4},
    }
    res = compute_gap(need, capacity, costs=costs)
    y24 = res.years[0].by_type
    assert list(y24) == ["in_house_fostering", "ifa", "external_residential"]
    assert (y24["in_house_fostering"].shortfall, y24["in_house_fostering"].shortfall_cost) == (
        2,
        2 * 1000 * 52,
    )  # in-house shortfall bought as IFA at the average (not per-home) cost
    assert (y24["ifa"].shortfall, y24["ifa"].shortfall_cost) == (6, 6 * 1000 * 52)
    assert (y24["external_residential"].shortfall, y24["external_residential"].spare) == (0, 3)
    y25 = res.years[1].by_type
    assert y25["in_house_fostering"].shortfall == 0
    # 2025 has no costs row: the latest earlier year (2024) is used.
    assert y25["in_house_residential"].shortfall_cost == 1 * 6000 * 52
    assert res.years[1].total_shortfall_cost == 6 * 1000 * 52 + 6000 * 52


def test_json_shape_matches_design(reg: Reg) -> None:
    res = compute_gap({2024: {"ifa": 3}}, {2024: {"ifa": 1}}, scenario=GapScenario(name="x"))
    doc = res.to_json()
    assert doc["scenario"] == "x"
    assert [set(y) >= {"year", "by_type"} for y in doc["years"]] == [True]
    cell = doc["years"][0]["by_type"]["ifa"]
    assert {k: cell[k] for k in ("need", "capacity", "shortfall", "shortfall_cost")} == {
        "need": 3,
        "capacity": 1,
        "shortfall": 2,
        "shortfall_cost": None,
    }
    json.dumps(doc)


def test_a_framework_marks_how_the_shortfall_is_bought_and_spare_is_kept() -> None:
    from sufficiency.supply.capacity import Framework

    res = compute_gap(
        {2025: {"ifa": 10, "in_house_fostering": 4}},
        {2025: {"in_house_fostering": 9}},
        frameworks={2025: {"ifa": Framework(980.0, None)}},
    )
    ifa, own = res.cell(2025, "ifa"), res.cell(2025, "in_house_fostering")
    assert (ifa.shortfall, ifa.framework, ifa.framework_weekly_price) == (10, True, 980.0)
    assert (own.shortfall, own.spare, own.framework) == (0, 5, False)
    row = res.to_json()["years"][0]["by_type"]
    assert (row["ifa"]["framework"], row["ifa"]["framework_weekly_price"]) == (True, 980.0)
    assert row["in_house_fostering"]["framework_weekly_price"] is None
    # no costs register: the framework's own price still costs what is bought through it
    assert ifa.shortfall_cost == 10 * 980 * 52
    assert res.headlines() == [
        "2024-25: shortfall of 10 places in ifa (£509,600 a year through the framework)"
    ]


def test_moves_are_permanent_and_flagged_when_they_exceed_spare_places() -> None:
    need = {2024: {"ifa": 10, "in_house_fostering": 8}, 2025: {"ifa": 10, "in_house_fostering": 8}}
    cap = {2024: {"in_house_fostering": 10}, 2025: {"in_house_fostering": 12}}
    sc = GapScenario(
        name="step",
        moves=[
            Move.model_validate(
                {"year": 2024, "from": "ifa", "to": "in_house_fostering", "children": 2}
            ),
            Move.model_validate(
                {"year": 2025, "from": "ifa", "to": "in_house_fostering", "children": 3}
            ),
        ],
    )
    res = compute_gap(need, cap, scenario=sc)
    a = res.cell(2024, "in_house_fostering")
    assert (a.need, a.moves_in, a.spare_before_moves, a.moves_exceed_capacity) == (10, 2, 2, False)
    b = res.cell(2025, "in_house_fostering")
    # 2025: 8 + 2 (last year's move) + 3 = 13 needed, 12 places; spare before the move was 2.
    assert (b.need, b.shortfall, b.spare_before_moves, b.moves_exceed_capacity) == (13, 1, 2, True)
    assert res.cell(2025, "ifa").need == 5
    assert res.to_json()["years"][1]["moves_exceed_capacity"] == ["in_house_fostering"]


def episode(child: str, place: str, provider: str, urn: str | None = None) -> dict[str, object]:
    return {
        "CHILD": child,
        "DECOM": "2022-06-01",
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "URN": urn,
        "return_year": 2023,
    }


HEREFORDSHIRE_SCENARIO = """
name: absorb-2023-24
# Seed 000, 13.8: six children move from IFA to in-house foster care in 2023-24; residential
# parent and child reduces from 6 to 3 within foster placements; four of the eight children
# leaving residential care go to in-house carers (the rest to IFA).
moves:
  - {year: 2024, from: ifa, to: in_house_fostering, children: 6}
  - {year: 2024, from: parent_and_child, to: in_house_fostering, children: 3}
  - {year: 2024, from: external_residential, to: in_house_fostering, children: 4}
# 13.9 / 7.0: in-house foster care grows by three households (5 placements) in 2023-24.
capacity:
  - {year: 2024, type: in_house_fostering, places: 5, households: 3}
"""


@pytest.fixture
def herefordshire(make_ds: MakeDs, reg: Reg) -> Dataset:
    """At 31 March 2023: 12 children with in-house carers filling all 12 places of 8 households,
    10 in IFA, 3 in residential parent-and-child, 5 in external children's homes."""
    eps = (
        [episode(f"F{i}", "U4", "PR1") for i in range(12)]
        + [episode(f"I{i}", "U4", "PR4") for i in range(10)]
        + [episode(f"P{i}", "R3", "PR4") for i in range(3)]
        + [episode(f"R{i}", "K2", "PR4", "SC9") for i in range(5)]
    )
    carers = reg(
        "carers",
        [
            {
                "household_id": f"H{i}",
                "status": "approved",
                "approval_types": "mainstream",
                "approved_date": "2018-01-01",
                "places": 2 if i < 4 else 1,
                "occupied": 2 if i < 4 else 1,
            }
            for i in range(8)
        ],
    )
    costs = reg("costs", [{"placement_type": "ifa", "year": 2024, "weekly_cost": 1000}])
    return make_ds(eps, {"carers": carers, "costs": costs})


def test_herefordshire_absorption_question(herefordshire: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "absorb.yaml"
    path.write_text(HEREFORDSHIRE_SCENARIO, encoding="utf-8")
    sc = load_scenario(path)
    res = gap_for_dataset(herefordshire, [2024], scenario=sc)
    cell = res.cell(2024, "in_house_fostering")
    # By hand: in-house carers are full (12 children, 12 places) at 31 March 2023, so the
    # 5 new places absorb 5 of the 6 + 3 + 4 = 13 children moving in: shortfall 13 - 5 = 8.
    n = (6 + 3 + 4) - 5
    assert (cell.need, cell.capacity, cell.shortfall) == (12 + 13, 12 + 5, n)
    assert cell.shortfall == 8
    assert cell.moves_exceed_capacity and cell.spare_before_moves == 5
    assert cell.shortfall_cost == 8 * 1000 * 52
    assert res.headlines()[0] == (
        "2023-24: shortfall of 8 places in in_house_fostering "
        "(£416,000 a year to spot-purchase); planned moves exceed "
        "capacity"
    )
    assert res.cell(2024, "ifa").need == 4
    assert res.cell(2024, "parent_and_child").need == 0


def test_trend_need_is_a_straight_line_through_year_end_counts(make_ds: MakeDs) -> None:
    eps = []
    # IFA at 31 March: 2021: 4, 2022: 6, 2023: 8 (two more start each year, none leave).
    for i in range(8):
        start = "2020-06-01" if i < 4 else ("2021-06-01" if i < 6 else "2022-06-01")
        eps.append(episode(f"I{i}", "U5", "PR4") | {"DECOM": start})
    ds = make_ds(eps, returns=(2021, 2022, 2023))
    assert trend_need(ds, [2024, 2025]) == {2024: {"ifa": 10.0}, 2025: {"ifa": 12.0}}


def test_forecast_need_serves_only_placement_types_and_whole_years() -> None:
    class Forecast:
        def __init__(self, categories: tuple[str, ...]) -> None:
            self.categories = categories

        def need_by_year(self, scenario: str) -> dict[int, dict[str, float]]:
            assert scenario == "baseline"
            return {2024: {"ifa": 10.25}, 2025: {"ifa": 11.0}}

    by_type = Forecast(("ifa", "in_house_fostering"))
    assert forecast_need(by_type, [2024, 2025]) == (
        {2024: {"ifa": 10.25}, 2025: {"ifa": 11.0}},
        None,
    )
    assert forecast_need(by_type, [2025, 2026]) == (
        None,
        "forecast does not reach 2026; need from trend",
    )
    assert forecast_need(Forecast(("FOSTERING",)), [2024]) == (
        None,
        "forecast categories are not placement types; need from trend",
    )


def test_bad_scenario_file_gives_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("moves:\n  - {year: 2024, from: ifa, to: castle, children: 1}\n")
    with pytest.raises(
        ValueError,
        match=r"bad.yaml: moves.0.to: Value error, unknown "
        r"placement type 'castle'",
    ):
        load_scenario(path)


def test_gap_for_forecast_uses_the_scenario_need(herefordshire: Dataset) -> None:
    from sufficiency.forecast.api import run_forecast
    from sufficiency.supply.gap import gap_for_forecast

    fc = run_forecast(herefordshire, horizon_months=24)
    doc = gap_for_forecast(herefordshire, fc)
    need = fc.need_by_year("baseline")
    assert doc["scenario"] == "baseline" and doc["need_source"] == "forecast"
    assert [y["year"] for y in doc["years"]] == [2024, 2025]
    cell = doc["years"][1]["by_type"]["in_house_fostering"]
    assert cell["need"] == round(need[2025]["in_house_fostering"], 1)
    assert cell["capacity"] == 12
    with pytest.raises(KeyError):
        gap_for_forecast(herefordshire, fc, scenario="nope")


def test_a_file_that_is_not_a_scenario_is_refused(tmp_path: Path) -> None:
    from sufficiency.supply.gap import load_scenario

    path = tmp_path / "referral.json"
    path.write_text('{"id": "R1", "child": {"age": 10}}')
    with pytest.raises(
        ValueError, match=r"referral.json: unknown key '(id|child)' \(expected some of: name, "
    ):
        load_scenario(path)
