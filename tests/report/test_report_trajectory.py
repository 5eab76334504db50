"""The planned trajectory's figures (``report.sections.trajectory``) from hand-made forecast
and gap JSON: shares of the expected children, costs, the gap's shortfall."""

from __future__ import annotations

from typing import Any

from sufficiency.report.sections.trajectory import start_point, trajectory, trajectory_blocks


def _band(mean: Any) -> dict[str, Any]:
    return {"mean": mean, "p10": mean, "p90": mean}


SCENARIO = {
    "yearly": [
        {
            "date": "2025-03-31",
            "year": 2025,
            "total": _band(200.0),
            "by_category": {
                "in_house_fostering": _band(80.0),
                "family_and_friends": _band(20.0),
                "ifa": _band(50.0),
                "in_house_residential": _band(10.0),
                "external_residential": _band(40.0),
            },
        }
    ],
    "trajectory": [{"date": "2025-03-31", "cla_count": 200.0, "rate_per_10k": 54.94}],
    "costs": {"by_year": [{"year": 2025, "total": 12345678.4, "by_type": {}, "partial": False}]},
}
GAP = {"years": [{"year": 2025, "by_type": {}, "total_shortfall": 12.5}]}


def test_a_year_of_the_trajectory() -> None:
    (point,) = trajectory(SCENARIO, GAP)
    assert point == {
        "year": 2025,
        "children": 200.0,
        "rate": 54.9,
        "fostered": 75.0,  # (80 + 20 + 50) / 200
        "in_house": 55.0,  # (80 + 20 + 10) / 200
        "cost": 12345678.4,
        "shortfall": 12.5,
    }


def test_a_suppressed_type_suppresses_the_shares_it_enters() -> None:
    hidden = {**SCENARIO, "yearly": [dict(SCENARIO["yearly"][0])]}  # type: ignore[list-item]
    hidden["yearly"][0]["by_category"] = {
        **SCENARIO["yearly"][0]["by_category"],  # type: ignore[index]
        "in_house_residential": _band("c"),
    }
    (point,) = trajectory(hidden, None)
    assert (point["fostered"], point["in_house"], point["shortfall"]) == (75.0, "c", None)


def test_the_start_is_the_years_actual_figures() -> None:
    start = start_point(2024, 190, 52.1, {"ifa": 95, "in_house_fostering": 38}, 9_000_000)
    assert start == {
        "year": 2024,
        "children": 190,
        "rate": 52.1,
        "fostered": 70.0,
        "in_house": 20.0,
        "cost": 9_000_000.0,
        "shortfall": None,
    }


def test_one_path_alone_is_not_a_comparison() -> None:
    assert trajectory_blocks({"baseline": trajectory(SCENARIO, GAP)}, {}) == []


def test_the_table_puts_each_figure_of_each_scenario_on_a_row() -> None:
    paths = {"baseline": trajectory(SCENARIO, GAP), "step_down": trajectory(SCENARIO, None)}
    _, table, chart = trajectory_blocks(paths, {"step_down": "Eight children step down."})
    assert table.table is not None and chart.chart is not None
    assert [r.header for r in table.table.rows][:2] == [
        "Children looked after: baseline",
        "Children looked after: step down",
    ]
    assert table.table.columns == ["", "31 March 2025"]
    assert [s.name for s in chart.chart.series] == ["Baseline", "Step down"]
