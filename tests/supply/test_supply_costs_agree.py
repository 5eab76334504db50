"""One weekly cost per type and year: spend, the gap, home-finding outcomes and the forecast all
price a placement type with ``unit_costs.weekly_cost`` (the rule in measures/unit_costs.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.matching import outcomes
from sufficiency.measures.catalogue import Period
from sufficiency.measures.costs import average_weekly_cost_by_type, spend_by_placement_type
from sufficiency.measures.unit_costs import weekly_cost
from sufficiency.supply.gap import gap_for_dataset

Reg = Callable[[str, list[dict[str, object]]], pl.DataFrame]
MakeDs = Callable[..., Dataset]
FY2024 = Period.year_ending(dt.date(2024, 3, 31))


def ep(child: str, place: str, urn: str | None = None) -> dict[str, object]:
    return {
        "CHILD": child,
        "DECOM": "2023-04-01",
        "DEC": None,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR4",
        "URN": urn,
        "return_year": 2024,
    }


def cost(ds: Dataset, kind: str, year: int) -> float:
    """``weekly_cost``, which must be known here."""
    value = weekly_cost(ds, kind, year)
    assert value is not None
    return value


def text_frame(records: list[dict[str, str]]) -> pl.DataFrame:
    cols = sorted({k for r in records for k in r})
    return pl.DataFrame({c: [r.get(c, "") for r in records] for c in cols})


@pytest.fixture
def ds(make_ds: MakeDs, reg: Reg) -> Dataset:
    """Six children in IFA, three in external children's homes (one at SC1, with its own fee),
    all year 2023-24; IFA costs £900 (2023) then £1,000 (2025); residential £5,000 (2024)."""
    eps = [ep(f"I{i}", "U4") for i in range(6)] + [
        ep("R0", "K2", "SC1"),
        ep("R1", "K2"),
        ep("R2", "K2"),
    ]
    costs = reg(
        "costs",
        [
            {"placement_type": "ifa", "year": 2023, "weekly_cost": 900},
            {"placement_type": "ifa", "year": 2025, "weekly_cost": 1000},
            {"placement_type": "external_residential", "year": 2024, "weekly_cost": 5000},
            {
                "placement_type": "external_residential",
                "year": 2024,
                "weekly_cost": 8400,
                "urn": "SC1",
            },
        ],
    )
    referrals = text_frame(
        [{"id": "A", "requested_type": "ifa"}, {"id": "B", "requested_type": "ifa"}]
    )
    placed = text_frame(
        [
            # 31 March 2024 is in 2023-24; 1 April 2024 is in 2024-25
            {
                "referral_id": "A",
                "placed_date": "2024-03-31",
                "placed_type": "external_residential",
            },
            {
                "referral_id": "B",
                "placed_date": "2024-04-01",
                "placed_type": "external_residential",
            },
        ]
    )
    return make_ds(
        eps,
        {"costs": costs, "referrals": referrals, "outcomes": placed},
        returns=(2024,),
    )


def test_the_rule_prices_each_type_and_year(ds: Dataset) -> None:
    assert weekly_cost(ds, "ifa", 2024) == 900.0  # 2024 has no row: the latest earlier (2023)
    assert weekly_cost(ds, "ifa", 2025) == 1000.0
    assert weekly_cost(ds, "external_residential", 2024) == 5000.0  # not SC1's own fee
    assert weekly_cost(ds, "external_residential", 2026) == 5000.0
    assert weekly_cost(ds, "secure", 2024) is None


def test_spend_uses_the_type_cost_for_placements_without_their_own_fee(ds: Dataset) -> None:
    # 366 nights each (2023-24 is a leap year): 6 IFA at 900; R1, R2 at 5000; R0 at SC1's 8400
    spend = spend_by_placement_type(ds, FY2024)
    assert isinstance(spend, dict)
    assert spend["ifa"] == round(6 * 366 * cost(ds, "ifa", 2024) / 7) == 282_343
    assert spend["external_residential"] == round(366 * (2 * 5000 + 8400) / 7) == 962_057
    assert average_weekly_cost_by_type(ds, FY2024) == {
        "ifa": 900,
        "external_residential": round((2 * 5000 + 8400) / 3),
    }


def test_the_gap_prices_a_shortfall_at_the_type_cost(ds: Dataset) -> None:
    gap = gap_for_dataset(
        ds, [2025], need={2025: {"ifa": 3, "external_residential": 2, "in_house_fostering": 1}}
    )
    ifa = gap.cell(2025, "ifa")
    assert ifa.weekly_cost == weekly_cost(ds, "ifa", 2025) == 1000.0
    assert ifa.shortfall_cost == 3 * 1000.0 * 52
    res = gap.cell(2025, "external_residential")
    assert res.shortfall_cost == 2 * cost(ds, "external_residential", 2025) * 52 == 520_000
    # in-house fostering is bought as IFA
    assert gap.cell(2025, "in_house_fostering").weekly_cost == 1000.0


def test_outcomes_price_each_placement_in_its_financial_year(ds: Dataset) -> None:
    both_years = Period(dt.date(2023, 4, 1), dt.date(2025, 3, 31))
    m = outcomes.type_mismatch(ds, both_years, "foster", "residential")
    assert m.count == 2
    # A (31 March 2024, 2023-24): 5000 - 900; B (1 April 2024, 2024-25): 5000 - 1000
    expected = (cost(ds, "external_residential", 2024) - cost(ds, "ifa", 2024)) * 52 + (
        cost(ds, "external_residential", 2025) - cost(ds, "ifa", 2025)
    ) * 52
    assert m.annual_cost_difference == expected == (4100 + 4000) * 52


def test_the_forecast_prices_child_days_at_the_type_cost(ds: Dataset) -> None:
    from sufficiency.forecast.api import run_forecast

    fc = run_forecast(ds, horizon_months=12)
    base = fc.scenarios["baseline"]
    assert base.costs is not None
    years = {y["year"]: y for y in base.costs["by_year"]}
    assert list(years) == [2025]  # April 2024 to March 2025: one financial year
    days = base.projection.child_days
    for kind in ("ifa", "external_residential"):
        c = fc.categories.index(kind)
        expected = float(days[:, c].sum()) * cost(ds, kind, 2025) / 7
        assert years[2025]["by_type"][kind] == pytest.approx(expected, abs=0.02)
    assert weekly_cost(ds, "ifa", 2025) == 1000.0
