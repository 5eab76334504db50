"""`sufficiency gap --scenario` gives the statement's scenario gap (truth1 finding 10), past
years take the children counted (finding 9), and `gap --help` names example files that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.test_cli_gap import write_council
from tests.supply.test_supply_gap_truth import PLAN
from typer.testing import CliRunner

from sufficiency.cli import app

ROOT = Path(__file__).resolve().parents[2]


def test_gap_scenario_is_the_statements_scenario_gap(tmp_path: Path) -> None:
    from sufficiency.ingest import load_data
    from sufficiency.report.sources import baseline_forecast, gap_json
    from sufficiency.supply.gap import forecast_plan, load_scenario

    data = write_council(tmp_path / "DATA")
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(app, ["gap", str(data), "--scenario", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert "forecast settings" not in result.stderr  # the rates are applied, not ignored
    ds = load_data(data).dataset
    assert ds is not None
    settings = load_scenario(path)
    plan = forecast_plan(path, settings)
    assert plan is not None
    fc = baseline_forecast(ds, 2023, [plan])
    assert not isinstance(fc, str)
    statement = gap_json(ds, 2023, fc, "plan", settings)
    assert statement is not None
    assert [y["year"] for y in doc["years"]] == [2024, 2025, 2026]
    assert doc["years"] == statement["years"]
    assert doc["need_source"] == "forecast"


def test_gap_past_year_need_is_the_children_counted(tmp_path: Path) -> None:
    """One 2022-23 return: 31 March 2023 is counted (12 in-house, 10 IFA), 2024 forecast."""
    data = write_council(tmp_path / "DATA")
    args = ["gap", str(data), "--years", "2023-2024", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    first = doc["years"][0]
    assert (first["year"], first["need_source"]) == (2023, "counted")
    assert {t: c["need"] for t, c in first["by_type"].items()} == {
        "in_house_fostering": 12,
        "ifa": 10,
        "parent_and_child": 3,
        "external_residential": 5,
    }
    assert doc["years"][1]["need_source"] == "forecast"
    text = CliRunner().invoke(app, ["gap", str(data), "--years", "2023-2024"])
    assert text.exit_code == 0, text.output
    assert "31 March 2023 (need: children counted)" in text.stdout


def test_gap_help_examples_name_files_that_exist() -> None:
    result = CliRunner().invoke(app, ["gap", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    named = re.findall(r"docs/examples/[\w.]+\.yaml", result.output)
    assert named, result.output
    for path in named:
        assert (ROOT / path).is_file(), path
    assert "plans/absorb.yaml" not in result.output
