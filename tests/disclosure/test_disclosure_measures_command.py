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
from disclosure_helpers import synth

pytestmark = pytest.mark.slow


def _measures(folder: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["measures", str(folder), "--json", *args])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


@pytest.mark.parametrize("at", ["2022-03-31", "2023-03-31", "2024-10-15"])
def test_the_attacker_recovers_nothing_from_the_measures_json(demo_dir: Path, at: str) -> None:
    reader = measures_knowledge(_measures(demo_dir, "--at", at))
    insider = measures_knowledge(_measures(demo_dir, "--at", at, "--no-suppress"))
    assert reader.hidden, "the demo council has small numbers to hide"
    found = recover(reader, insider.numbers)
    assert not found, "\n".join(str(f) for f in found)


@pytest.mark.parametrize(
    ("la", "children", "seed", "at"),
    [("E06000053", 80, 1, "2026-03-30"), ("E06000019", 150, 5, "2025-09-30")],
)
def test_the_attacker_recovers_nothing_on_a_day_other_than_31_march(
    tmp_path: Path, la: str, children: int, seed: int, at: str
) -> None:
    """A day's adoptions three-year count less the trend's two earlier years gave the hidden
    year's adoptions (8 - 7 - 0 = 1): the window's earlier years were not known as the
    adoptions the trend shows."""
    folder = synth(tmp_path / "data", seed, children, tuple(range(2022, 2027)), la)
    reader = measures_knowledge(_measures(folder, "--at", at))
    insider = measures_knowledge(_measures(folder, "--at", at, "--no-suppress"))
    found = recover(reader, insider.numbers)
    assert not found, "\n".join(str(f) for f in found)


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
