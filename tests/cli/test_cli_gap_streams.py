"""`sufficiency gap --json` carries the two demand streams the forecast and the statement carry
(issue 19): unaccompanied children (arrivals and National Transfer Scheme transfers) and
children under a deprivation-of-liberty order, at each 31 March of the gap's years, under the
scenario's assumptions and exactly as ``forecast.streams`` projects them."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

from tests.cli.test_cli_gap import write_council
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.forecast.config import load_model_config
from sufficiency.forecast.scenarios import DoloAssumption, Scenario, UascAssumption
from sufficiency.forecast.streams import demand_streams
from sufficiency.ingest import load_data

SCENARIO = """
name: arrivals
uasc: {arrivals_per_year: 6, transfers_in_per_year: 1, transfers_out_per_year: 3}
dolo: {orders_per_year: 1}
"""


def _council(root: Path) -> Path:
    """write_council's 2022-23 return (30 children from 1 June 2022) with I0-I3 unaccompanied
    (4 arrivals, none looked after on 31 March 2022, none leaving) and two
    deprivation-of-liberty orders made in the year, one ended (start 0, end 1: rate 2 a year)."""
    write_council(root)
    folder = root / "ssda903" / "2023"
    uasc = ["CHILD,SEX,DOB,DUC", *(f"I{i},1,01/01/2010,01/01/2028" for i in range(4))]
    (folder / "uasc.csv").write_text("\n".join(uasc) + "\n")
    (folder / "dolo.csv").write_text(
        "CHILD,DOB,DOLO_START,DOLO_END\nR0,01/01/2010,01/07/2022,\nR1,01/01/2010,01/08/2022,01/01/2023\n"
    )
    (root / "arrivals.yaml").write_text(SCENARIO)
    return root


def test_gap_json_carries_the_streams_as_the_forecast_projects_them(tmp_path: Path) -> None:
    root = _council(tmp_path / "DATA")
    result = CliRunner().invoke(
        app,
        ["gap", str(root), "--need", "trend", "--scenario", str(root / "arrivals.yaml"), "--json"],
    )
    assert result.exit_code == 0, result.output
    streams = json.loads(result.stdout)["streams"]

    # Known answers: from 31 March 2023, t years on.
    yd = load_model_config().year_in_days
    years = {2024: 366 / yd, 2025: 731 / yd, 2026: 1096 / yd}
    uasc = streams["uasc"]
    assert {k: uasc[k] for k in ("start", "entries", "exits", "end", "exit_rate_per_year")} == {
        "start": 0,
        "entries": 4,
        "exits": 0,
        "end": 4,
        "exit_rate_per_year": 0.0,
    }
    assert uasc["entries_per_year"] == 6 + 1 - 3
    # nobody left: end + 4 a year
    assert uasc["yearly"] == [
        {"year": y, "date": f"{y}-03-31", "children": round(4 + 4 * t, 3)} for y, t in years.items()
    ]
    dolo = streams["dolo"]
    assert (dolo["start"], dolo["entries"], dolo["exits"], dolo["end"]) == (0, 2, 1, 1)
    assert dolo["exit_rate_per_year"] == 2.0
    # one order a year leaving at 2 a year: 0.5 + (1 - 0.5) exp(-2t)
    assert [row["children"] for row in dolo["yearly"]] == [
        round(0.5 + 0.5 * math.exp(-2 * t), 3) for t in years.values()
    ]

    # The same numbers as forecast.streams gives the forecast's scenario.
    ds = load_data(root).dataset
    assert ds is not None
    assumptions = Scenario(
        name="arrivals",
        uasc=UascAssumption(arrivals_per_year=6, transfers_in_per_year=1, transfers_out_per_year=3),
        dolo=DoloAssumption(orders_per_year=1),
    )
    ends = [dt.date(y, 3, 31) for y in years]
    assert streams == demand_streams(ds, assumptions, dt.date(2023, 3, 31), ends, yd)


def test_without_assumptions_the_streams_use_the_years_own_flows(tmp_path: Path) -> None:
    root = _council(tmp_path / "DATA")
    result = CliRunner().invoke(app, ["gap", str(root), "--need", "trend", "--json"])
    assert result.exit_code == 0, result.output
    streams = json.loads(result.stdout)["streams"]
    assert streams["uasc"]["entries_per_year"] == 4.0  # the year's 4 arrivals
    assert streams["dolo"]["entries_per_year"] == 2.0  # the year's 2 orders
    assert [r["year"] for r in streams["uasc"]["yearly"]] == [2024, 2025, 2026]


def test_the_web_and_statement_gaps_carry_their_forecasts_streams(tmp_path: Path) -> None:
    """The gap drawn from a forecast (the workspace's forecast page, the statement) carries that
    forecast scenario's own streams — its arrivals and orders assumptions included — for the
    gap's years."""
    from sufficiency.forecast.api import run_forecast
    from sufficiency.report.sources import gap_json
    from sufficiency.supply.gap import gap_for_forecast

    root = _council(tmp_path / "DATA")
    ds = load_data(root).dataset
    assert ds is not None
    assumptions = Scenario(
        name="arrivals",
        uasc=UascAssumption(arrivals_per_year=6, transfers_in_per_year=1, transfers_out_per_year=3),
        dolo=DoloAssumption(orders_per_year=1),
    )
    fc = run_forecast(ds, horizon_months=36, scenarios=[assumptions])
    own = fc.scenarios["arrivals"].streams
    web = gap_for_forecast(ds, fc, scenario="arrivals")
    assert [y["year"] for y in web["years"]] == [2024, 2025, 2026]
    streams = web["streams"]
    for name in ("uasc", "dolo"):
        assert streams[name]["yearly"] == [
            r for r in own[name]["yearly"] if r["year"] in {2024, 2025, 2026}
        ]
        assert len(streams[name]["yearly"]) == 3
    assert streams["uasc"]["entries_per_year"] == 6 + 1 - 3
    assert streams["dolo"]["entries_per_year"] == 1.0
    # the statement's gap (the council has a carers register) carries the same streams
    statement = gap_json(ds, 2023, fc, scenario="arrivals")
    assert statement is not None
    assert statement["streams"] == streams
