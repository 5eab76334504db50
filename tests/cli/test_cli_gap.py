"""`sufficiency gap` on a DATA folder written to disk: scenario, need from trend or forecast,
JSON on stdout, and load errors that stop it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app

#: Seed 000 13.8-13.9: children move to in-house foster care, which grows by 5 places.
SCENARIO = """
name: absorb-2023-24
moves:
  - {year: 2024, from: ifa, to: in_house_fostering, children: 6}
  - {year: 2024, from: parent_and_child, to: in_house_fostering, children: 3}
  - {year: 2024, from: external_residential, to: in_house_fostering, children: 4}
capacity:
  - {year: 2024, type: in_house_fostering, places: 5, households: 3}
"""
CARERS_COLUMNS = "household_id,status,approval_types,approved_date,places,occupied"


def write_council(root: Path, carers: list[str] | None = None) -> Path:
    """At 31 March 2023 (one 2022-23 return): 12 children with in-house carers filling all 12
    places of 8 households, 10 in IFA, 3 in residential parent-and-child, 5 in children's homes.
    """
    groups = [("F", 12, "U4", "PR1"), ("I", 10, "U4", "PR4"), ("P", 3, "R3", "PR4")]
    groups.append(("R", 5, "K2", "PR4"))
    header = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    episodes = [
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN"
    ]
    for prefix, n, place, provider in groups:
        for i in range(n):
            header.append(f"{prefix}{i},1,01/01/2010,WBRI,,,")
            episodes.append(f"{prefix}{i},01/06/2022,S,C2,N1,{place},{provider},,,,,,")
    folder = root / "ssda903" / "2023"
    folder.mkdir(parents=True)
    (folder / "header.csv").write_text("\n".join(header) + "\n")
    (folder / "episodes.csv").write_text("\n".join(episodes) + "\n")
    (root / "la.toml").write_text(
        'name = "Herefordshire"\ncode = "E06000019"\nregion = "West Midlands"\nneighbours = []\n'
    )
    registers = root / "registers"
    registers.mkdir()
    rows = carers or [
        f"H{i},approved,mainstream,2018-01-01,{2 if i < 4 else 1},{2 if i < 4 else 1}"
        for i in range(8)
    ]
    (registers / "carers.csv").write_text("\n".join([CARERS_COLUMNS, *rows]) + "\n")
    (registers / "costs.csv").write_text("placement_type,year,weekly_cost\nifa,2024,1000\n")
    return root


def test_gap_json_applies_the_scenario(tmp_path: Path) -> None:
    data = write_council(tmp_path / "DATA")
    scenario = tmp_path / "absorb.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    args = ["gap", str(data), "--scenario", str(scenario), "--years", "2024-2025"]
    result = CliRunner().invoke(app, [*args, "--need", "trend", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["scenario"] == "absorb-2023-24"
    assert doc["need_source"] == "trend"
    assert [y["year"] for y in doc["years"]] == [2024, 2025]
    # in-house carers are full (12 of 12 places): 5 new places absorb 5 of the 13 moving in
    cell = doc["years"][0]["by_type"]["in_house_fostering"]
    assert (cell["need"], cell["capacity"], cell["shortfall"]) == (25, 17, 8)


def test_gap_takes_need_from_the_forecast_by_default(tmp_path: Path) -> None:
    from sufficiency.forecast.api import run_forecast
    from sufficiency.ingest import load_data

    data = write_council(tmp_path / "DATA")
    result = CliRunner().invoke(app, ["gap", str(data), "--years", "2024", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["need_source"] == "forecast"
    ds = load_data(data).dataset
    assert ds is not None
    expected = run_forecast(ds, horizon_months=12).need_by_year("baseline")[2024]
    got = {t: c["need"] for t, c in doc["years"][0]["by_type"].items()}
    assert got == {t: round(v, 1) for t, v in expected.items() if t in got or round(v, 1) != 0}


def test_gap_stops_on_load_errors(tmp_path: Path) -> None:
    bad = "H9,approved,mainstream,2020-13-01,1,0"
    data = write_council(tmp_path / "DATA", carers=["H1,approved,mainstream,2018-01-01,1,1", bad])
    result = CliRunner().invoke(app, ["gap", str(data), "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "error registers/carers.csv:3:approved_date register_bad_date: "
        "approved_date: not a date '2020-13-01' (expected a date, dd/mm/yyyy or yyyy-mm-dd)"
    )


@pytest.mark.parametrize("years", ["2026-2024", "next"])
def test_bad_years_are_refused(tmp_path: Path, years: str) -> None:
    data = write_council(tmp_path / "DATA")
    # a usage error (exit 2): typer frames it in a panel as wide as the console
    args = ["gap", str(data), "--years", years, "--need", "trend"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert f"expected YYYY-YYYY or YYYY[,YYYY...], got '{years}'" in result.output
