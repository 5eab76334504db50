"""`sufficiency statement` draws its charts in worker processes and writes the same files as
when it draws them itself."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.report import chart_workers, charts
from sufficiency.report.model import Chart

runner = CliRunner()


def _statement(data_folder: Path, out: Path) -> dict[str, bytes]:
    args = ["statement", str(data_folder), "--year", "2024", "--out", str(out), "--no-pdf"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_the_command_writes_the_same_files_with_chart_workers(
    data_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())
    monkeypatch.setattr(chart_workers, "default_workers", lambda: 0)
    drawn_here = _statement(data_folder, tmp_path / "in-process")

    def refuse(chart: Chart) -> str:
        raise AssertionError(f"{chart.id} drawn in-process")

    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())
    monkeypatch.setattr(charts, "draw_svg", refuse)  # every chart must come from a worker
    monkeypatch.setattr(chart_workers, "default_workers", lambda: 1)
    drawn_by_workers = _statement(data_folder, tmp_path / "workers")
    assert list(drawn_by_workers) == ["statement.html", "statement.json", "statement.xlsx"]
    assert b"<svg" in drawn_by_workers["statement.html"]
    assert drawn_by_workers["statement.html"] == drawn_here["statement.html"]
    assert drawn_by_workers["statement.json"] == drawn_here["statement.json"]
    assert chart_workers._pool is None  # stopped with the command
