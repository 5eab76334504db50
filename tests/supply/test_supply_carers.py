"""Carers and recruitment: net change, utilisation, Reg 24, conversion and lag on known data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl

from sufficiency.ingest.registers import load_registers
from sufficiency.supply.carers import (
    estimate_lag,
    funnel_by_year,
    households_and_places,
    lag_distribution,
    net_change,
    reg24_clocks,
)

Reg = Callable[[str, list[dict[str, object]]], pl.DataFrame]


def hertfordshire_carers(register: Reg) -> pl.DataFrame:
    """360 households at 31 March 2019, then approvals / deregistrations per year chosen so the
    net changes are Hertfordshire's: -7 (2019/20), +24, +1, -26, -20 (2023/24)."""
    flows = {2020: (30, 37), 2021: (50, 26), 2022: (35, 34), 2023: (20, 46), 2024: (25, 45)}
    rows: list[dict[str, object]] = []
    pool = [f"OLD{i}" for i in range(360)]
    for i, hid in enumerate(pool):
        rows.append(
            {
                "household_id": hid,
                "status": "approved",
                "approval_types": "mainstream",
                "approved_date": "2015-05-01",
                "places": 1 + i % 2,
            }
        )
    leavers = iter(rows)
    for year, (approvals, deregs) in flows.items():
        for j in range(approvals):
            rows.append(
                {
                    "household_id": f"N{year}_{j}",
                    "status": "approved",
                    "approval_types": "mainstream",
                    "approved_date": f"{year - 1}-{6 + j % 6:02d}-15",
                    "places": 2,
                }
            )
        for _ in range(deregs):
            r = next(leavers)
            r["status"] = "deregistered"
            r["deregistered_date"] = f"{year}-01-10"
    return register("carers", rows)


def test_net_change_reproduces_hertfordshire(reg: Reg) -> None:
    carers = hertfordshire_carers(reg)
    got = [net_change(carers, y) for y in (2020, 2021, 2022, 2023, 2024)]
    assert [c.net for c in got] == [-7, 24, 1, -26, -20]
    assert [(c.approvals, c.deregistrations) for c in got] == [
        (30, 37),
        (50, 26),
        (35, 34),
        (20, 46),
        (25, 45),
    ]
    assert got[0].start == 360 and got[-1].end == 360 - 28


def test_households_places_and_utilisation_share(reg: Reg) -> None:
    carers = reg(
        "carers",
        [
            {
                "household_id": "A",
                "status": "approved",
                "approval_types": "mainstream",
                "approved_date": "2020-01-01",
                "places": 2,
                "occupied": 2,
            },
            {
                "household_id": "B",
                "status": "approved",
                "approval_types": "mainstream",
                "approved_date": "2020-01-01",
                "places": 3,
                "occupied": 1,
            },
            {
                "household_id": "C",
                "status": "deregistered",
                "approval_types": "mainstream",
                "approved_date": "2020-01-01",
                "deregistered_date": "2023-03-31",
                "places": 4,
                "occupied": 0,
            },
            {"household_id": "D", "status": "in_assessment", "approval_types": "", "places": 1},
            {
                "household_id": "E",
                "status": "approved",
                "approval_types": "emergency",
                "approved_date": "2023-04-01",
                "places": 1,
                "occupied": 0,
            },
        ],
    )
    assert households_and_places(carers, dt.date(2023, 3, 30)) == (3, 9)
    assert households_and_places(carers, dt.date(2023, 3, 31)) == (2, 5)


def test_reg24_sixteen_week_clock(reg: Reg) -> None:
    carers = reg(
        "carers",
        [
            {
                "household_id": "K1",
                "status": "reg24",
                "approval_types": "kinship",
                "places": 1,
                "reg24_start": "2023-03-01",
            },
            {
                "household_id": "K2",
                "status": "reg24",
                "approval_types": "kinship",
                "places": 1,
                "reg24_start": "2022-12-09",
            },  # 9/12/2022 + 16 weeks = 31/3/2023: last day, within
            {
                "household_id": "K3",
                "status": "reg24",
                "approval_types": "kinship",
                "places": 1,
                "reg24_start": "2022-12-08",
            },
            {
                "household_id": "K4",
                "status": "reg24",
                "approval_types": "kinship",
                "places": 1,
                "reg24_start": "2022-06-01",
                "deregistered_date": "2022-10-01",
            },
        ],
    )
    assert reg24_clocks(carers, dt.date(2023, 3, 31)) == {
        "open": 3,
        "within_16_weeks": 2,
        "over_16_weeks": 1,
    }


