"""`sufficiency forecast` end to end on a DATA folder built from the peer's sample returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from peer_sample import sample_zip, write_sample_data
from typer.testing import CliRunner

from sufficiency.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DATA/: the sample's header and episodes by END year, la.toml and three registers."""
    assert sample_zip() is not None, "cs-demand-model sample missing: run `make peers`"
    root = write_sample_data(tmp_path_factory.mktemp("fc") / "DATA")
    reg = root / "registers"
    reg.mkdir()
    (reg / "costs.csv").write_text(
        "placement_type,year,weekly_cost\nifa,2023,1000\nin_house_fostering,2023,500\n"
        "external_residential,2023,5000\n"
    )
    (reg / "population.csv").write_text("year,population_under_18\n2022,10000\n")
    (reg / "targets.csv").write_text(
        "measure_id,baseline_date,baseline,target,target_date,direction\n"
        "cla_count,2022-03-31,75,60,2024-03-31,down\n"
        "cla_rate_per_10k,2022-03-31,75,10,2025-03-31,down\n"
    )
    return root


def test_forecast_json_follows_the_contract(data_dir: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "name: step_down\nmoves:\n  - {from: external_residential, to: in_house_fostering, "
        "number: 2, start: 2022-04-01, end: 2023-03-31}\n"
    )
    res = runner.invoke(
        app,
        [
            "forecast",
            str(data_dir),
            "--horizon-months",
            "24",
            "--json",
            "--scenario",
            str(plan),
            "--inflation",
            "0.05",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["config"] == "default"
    assert doc["reference"] == {"start": "2021-03-31", "end": "2022-03-31"}
    assert list(doc["scenarios"]) == ["baseline", "step_down"]
    base = doc["scenarios"]["baseline"]
    assert base["horizon_end"] == "2024-03-31"
    assert len(base["monthly"]) == 24
    assert base["monthly"][0]["date"] == "2022-04-30"
    band = base["at_horizon"]["total"]
    assert list(band) == ["mean", "p2_5", "p10", "p25", "p75", "p90", "p97_5"]
    assert (
        band["p2_5"] <= band["p10"] <= band["p25"] <= band["mean"] <= band["p75"] <= band["p97_5"]
    )
    assert set(base["at_horizon"]["by_category"]) >= {"ifa", "in_house_fostering", "other"}
    assert [y["date"] for y in base["yearly"]] == ["2023-03-31", "2024-03-31"]
    # costs: 2024 cost inflated 5% from 2023; only the three costed types appear
    years = {y["year"]: y for y in base["costs"]["by_year"]}
    assert set(years) == {2023, 2024}
    assert set(years[2023]["by_type"]) == {"ifa", "in_house_fostering", "external_residential"}
    assert years[2023]["partial"] is False
    # the step-down moves 2 children over 2022-23: at 31 March 2023 residential is lower and
    # in-house fostering higher, each by less than the 2 moved (some would have moved or left
    # anyway: on this data the fitted rates keep about 1.1 fewer in residential, 0.9 more fostered)
    step = doc["scenarios"]["step_down"]["yearly"][0]["by_category"]
    base_cat = base["yearly"][0]["by_category"]
    delta_res = step["external_residential"]["mean"] - base_cat["external_residential"]["mean"]
    delta_fos = step["in_house_fostering"]["mean"] - base_cat["in_house_fostering"]["mean"]
    assert -2.0 < delta_res < -0.5 and 0.5 < delta_fos < 2.0
    targets = {t["measure_id"]: t for t in base["targets"]}
    assert targets["cla_count"]["target"] == 60.0
    assert targets["cla_rate_per_10k"]["reached_date"] is None
    assert targets["cla_rate_per_10k"]["value_at_target_date"] is None  # beyond the horizon
    traj = base["trajectory"]
    assert traj[0]["date"] == "2022-03-31"
    assert traj[0]["rate_per_10k"] == pytest.approx(traj[0]["cla_count"])  # population 10,000


def test_backtest_json(data_dir: Path) -> None:
    res = runner.invoke(
        app,
        [
            "forecast",
            str(data_dir),
            "--backtest",
            "--horizon-months",
            "12",
            "--json",
            "--model-config",
            "standard-v1",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["months"] == 12
    assert set(doc["by_category"]) == {"FOSTERING", "RESIDENTIAL", "SUPPORTED", "OTHER"}
    for scores in doc["by_category"].values():
        assert {"mae", "mape", "coverage_80", "coverage_95"} <= set(scores)
        assert 0 <= scores["coverage_80"] <= scores["coverage_95"] <= 1


def test_bad_scenario_file_exits_1_with_the_field(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nentries: [{multiply: -1}]\n")
    res = runner.invoke(app, ["forecast", str(data_dir), "--scenario", str(bad), "--json"])
    assert res.exit_code == 1
    assert f"{bad}: entries.0.multiply: Input should be greater than or equal to 0" in res.output
    assert res.stdout.strip() == "" or not res.stdout.lstrip().startswith("{")


def test_unknown_model_config_and_help(data_dir: Path) -> None:
    res = runner.invoke(app, ["forecast", str(data_dir), "--model-config", "nope"])
    assert res.exit_code == 1
    assert (
        "model config 'nope': not a shipped config (default, standard-v1) and no such file"
        in res.output
    )
    helped = runner.invoke(app, ["forecast", "--help"])
    assert helped.exit_code == 0 and "Example" in helped.output
