"""`sufficiency measures` with its suppression on (the default) is an output like any other:
the attacker recovers nothing from its JSON, it shows what the published statement for that
year shows, and it uses the council's own threshold. (It showed each measure suppressed on its
own: in the demo council at 31 March 2022, two categories of need hidden beside a total were 10
children together, so 5 each.)"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sufficiency.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attacker import measures_knowledge, recover

pytestmark = pytest.mark.slow


def _measures(folder: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["measures", str(folder), "--json", *args])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


@pytest.mark.parametrize("at", ["2022-03-31", "2023-03-31"])
def test_the_attacker_recovers_nothing_from_the_measures_json(demo_dir: Path, at: str) -> None:
    reader = measures_knowledge(_measures(demo_dir, "--at", at))
    insider = measures_knowledge(_measures(demo_dir, "--at", at, "--no-suppress"))
    assert reader.hidden, "the demo council has small numbers to hide"
    found = recover(reader, insider.numbers)
    assert not found, "\n".join(str(f) for f in found)


@pytest.mark.parametrize("at", ["2026-03-30", "2025-09-30", "2024-10-15"])
def test_a_day_other_than_31_march_is_not_published(demo_dir: Path, at: str) -> None:
    """Each day was protected on its own, but two days side by side gave hidden counts away:
    a year of bed nights to 30 March less the year to 31 March is the children placed on 31
    March, so supported accommodation's hidden 5 of 2025 came back as 7 - (2101 - 2099); and
    figures the 31 March statement hid (UASC 11, 16, 13, 6) were printed on 30 March."""
    refused = CliRunner().invoke(app, ["measures", str(demo_dir), "--json", "--at", at])
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "figures with small numbers suppressed are published for 31 March of a year" in (
        refused.stderr
    )
    assert "or --no-suppress for this day's figures (internal use only; never publish)" in (
        refused.stderr
    )
    internal = _measures(demo_dir, "--at", at, "--no-suppress")
    assert internal["at"] == at


def test_one_measure_asked_for_is_shown_as_in_the_whole_output(demo_dir: Path) -> None:
    whole = _measures(demo_dir, "--at", "2023-03-31")["measures"]
    for mid in ("cla_by_category_of_need", "cla_by_national_placement_group", "cla_count"):
        alone = _measures(demo_dir, "--at", "2023-03-31", "--measure", mid)["measures"]
        assert alone == {mid: whole[mid]}


def test_the_councils_own_threshold_is_used(demo_dir: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "council"
    shutil.copytree(demo_dir, folder)
    profile = folder / "la.toml"
    profile.write_text("small_count_max = 10\n" + profile.read_text(encoding="utf-8"))
    measures = _measures(folder, "--at", "2024-03-31")["measures"]
    breakdowns = [m for m in measures if m.startswith("cla_by_")]
    counts = [v for m in breakdowns for v in measures[m].values() if isinstance(v, int)]
    assert counts and all(v == 0 or v > 10 for v in counts)
    assert any(v == "c" for m in breakdowns for v in measures[m].values())
