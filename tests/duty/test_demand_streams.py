"""Known answers for the two demand streams (issue 19): children under a deprivation-of-liberty
order (seed 000 §5.5: 7 orders in February 2023 falling to 4, stable since) and unaccompanied
asylum-seeking children, each a stock with entries and exits projected a year at a time."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest
from tests.measures.conftest import child, episode, make_ds, run

from sufficiency.dataset import Dataset
from sufficiency.forecast import run_forecast
from sufficiency.forecast.scenarios import scenario_from_mapping
from sufficiency.forecast.streams import without_streams
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import Period
from sufficiency.measures.demand_streams import StockFlow, dolo_orders_on, stream_record
from sufficiency.measures.suppression import protect_years, suppress_result
from sufficiency.report.build import build_statement


def _dolo(rows: list[tuple[str, str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"CHILD": c, "DOLO_START": s, "DOLO_END": e} for c, s, e in rows],
        schema={"CHILD": pl.Utf8, "DOLO_START": pl.Utf8, "DOLO_END": pl.Utf8},
    ).with_columns(pl.col("DOLO_START", "DOLO_END").str.to_date())


@pytest.fixture(scope="module")
def seed_000_dolo() -> Dataset:
    """Seven orders made in June 2021; three end on 20 February 2023, four stay in force."""
    orders = [(f"D{i}", "2021-06-01", "2023-02-20" if i < 3 else None) for i in range(7)]
    kids = [child(f"D{i}", "2008-01-01") for i in range(7)]
    eps = [episode(f"D{i}", "2021-05-01", PLACE="K2") for i in range(7)]
    return make_ds(kids, eps, tables={"dolo": _dolo(orders)}, returns=(2023, 2024))


def test_seven_orders_in_february_2023_fall_to_four(seed_000_dolo: Dataset) -> None:
    assert dolo_orders_on(seed_000_dolo, dt.date(2023, 2, 1)) == 7
    assert dolo_orders_on(seed_000_dolo, dt.date(2023, 2, 28)) == 4


def test_the_year_the_orders_fell_projects_them_falling_further(seed_000_dolo: Dataset) -> None:
    got = run(seed_000_dolo, "dolo_orders", dt.date(2023, 3, 31))
    rate = 3 / 5.5  # three ended, over a mean of (7 + 4) / 2 orders in force
    assert got == {
        "start": 7,
        "entries": 0,
        "exits": 3,
        "end": 4,
        "exit_rate_per_year": round(rate, 4),
        "projected_2024": round(4 * math.exp(-rate), 1),  # 2.3
        "projected_2025": round(4 * math.exp(-2 * rate), 1),  # 1.3
        "projected_2026": round(4 * math.exp(-3 * rate), 1),  # 0.8
    }
    assert got["projected_2024"] == 2.3


def test_four_stable_orders_stay_at_four(seed_000_dolo: Dataset) -> None:
    got = run(seed_000_dolo, "dolo_orders", dt.date(2024, 3, 31))
    assert got == {
        "start": 4,
        "entries": 0,
        "exits": 0,
        "end": 4,
        "exit_rate_per_year": 0.0,
        "projected_2025": 4.0,
        "projected_2026": 4.0,
        "projected_2027": 4.0,
    }


def test_four_orders_and_their_projection_are_hidden_together(seed_000_dolo: Dataset) -> None:
    m = load_catalogue()["dolo_orders"]
    shown = suppress_result(m.compute(seed_000_dolo, Period.year_ending(dt.date(2024, 3, 31))), m)
    got = shown.to_json()
    assert got["end"] == "c"
    assert got["projected_2025"] == "c"
    assert got["entries"] == 0  # zero is published


def test_a_stream_whose_flows_balance_stays_level() -> None:
    flow = StockFlow(start=20, entries=10, end=20)
    assert flow.exits == 10
    assert flow.rate == 0.5
    assert flow.project(1) == pytest.approx(20.0)
    assert flow.project(2, entries_per_year=0) == pytest.approx(20 * math.exp(-1.0))
    # more arrivals than leavers raise the level towards arrivals / rate
    assert flow.project(50, entries_per_year=15) == pytest.approx(30.0)


def test_dolo_orders_are_missing_without_the_table() -> None:
    ds = make_ds([child("C1", "2012-01-01")], [episode("C1", "2023-01-01")])
    assert run(ds, "dolo_orders") is None


@pytest.fixture(scope="module")
def uasc_ds() -> Dataset:
    """Ten UASC looked after on 31 March 2023; six arrive in 2023-24; four leave care and two
    stop being UASC (DUC): ten on 31 March 2024."""
    kids, eps, uasc = [], [], []
    for i in range(10):
        dec = "2023-09-30" if i < 4 else None
        eps.append(episode(f"U{i}", "2022-06-01", dec, LS="V2", CIN="N9"))
        uasc.append({"CHILD": f"U{i}", "DUC": "2023-12-01" if i in (4, 5) else None})
    for i in range(10, 16):
        eps.append(episode(f"U{i}", "2023-08-01", None, LS="V2", CIN="N9"))
        uasc.append({"CHILD": f"U{i}", "DUC": None})
    kids = [child(f"U{i}", "2007-05-01") for i in range(16)]
    return make_ds(kids, eps, uasc=[{**u, "SEX": "M", "DOB": "2007-05-01"} for u in uasc])


def test_uasc_stream_counts_arrivals_and_leavers(uasc_ds: Dataset) -> None:
    got = run(uasc_ds, "uasc_forecast")
    assert {k: got[k] for k in ("start", "entries", "exits", "end")} == {
        "start": 10,
        "entries": 6,
        "exits": 6,
        "end": 10,
    }
    assert got["exit_rate_per_year"] == 0.6
    assert got["projected_2025"] == 10.0  # six in, six out: level


def test_an_order_listed_open_by_one_return_and_ended_by_the_next_is_one_order() -> None:
    rows = [("D1", "2023-01-10", None), ("D1", "2023-01-10", "2023-06-30")]
    ds = make_ds(
        [child("D1", "2008-01-01")],
        [episode("D1", "2022-05-01", PLACE="K2")],
        tables={"dolo": _dolo(rows)},
    )
    assert dolo_orders_on(ds, dt.date(2023, 3, 31)) == 1
    assert dolo_orders_on(ds, dt.date(2023, 7, 1)) == 0


def test_the_forecast_carries_the_streams_under_the_scenarios_transfer_assumption(
    uasc_ds: Dataset,
) -> None:
    """Six arrive a year and the National Transfer Scheme takes six to other councils: nobody
    joins, so the ten leave at 0.6 a year; the baseline keeps the year's six arrivals."""
    nts = scenario_from_mapping(
        {"name": "nts", "uasc": {"arrivals_per_year": 6, "transfers_out_per_year": 6}}
    )
    result = run_forecast(uasc_ds, horizon_months=24, scenarios=[nts]).to_json()["scenarios"]
    base, plan = result["baseline"]["streams"], result["nts"]["streams"]
    assert base["dolo"] is None  # no dolo table
    assert base["uasc"]["entries_per_year"] == 6.0
    assert [p["children"] for p in base["uasc"]["yearly"]] == [10.0, 10.0]
    assert plan["uasc"]["entries_per_year"] == 0.0
    assert plan["uasc"]["transfers_out_per_year"] == 6.0
    years = [(dt.date(y, 3, 31) - dt.date(2024, 3, 31)).days / 365.24 for y in (2025, 2026)]
    assert [p["children"] for p in plan["uasc"]["yearly"]] == [
        round(10 * math.exp(-0.6 * t), 3) for t in years
    ]
    assert result["nts"]["short_breaks"] is None  # no short-break registers


