"""One truth per gap figure (truth1 findings 2, 9, 10): a framework-bought shortfall is priced
at the framework's price, years the returns cover take the children counted on 31 March, and a
scenario's gap is the statement's (need from that scenario's forecast)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.supply.conftest import MakeDs, Reg

from sufficiency.dataset import Dataset
from sufficiency.supply.capacity import Framework
from sufficiency.supply.gap import (
    GapScenario,
    compute_gap,
    forecast_plan,
    gap_for_dataset,
    gap_with_need,
    load_scenario,
    trend_need,
)


def episode(child: str, place: str, provider: str, start: str, year: int) -> dict[str, object]:
    return {
        "CHILD": child,
        "DECOM": start,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "URN": None,
        "return_year": year,
    }


# ------------------------------------------------------------------ finding 2: framework price
def test_a_framework_shortfall_is_priced_at_the_framework_price(reg: Reg) -> None:
    """IFA: 10 short, bought through a framework at £980 (the register's spot rate is £1,000):
    10 x 980 x 52. External homes: 2 short, no framework: 2 x £6,000 x 52 (spot)."""
    costs = reg(
        "costs",
        [
            {"placement_type": "ifa", "year": 2025, "weekly_cost": 1000},
            {"placement_type": "external_residential", "year": 2025, "weekly_cost": 6000},
        ],
    )
    res = compute_gap(
        {2025: {"ifa": 14, "external_residential": 5}},
        {2025: {"ifa": 4, "external_residential": 3}},
        costs=costs,
        frameworks={2025: {"ifa": Framework(980.0, None)}},
    )
    ifa, homes = res.cell(2025, "ifa"), res.cell(2025, "external_residential")
    assert (ifa.shortfall, ifa.shortfall_cost) == (10, 10 * 980 * 52) == (10, 509_600)
    assert ifa.weekly_cost == 1000  # the spot rate stays in its own field
    assert homes.shortfall_cost == 2 * 6000 * 52
    assert res.years[0].total_shortfall_cost == 509_600 + 624_000
    row = res.to_json()["years"][0]["by_type"]
    assert row["ifa"]["shortfall_cost"] == 509_600
    assert row["ifa"]["priced_at"] == "framework_weekly_price"
    assert row["external_residential"]["priced_at"] == "weekly_cost"
    assert res.headlines()[0] == (
        "2024-25: shortfall of 10 places in ifa (£509,600 a year through the framework)"
    )


def test_a_framework_without_a_price_is_priced_at_the_weekly_cost(reg: Reg) -> None:
    costs = reg("costs", [{"placement_type": "ifa", "year": 2025, "weekly_cost": 1000}])
    res = compute_gap(
        {2025: {"ifa": 3}}, {2025: {}}, costs=costs, frameworks={2025: {"ifa": Framework(None, 0)}}
    )
    cell = res.cell(2025, "ifa")
    assert (cell.framework, cell.shortfall_cost) == (True, 3 * 1000 * 52)
    assert res.to_json()["years"][0]["by_type"]["ifa"]["priced_at"] == "weekly_cost"


def test_the_contracts_framework_prices_the_gap_of_a_dataset(make_ds: MakeDs, reg: Reg) -> None:
    """The contracts register's framework (£6,100 a week for external homes) prices their
    shortfall, not the costs register's £7,000."""
    contracts = reg(
        "contracts",
        [
            {
                "contract_id": "F2",
                "provider": "Regional homes framework",
                "kind": "framework",
                "placement_type": "external_residential",
                "places": None,
                "start": "2020-04-01",
                "weekly_price": 6100,
            }
        ],
    )
    costs = reg(
        "costs", [{"placement_type": "external_residential", "year": 2024, "weekly_cost": 7000}]
    )
    ds = make_ds(
        [episode("R1", "K2", "PR4", "2022-06-01", 2023)],
        {"contracts": contracts, "costs": costs},
    )
    res = gap_for_dataset(ds, [2024], need={2024: {"external_residential": 4}})
    cell = res.cell(2024, "external_residential")
    assert (cell.framework_weekly_price, cell.weekly_cost) == (6100, 7000)
    assert cell.shortfall_cost == 4 * 6100 * 52 == 1_268_800


# ----------------------------------------------------------------- finding 9: counted past years
@pytest.fixture
def three_returns(make_ds: MakeDs) -> Dataset:
    """IFA at 31 March: 2021: 4, 2022: 8, 2023: 8 (four start in 2021-22, none leave); the
    trend through them reads 4.7, 6.7 and 8.7."""
    eps = [episode(f"A{i}", "U5", "PR4", "2020-06-01", 2021) for i in range(4)]
    eps += [episode(f"B{i}", "U5", "PR4", "2021-06-01", 2022) for i in range(4)]
    return make_ds(eps, returns=(2021, 2022, 2023))


def test_years_the_returns_cover_take_the_children_counted(three_returns: Dataset) -> None:
    assert trend_need(three_returns, [2022])[2022]["ifa"] == 6.7  # what the gap used to say
    res = gap_with_need(three_returns, [2022, 2023, 2024], need="trend")
    assert [res.cell(y, "ifa").need for y in (2022, 2023, 2024)] == [8, 8, 10.7]
    doc = res.to_json()
    assert [(y["year"], y["need_source"]) for y in doc["years"]] == [
        (2022, "counted"),
        (2023, "counted"),
        (2024, "trend"),
    ]
    assert doc["need_source"] == "trend"


def test_only_past_years_are_all_counted(three_returns: Dataset) -> None:
    res = gap_with_need(three_returns, [2021, 2022], need="forecast")
    assert [res.cell(y, "ifa").need for y in (2021, 2022)] == [4, 8]
    assert res.need_source == "counted"
    assert not any("trend" in w for w in res.warnings)


# --------------------------------------------------------------- finding 10: one scenario's gap
PLAN = """
name: plan
entries:
  - {multiply: 0.25, start: 2023-04-01}
moves:
  - {from: ifa, to: in_house_fostering, number: 4, start: 2023-04-01, end: 2024-03-31}
capacity:
  - {year: 2024, type: in_house_fostering, places: 2}
"""


@pytest.fixture
def council(make_ds: MakeDs, reg: Reg) -> Dataset:
    """At 31 March 2023: 12 children with in-house carers (12 places), 10 in IFA."""
    eps = [episode(f"F{i}", "U4", "PR1", "2022-06-01", 2023) for i in range(12)]
    eps += [episode(f"I{i}", "U4", "PR4", "2022-06-01", 2023) for i in range(10)]
    carers = reg(
        "carers",
        [
            {
                "household_id": f"H{i}",
                "status": "approved",
                "approval_types": "mainstream",
                "approved_date": "2018-01-01",
                "places": 2,
                "occupied": 2,
            }
            for i in range(6)
        ],
    )
    costs = reg("costs", [{"placement_type": "ifa", "year": 2023, "weekly_cost": 1000}])
    return make_ds(eps, {"carers": carers, "costs": costs})


def test_a_scenario_gap_is_the_statements(council: Dataset, tmp_path: Path) -> None:
    """``gap --scenario`` (gap_with_need with the file's forecast scenario) gives the statement's
    scenario gap (report.sources.gap_json) figure for figure: need from the scenario's
    forecast (a quarter of the entrants), capacity plus its 2 places, its moves not twice."""
    from sufficiency.report.sources import baseline_forecast, gap_json

    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    settings = load_scenario(path)
    plan = forecast_plan(path, settings)
    assert plan is not None
    fc = baseline_forecast(council, 2023, [plan])
    assert not isinstance(fc, str)
    statement = gap_json(council, 2023, fc, "plan", settings)
    assert statement is not None
    res = gap_with_need(council, [2024, 2025, 2026], scenario=settings, plan=plan)
    doc = res.to_json()
    assert doc["years"] == statement["years"]
    assert (doc["scenario"], doc["need_source"]) == ("plan", "forecast")
    need = fc.need_by_year("plan")[2025]
    assert doc["years"][1]["by_type"]["ifa"]["need"] == round(need["ifa"], 1)
    assert doc["years"][0]["by_type"]["in_house_fostering"]["capacity"] == 14
    # not baseline need plus the moves: fewer entrants, less need
    old = gap_with_need(council, [2024, 2025, 2026], scenario=settings)
    assert old.cell(2025, "ifa").need > res.cell(2025, "ifa").need
    assert not any("forecast settings" in w for w in res.warnings)


def test_a_gap_only_file_keeps_its_moves_on_baseline_need(tmp_path: Path) -> None:
    """A file the forecast cannot read (moves by year, or need given) is no forecast scenario:
    its moves land on baseline need as before; one whose rate changes the forecast refuses
    stops with the forecast's message."""
    path = tmp_path / "absorb.yaml"
    path.write_text(
        "name: absorb\nmoves:\n  - {year: 2024, from: ifa, to: in_house_fostering, children: 6}\n"
    )
    assert forecast_plan(path, load_scenario(path)) is None
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\nrates:\n  - {to: NOT_IN_CARE, multiply: 2, start: 2023-04-01}\n"
        "moves:\n  - {year: 2024, from: ifa, to: in_house_fostering, children: 6}\n"
    )
    with pytest.raises(ValueError, match=r"bad\.yaml"):
        forecast_plan(bad, load_scenario(bad))


def test_a_scenario_file_without_a_name_is_named_by_its_file(tmp_path: Path) -> None:
    path = tmp_path / "lower_entry.yaml"
    path.write_text("rates:\n  - {to: NOT_IN_CARE, multiply: 2, start: 2023-04-01}\n")
    settings = load_scenario(path)
    plan = forecast_plan(path, settings)
    assert plan is not None and plan.name == settings.name == "lower_entry"
    assert isinstance(settings, GapScenario)
