"""`sufficiency measures` end to end on the cs-demand-model sample returns, against an
independent plain-Python count (csv module, no shared code with the measures)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.measures import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = next(
    (ROOT / ".peer-venvs" / "demand" / "lib").glob(
        "python3*/site-packages/cs_demand_model_samples/v1.zip"
    )
)
REQUIRED_IDS = (
    "cla_count", "cla_rate_per_10k", "starts", "ceased", "cla_by_age_band", "cla_by_sex",
    "cla_by_placement_type", "cla_by_location", "placement_type_by_location",
    "placed_over_20_miles", "placed_over_100_miles", "stability_three_plus",
    "stability_long_term", "uasc_count", "bed_nights_by_placement_type",
)  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DATA folder of the sample returns: its folders are named by the year the return
    STARTS, ours by the year it ends, so 2017 -> ssda903/2018."""
    root = tmp_path_factory.mktemp("samples")
    with zipfile.ZipFile(SAMPLES) as zf:
        for name in zf.namelist():
            if name.endswith(".csv"):
                year, file = name.split("/")
                out = root / "ssda903" / str(int(year) + 1) / file
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(name))
    (root / "la.toml").write_text(
        'name = "Sample"\ncode = "E06000019"\nregion = "West Midlands"\nneighbours = []\n'
        '[population_under_18]\n"2019" = 40000\n'
    )
    return root


def _json(args: list[str]) -> dict[str, Any]:
    res = CliRunner().invoke(app, ["measures", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.slow
def test_json_document_shape_and_required_ids(data: Path) -> None:
    doc = _json([str(data), "--at", "2021-03-31", "--json"])
    assert set(doc) == {"la", "at", "period", "measures", "history_short"}
    assert doc["la"] == "E06000019"
    assert doc["at"] == "2021-03-31"
    assert doc["period"] == {"start": "2020-04-01", "end": "2021-03-31"}
    assert set(REQUIRED_IDS) <= set(doc["measures"])
    assert set(doc["measures"]) == set(load_catalogue())
    assert set(doc["measures"]["cla_by_age_band"]) == {
        "under_1",
        "1_to_4",
        "5_to_9",
        "10_to_15",
        "16_plus",
    }
    assert set(doc["measures"]["placed_over_20_miles"]) == {"count", "denominator", "pct"}


def test_default_reference_date_is_the_last_31_march(data: Path) -> None:
    doc = _json([str(data), "--json", "--measure", "cla_count"])
    assert doc["at"] == "2022-03-31"


def test_unknown_measure_and_bad_date_exit_1(data: Path) -> None:
    res = CliRunner().invoke(app, ["measures", str(data), "--measure", "nope"])
    assert res.exit_code == 1
    assert "unknown measure id(s): nope" in res.output
    res = CliRunner().invoke(app, ["measures", str(data), "--at", "31/03/2021"])
    assert res.exit_code == 1
    assert "--at 31/03/2021 is not a date: expected YYYY-MM-DD" in res.output


def test_missing_folder_exits_1(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["measures", str(tmp_path / "nothing")])
    assert res.exit_code == 1


def test_rich_output_suppresses_as_bracket_c(data: Path) -> None:
    res = CliRunner().invoke(
        app, ["measures", str(data), "--at", "2021-03-31", "--measure", "uasc_count"]
    )
    assert res.exit_code == 0, res.output
    assert "[c]" in res.stdout  # 1-4 UASC in the sample on that date


def test_help_lists_every_measure() -> None:
    res = CliRunner().invoke(app, ["measures", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    for mid in load_catalogue():
        assert mid in res.stdout, mid
