"""A drivers scenario read from the registers (issue 19): seed 000 §6's programmes (ECHO 18 and
family group conferencing 9 children diverted in 2023-24) and its plans."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.measures.conftest import child, episode, make_ds

from sufficiency.forecast.drivers import drivers_scenario
from sufficiency.schema import register_frame

AT = dt.date(2024, 3, 31)


def test_programmes_divert_their_quarterly_average_and_plans_leave_over_the_period() -> None:
    interventions = [
        {"programme": "ECHO", "quarter": q, "diverted": d, "returned": 1}
        for q, d in (("2023-04-01", 5), ("2023-07-01", 6), ("2023-10-01", 4), ("2024-01-01", 3))
    ] + [
        {"programme": "Family group conferencing", "quarter": q, "diverted": d}
        for q, d in (("2023-10-01", 4), ("2024-01-01", 5), ("2024-04-01", 9))  # last: next year
    ]
    kids = [child(f"C{i}", "2015-01-01") for i in range(6)]
    eps = [episode(f"C{i}", "2023-01-01") for i in range(5)] + [
        episode("C5", "2023-01-01", "2023-12-01")  # left care: its plan is not counted
    ]
    plans = [
        {"child_id": f"C{i}", "plan": "reunification", "date_set": "2023-06-01"} for i in range(4)
    ] + [
        {"child_id": "C4", "plan": "long_term_fostering", "date_set": "2023-06-01"},
        {"child_id": "C5", "plan": "sgo", "date_set": "2023-06-01"},
    ]
    ds = make_ds(
        kids,
        eps,
        registers={
            "interventions": register_frame("interventions", interventions),
            "permanence_plans": register_frame("permanence_plans", plans),
        },
    )
    scenario = drivers_scenario(ds, AT, dt.date(2026, 3, 31))
    assert [(d.programme, d.per_quarter) for d in scenario.diversions] == [
        ("ECHO", 4.5),
        ("Family group conferencing", 4.5),
    ]
    assert all(d.start == dt.date(2024, 4, 1) for d in scenario.diversions)
    (reunification,) = scenario.leaving
    assert reunification.plan == "reunification"
    assert reunification.per_quarter == pytest.approx(4 / 8)  # four children over 8 quarters
    assert reunification.number(365.24) == pytest.approx(4.0)


def test_no_registers_make_a_scenario_without_drivers() -> None:
    ds = make_ds([child("C1", "2015-01-01")], [episode("C1", "2023-01-01")])
    scenario = drivers_scenario(ds, AT, dt.date(2025, 3, 31))
    assert scenario.diversions == () and scenario.leaving == ()
    assert "no programme" in scenario.description