def test_a_small_end_of_year_cannot_be_worked_out_from_start_entries_and_exits() -> None:
    """Ten orders, none made, six ended: four in force (small). start + entries = exits + end,
    so a second figure is hidden with it (the projections go with the small count itself:
    test_four_orders_and_their_projection_are_hidden_together)."""
    at = dt.date(2024, 3, 31)
    result = stream_record(StockFlow(start=10, entries=0, end=4), Period.year_ending(at))
    protection = protect_years({at: {"dolo_orders": result}}, la_code="E06999999")
    hidden = {r.split("@")[0] for r in protection.hidden}
    assert "dolo_orders.end" in hidden
    assert hidden & {"dolo_orders.start", "dolo_orders.exits"}


def test_a_published_statement_carries_the_streams_only_through_the_protected_measures(
    uasc_ds: Dataset,
) -> None:
    statement = build_statement(uasc_ds, 2024, "publish")
    forecast = statement.extras["forecast"]
    assert forecast["scenarios"]["baseline"]["yearly"]  # the forecast itself is there
    assert "streams" not in forecast["scenarios"]["baseline"]
    assert "short_breaks" not in forecast["scenarios"]["baseline"]
    section = next(s for s in statement.sections if s.id == "forecast")
    shown = repr(section.blocks)
    assert "Unaccompanied asylum-seeking children: the year's flows" in shown
    assert "Children placed under a deprivation-of-liberty order" not in shown  # no dolo table
    internal = run_forecast(uasc_ds).to_json()
    assert without_streams(internal) == {
        **internal,
        "scenarios": {
            n: {k: v for k, v in s.items() if k not in ("streams", "short_breaks")}
            for n, s in internal["scenarios"].items()
        },
    }
