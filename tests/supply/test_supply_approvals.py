"""One definition of an approval and a deregistration in a year, and the recruitment funnel
reconciled with the carers register; financial years turn on 1 April everywhere in supply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.measures.catalogue import Period
from sufficiency.supply.capacity import yearly_from_monthly
from sufficiency.supply.carers import funnel_by_year, net_change, register_flows
from sufficiency.supply.gap import Move
from sufficiency.supply.measures import carer_net_change, recruitment_funnel

Reg = Callable[[str, list[dict[str, object]]], pl.DataFrame]
MakeDs = Callable[..., Dataset]
FY2024 = Period.year_ending(dt.date(2024, 3, 31))


def household(
    hid: str,
    types: str,
    approved: str | None,
    deregistered: str | None = None,
    status: str | None = None,
) -> dict[str, object]:
    return {
        "household_id": hid,
        "status": status or ("deregistered" if deregistered else "approved"),
        "approval_types": types,
        "approved_date": approved,
        "deregistered_date": deregistered,
        "places": 1,
    }


@pytest.fixture
def carers(reg: Reg) -> pl.DataFrame:
    return reg(
        "carers",
        [
            household("M1", "mainstream", "2023-03-31"),  # 2022-23: before the year
            household("M2", "mainstream", "2023-04-01"),  # first day of 2023-24
            household("M3", "mainstream;short_breaks", "2024-03-31"),  # last day of 2023-24
            household("S1", "short_breaks", "2023-06-01"),  # recruited: mainstream
            household("K1", "kinship", "2023-05-01", "2024-01-10"),  # connected person
            household("K2", "kinship", "2022-01-01", "2023-04-01"),  # leaves on 1 April
            household("K3", "kinship;mainstream", "2023-07-01"),  # also mainstream
            household("M4", "mainstream", "2020-01-01", "2023-03-31"),  # left in 2022-23
            household("M5", "mainstream", "2020-01-01", "2024-03-31"),  # left on 31 March
            household("A1", "mainstream", None, status="in_assessment"),
            household("R1", "kinship", None, status="reg24") | {"reg24_start": "2023-09-01"},
        ],
    )


def recruitment(reg: Reg, approvals: int, deregistrations: int) -> pl.DataFrame:
    months = [f"2023-{m:02d}" for m in range(3, 13)] + [f"2024-{m:02d}" for m in range(1, 5)]
    rows: list[dict[str, object]] = [
        {"month": m, "enquiries": 10, "approvals": 0, "deregistrations": 0} for m in months
    ]
    rows[0]["approvals"] = 9  # March 2023 and April 2024 are outside 2023-24
    rows[-1]["approvals"] = 9
    rows[5]["approvals"] = approvals
    rows[6]["deregistrations"] = deregistrations
    return reg("recruitment", rows)


def test_approvals_and_deregistrations_in_a_year(carers: pl.DataFrame) -> None:
    flows = register_flows(carers, dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    # approvals: M2, M3, S1, K1, K3 (K1 only kinship); deregistrations: K1, K2, M5
    assert flows == {"approvals": (5, 1, 4), "deregistrations": (3, 2, 1)}
    nc = net_change(carers, 2024)
    # at 31 March 2023: M1, K2, M5 (M4 left that day); at 31 March 2024: M1, M2, M3, S1, K3
    assert nc.to_json() == {
        "year": 2024,
        "start": 3,
        "approvals": 5,
        "deregistrations": 3,
        "end": 5,
        "net": 2,
    }
    assert nc.start + nc.approvals - nc.deregistrations == nc.end


def test_the_funnel_reconciles_with_the_carers_register(
    carers: pl.DataFrame, make_ds: MakeDs, reg: Reg
) -> None:
    ds = make_ds(registers={"carers": carers, "recruitment": recruitment(reg, 4, 1)})
    funnel = recruitment_funnel(ds, FY2024)
    net = carer_net_change(ds, FY2024)
    assert isinstance(funnel, dict) and isinstance(net, dict)
    assert {k: funnel[k] for k in ("months", "approvals", "deregistrations")} == {
        "months": 12,
        "approvals": 4,
        "deregistrations": 1,
    }
    assert funnel["carers_register_approvals"] == net["approvals"] == 5
    assert funnel["carers_register_connected_person_approvals"] == 1
    assert funnel["carers_register_mainstream_approvals"] == 4
    assert funnel["approvals_difference"] == 0
    assert funnel["carers_register_deregistrations"] == net["deregistrations"] == 3
    assert funnel["carers_register_connected_person_deregistrations"] == 2
    assert funnel["carers_register_mainstream_deregistrations"] == 1
    assert funnel["deregistrations_difference"] == 0


def test_registers_that_disagree_show_the_difference(
    carers: pl.DataFrame, make_ds: MakeDs, reg: Reg
) -> None:
    ds = make_ds(registers={"carers": carers, "recruitment": recruitment(reg, 6, 0)})
    funnel = recruitment_funnel(ds, FY2024)
    assert isinstance(funnel, dict)
    assert (funnel["approvals"], funnel["approvals_difference"]) == (6, 2)
    assert (funnel["deregistrations"], funnel["deregistrations_difference"]) == (0, -1)


def test_financial_years_turn_on_1_april(reg: Reg) -> None:
    rec = reg(
        "recruitment",
        [
            {"month": "2024-03", "enquiries": 5, "approvals": 1},
            {"month": "2024-04", "enquiries": 7, "approvals": 2},
        ],
    )
    assert funnel_by_year(rec).select("year", "enquiries").rows() == [(2024, 5), (2025, 7)]
    projection = pl.DataFrame(
        {
            "month": [dt.date(2024, 3, 1), dt.date(2024, 4, 1)],
            "approvals": [1.0, 2.0],
            "deregistrations": [0.0, 0.0],
            "households": [10.0, 12.0],
            "places": [15.0, 18.0],
        }
    )
    # only 2023-24 has its March projected
    assert yearly_from_monthly(projection).select("year", "approvals").rows() == [(2024, 1.0)]
    on_31_march = {"from": "ifa", "to": "in_house_fostering", "number": 1, "end": "2024-03-31"}
    assert Move.model_validate(on_31_march).year == 2024
    assert Move.model_validate(on_31_march | {"end": "2024-04-01"}).year == 2025