def test_lag_distribution_in_months(reg: Reg) -> None:
    carers = reg(
        "carers",
        [
            {
                "household_id": str(i),
                "status": "approved",
                "approval_types": "mainstream",
                "places": 1,
                "enquiry_date": e,
                "approved_date": a,
            }
            for i, (e, a) in enumerate(
                [
                    ("2022-01-15", "2022-07-02"),
                    ("2022-02-01", "2022-09-30"),
                    ("2022-03-10", "2022-10-01"),
                    ("2022-04-01", "2022-12-01"),
                ]
            )
        ],
    )
    assert lag_distribution(carers) == {
        "count": 4,
        "median": 7.0,
        "p25": 6.0,
        "p75": 8.0,
        "by_months": {"6": 1, "7": 2, "8": 1},
    }


def test_estimate_lag_recovers_a_known_lag() -> None:
    months = pl.date_range(dt.date(2020, 1, 1), dt.date(2022, 12, 1), "1mo", eager=True)
    enquiries = [20 + (i * 7) % 23 for i in range(len(months))]
    approvals = [0.0] * 7 + [e / 16 for e in enquiries[:-7]]
    frame = pl.DataFrame({"month": months, "enquiries": enquiries, "approvals": approvals})
    lag, rate = estimate_lag(frame)
    assert lag == 7
    assert round(rate, 6) == 0.0625


# Staffordshire Sufficiency Strategy 2023-26, appendix 7 "Fostering recruitment - Enquiries vs
# Starters": monthly rows April..March, years 17-18 .. 22-23 (22-23 reported to October).
STAFFS_ENQUIRIES = {
    "April": [47, 40, 34, 62, 31, 30],
    "May": [57, 46, 44, 36, 35, 46],
    "June": [48, 59, 50, 41, 21, 39],
    "July": [52, 41, 34, 31, 28, 34],
    "August": [51, 46, 35, 19, 30, 22],
    "September": [46, 68, 56, 40, 33, 46],
    "October": [52, 56, 39, 39, 26, 32],
    "November": [41, 40, 36, 28, 27, None],
    "December": [33, 38, 25, 28, 30, None],
    "January": [66, 78, 104, 58, 36, None],
    "February": [57, 57, 54, 32, 23, None],
    "March": [34, 52, 48, 34, 41, None],
}
STAFFS_STARTERS = {
    "April": [1, 2, 1, 3, 0, 4],
    "May": [1, 4, 3, 1, 5, 1],
    "June": [1, 1, 2, 5, 4, 0],
    "July": [2, 1, 9, 4, 4, 3],
    "August": [0, 3, 3, 1, 2, 1],
    "September": [2, 2, 2, 3, 5, 0],
    "October": [6, 3, 5, 2, 4, 2],
    "November": [1, 2, 2, 4, 2, None],
    "December": [3, 3, 2, 4, 0, None],
    "January": [3, 2, 3, 1, 1, None],
    "February": [2, 4, 5, 3, 2, None],
    "March": [1, 8, 5, 2, 2, None],
}
#: The table's TOTAL row.
STAFFS_TOTAL_ENQUIRIES = [584, 621, 559, 448, 361, 249]
STAFFS_TOTAL_STARTERS = [23, 35, 42, 33, 31, 11]
MONTHS = [
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
]


def staffordshire_csv() -> str:
    lines = ["month,enquiries,approvals"]
    for col, fy in enumerate(range(2018, 2024)):
        for i, name in enumerate(MONTHS):
            enq, st = STAFFS_ENQUIRIES[name][col], STAFFS_STARTERS[name][col]
            if enq is None:
                continue
            year = fy - 1 if i < 9 else fy
            lines.append(f"{year}-{(i + 3) % 12 + 1:02d},{enq},{st}")
    return "\n".join(lines) + "\n"


def test_staffordshire_recruitment_register_reproduces_totals_and_conversion(
    write: Callable[[str, str], Path],
) -> None:
    path = write("recruitment.csv", staffordshire_csv())
    frames, problems = load_registers(path.parent)
    assert problems == []
    yearly = funnel_by_year(frames["recruitment"])
    assert yearly.get_column("year").to_list() == [2018, 2019, 2020, 2021, 2022, 2023]
    assert yearly.get_column("months").to_list() == [12, 12, 12, 12, 12, 7]
    assert yearly.get_column("enquiries").to_list() == STAFFS_TOTAL_ENQUIRIES
    assert yearly.get_column("approvals").to_list() == STAFFS_TOTAL_STARTERS
    expected_pct = [
        round(100 * s / e, 1)
        for s, e in zip(STAFFS_TOTAL_STARTERS, STAFFS_TOTAL_ENQUIRIES, strict=True)
    ]
    assert yearly.get_column("approvals_per_enquiry_pct").to_list() == expected_pct
    assert expected_pct == [3.9, 5.6, 7.5, 7.4, 8.6, 4.4]
