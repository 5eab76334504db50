"""A target for a measure the catalogue does not have (a typo) validated clean; the statement
showed it "Not available" as if only its data were missing and the forecast left it out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from sufficiency.cli import app


def test_a_target_for_no_measure_is_named_with_the_nearest(demo_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "D"
    shutil.copytree(demo_dir, data)
    targets = data / "registers" / "targets.csv"
    rows = targets.read_text().splitlines()
    targets.write_text(
        "\n".join([*rows, "cla_rate_per_10kk,2026-03-31,120,90.0,2029-03-31,down"]) + "\n"
    )
    result = CliRunner().invoke(app, ["validate", str(data), "--json"])
    assert result.exit_code == 0, result.output
    found = [
        p for p in json.loads(result.stdout)["problems"] if p["code"] == "target_unknown_measure"
    ]
    assert [(p["severity"], p["row"], p["value"]) for p in found] == [
        ("warning", len(rows) + 1, "cla_rate_per_10kk")
    ]
    assert "did you mean cla_rate_per_10k?" in found[0]["message"]


def test_benchmarks_for_no_measure_or_out_of_range_are_named(
    demo_dir: Path, tmp_path: Path
) -> None:
    """Before, an England rate of -5, a region rate of 99,999,999 and an unknown measure were
    printed as comparators without a word."""
    data = tmp_path / "D"
    shutil.copytree(demo_dir, data)
    (data / "registers" / "benchmarks.csv").write_text(
        "measure_id,year,area,value,source\n"
        "cla_rate_per_10k,2025,england,-5,\n"
        "cla_rate_per_10k,2025,region,70,\n"
        "stability_three_plus,2025,region,120,\n"
        "cla_rate_per_10kk,2025,england,70,\n"
    )
    result = CliRunner().invoke(app, ["validate", str(data), "--json"])
    assert result.exit_code == 0, result.output
    found = [
        (p["code"], p["row"], p["value"])
        for p in json.loads(result.stdout)["problems"]
        if p["code"].startswith("benchmark_")
    ]
    assert found == [
        ("benchmark_out_of_range", 2, "-5"),
        ("benchmark_out_of_range", 4, "120"),
        ("benchmark_unknown_measure", 5, "cla_rate_per_10kk"),
    ]
