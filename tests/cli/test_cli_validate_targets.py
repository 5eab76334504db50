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
