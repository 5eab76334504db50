"""Capacity projection: carers from recruitment targets (seed 000), beds, contract places."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl
import pytest

from sufficiency.supply.capacity import (
    Framework,
    RecruitmentPlan,
    capacity_by_year,
    contract_places,
    frameworks_on,
    parse_lag,
    project_carers,
    yearly_from_monthly,
)

Reg = Callable[[str, list[dict[str, object]]], pl.DataFrame]


def herefordshire_plan(**kw: float) -> RecruitmentPlan:
    """Seed 000 section 7.0: 'Monthly targets of 32 enquiries should lead to two approvals per
    month with a time lag of 6-8 months.'"""
    return RecruitmentPlan(enquiries=32, conversion=2 / 32, lag=parse_lag("6-8"), **kw)


def test_thirty_two_enquiries_give_two_approvals_a_month_after_six_to_eight_months() -> None:
    proj = project_carers(dt.date(2023, 4, 1), 24, 0, 0, herefordshire_plan())
    approvals = [round(a, 6) for a in proj.get_column("approvals").to_list()]
    # Apr-Sep 2023 nothing yet; October gets the 6-month third of April's enquiries (2/3),
    # November 6- and 7-month thirds (4/3); from December every lag is fed: 2 a month.
    assert approvals[:6] == [0.0] * 6
    assert approvals[6:8] == [round(2 / 3, 6), round(4 / 3, 6)]
    assert approvals[8:] == [2.0] * 16
    yearly = yearly_from_monthly(proj)
    # 2023-24: 2/3 + 4/3 + 4 x 2 = 10 approvals; 2024-25: 12 x 2 = 24.
    assert [round(a, 6) for a in yearly.get_column("approvals").to_list()] == [10.0, 24.0]
    assert [round(h, 6) for h in yearly.get_column("households").to_list()] == [10.0, 34.0]


def test_attrition_and_places_per_household() -> None:
    plan = RecruitmentPlan(
        enquiries=0, conversion=0, attrition_monthly=0.01, places_per_household=2
    )
    proj = project_carers(dt.date(2023, 4, 1), 12, 100, 150, plan)
    assert proj.get_column("households")[-1] == pytest.approx(100 * 0.99**12)
    assert proj.get_column("places")[-1] == pytest.approx(150 * 0.99**12)
    plan = herefordshire_plan(places_per_household=1.5)
    proj = project_carers(dt.date(2023, 4, 1), 12, 100, 150, plan)
    assert proj.get_column("places")[-1] == pytest.approx(150 + 10 * 1.5)


def test_enquiries_made_before_the_start_still_convert() -> None:
    history = {dt.date(2023, 3, 1): 32.0}
    plan = RecruitmentPlan(enquiries=0, conversion=2 / 32, lag={7: 1.0}, history=history)
    proj = project_carers(dt.date(2023, 4, 1), 12, 0, 0, plan)
    assert proj.filter(pl.col("approvals") > 0).select("month", "approvals").rows() == [
        (dt.date(2023, 10, 1), 2.0)
    ]


def test_capacity_by_year_beds_from_planned_openings_and_contracts(reg: Reg) -> None:
    homes = reg(
        "homes",
        [
            {"urn": "SC1", "places": 5, "in_house": "yes", "registered_date": "2010-01-01"},
            {"urn": "SC2", "places": 5, "in_house": "yes", "registered_date": "2012-01-01"},
            {
                "urn": "SC3",
                "places": 3,
                "in_house": "yes",
                "registered_date": "2015-01-01",
                "closed_date": "2024-12-31",
            },
            # Residential strategy phase 2: 22 beds planned.
            {"urn": "P2A", "places": 12, "in_house": "yes", "registered_date": "2024-09-01"},
            {"urn": "P2B", "places": 10, "in_house": "yes", "registered_date": "2025-06-01"},
            {"urn": "SC9", "places": 6, "in_house": "no", "registered_date": "2010-01-01"},
        ],
    )
    contracts = reg(
        "contracts",
        [
            {
                "contract_id": "B1",
                "provider": "Acme",
                "kind": "block",
                "placement_type": "external_residential",
                "places": 3,
                "start": "2023-04-01",
                "end": "2026-03-31",
            },
            {
                "contract_id": "B2",
                "provider": "Beta",
                "kind": "block",
                "placement_type": "external_residential",
                "places": 3,
                "start": "2023-04-01",
                "end": "2026-03-31",
            },
            {
                "contract_id": "F1",
                "provider": "Gamma",
                "kind": "framework",
                "placement_type": "ifa",
                "places": 20,
                "start": "2020-04-01",
            },
            # a framework that gives no places is a route to buy, not capacity
            {
                "contract_id": "F2",
                "provider": "Regional homes framework",
                "kind": "framework",
                "placement_type": "external_residential",
                "start": "2020-04-01",
                "weekly_price": 6100,
            },
        ],
    )
    cap = capacity_by_year(
        {"homes": homes, "contracts": contracts}, [2024, 2025, 2026, 2027], dt.date(2023, 3, 31)
    )
    # block places are reserved; framework places count only where the row gives them (F1)
    assert cap == {
        2024: {"in_house_residential": 13.0, "external_residential": 6.0, "ifa": 20.0},
        2025: {"in_house_residential": 22.0, "external_residential": 6.0, "ifa": 20.0},
        2026: {"in_house_residential": 32.0, "external_residential": 6.0, "ifa": 20.0},
        2027: {"in_house_residential": 32.0, "ifa": 20.0},
    }
    assert capacity_by_year(
        {"contracts": contracts}, [2027], dt.date(2023, 3, 31), contract_kinds=("block",)
    ) == {2027: {}}
    assert frameworks_on(contracts, dt.date(2027, 3, 31)) == {
        "external_residential": Framework(6100.0, None),
        "ifa": Framework(None, 20),
    }
    assert frameworks_on(None, dt.date(2027, 3, 31)) == {}
    assert contract_places(contracts, dt.date(2024, 3, 31), ("block", "framework")) == {
        "external_residential": 6,
        "ifa": 20,
    }


def test_capacity_by_year_carers_from_plan(reg: Reg) -> None:
    carers = reg(
        "carers",
        [
            {
                "household_id": f"H{i}",
                "status": "approved",
                "approval_types": t,
                "approved_date": "2019-01-01",
                "places": 2,
            }
            for i, t in enumerate(["mainstream"] * 10 + ["kinship"] * 3 + ["short_breaks"] * 2)
        ],
    )
    cap = capacity_by_year(
        {"carers": carers},
        [2024, 2025],
        dt.date(2023, 3, 31),
        herefordshire_plan(places_per_household=1.5),
    )
    # 10 fostering households x 2 places; + 10 approvals x 1.5 in 2023-24, + 24 x 1.5 after.
    assert cap == {2024: {"in_house_fostering": 35.0}, 2025: {"in_house_fostering": 71.0}}
