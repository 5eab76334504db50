"""Measures that read further back than the returns loaded (one truth per number, round 1): the
same 2025-26 return with fewer earlier returns gave an A1 three-year average of 85 days instead
of 408 and long-term stability 60.9% instead of 54.5%, with no word. Each such measure declares
the years it reads, and every output names the figures the loaded returns cannot support."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.measures import load_catalogue
from sufficiency.measures.history import history_from, needed_from, short_history

runner = CliRunner()
AT = dt.date(2026, 3, 31)
READ_BACK = {
    "stability_long_term",
    "duration_in_care",
    "ceased_by_duration",
    "adoption_a1_days",
    "adoption_a10_days",
    "adoption_a2_days",
    "adoption_scorecard",
    "benchmarks",
}


def test_the_measures_that_read_back_say_how_far() -> None:
    catalogue = load_catalogue()
    assert {m for m, info in catalogue.items() if info.history_years} == READ_BACK
    assert needed_from(catalogue["stability_long_term"], AT) == dt.date(2023, 10, 1)
    assert needed_from(catalogue["duration_in_care"], AT) == dt.date(2021, 4, 1)
    assert needed_from(catalogue["cla_count"], AT) is None
    assert history_from(2022) == dt.date(2021, 4, 1)
    # five returns to 2026 reach back to 1 April 2021: every measure of 2026 is supported
    assert short_history(catalogue, catalogue, AT, 2022) == {}
    # two returns: every one of them is named, with the day it reads back to
    two = short_history(catalogue, catalogue, AT, 2025)
    assert set(two) == READ_BACK
    assert two["stability_long_term"].startswith("reads back to 01/10/2023 (2.5 years before")
    assert "the returns loaded begin 01/04/2024" in two["stability_long_term"]
    # three returns cover long-term stability's 2.5 years, not time in care's five
    assert set(short_history(catalogue, catalogue, AT, 2024)) == READ_BACK - {
        "stability_long_term",
        "benchmarks",
    }


def test_measures_and_the_statement_name_them(demo_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "two-returns"
    shutil.copytree(demo_dir, folder)
    for year in ("2022", "2023", "2024"):
        shutil.rmtree(folder / "ssda903" / year)
    args = ["measures", str(folder), "--at", "2026-03-31", "--json", "--no-suppress"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["history_short"]) == READ_BACK
    full = runner.invoke(app, ["measures", str(demo_dir), "--at", "2026-03-31", "--json"])
    assert full.exit_code == 0, full.output
    assert json.loads(full.stdout)["history_short"] == {}

    from sufficiency.ingest import load_data
    from sufficiency.report.build import build_statement

    ds = load_data(folder).dataset
    assert ds is not None
    data = build_statement(ds, 2026, "internal")
    intro = " ".join(b.text for s in data.sections if s.id == "introduction" for b in s.blocks)
    assert "The returns loaded begin on 1 April 2024" in intro
    assert "Children in long-term stable placements (2024-25, 2025-26)" in intro


def test_benchmarks_reads_back_as_far_as_the_figures_it_carries() -> None:
    """benchmarks carries the council's own long-term stability beside England's (68.3 with two
    returns against 65.5 with six), so it reads back as far (one truth per number, round 2)."""
    from sufficiency.measures.trends import BENCHMARKED
    from sufficiency.published.comparators import published_measures

    catalogue = load_catalogue()
    carried = set(BENCHMARKED) | {m.measure_id for m in published_measures()}
    furthest = max(catalogue[m].history_years for m in carried if m in catalogue)
    assert catalogue["benchmarks"].history_years == furthest == 2.5
