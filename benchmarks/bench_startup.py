"""Benchmark: cold start-up of the command line (a fresh process each time).

* ``sufficiency --help`` beside a bare Typer app's ``--help`` (two commands, nothing imported):
  the floor any Typer CLI pays on this machine (Python, Typer, Rich);
* ``sufficiency validate --help`` beside the bare app's ``hello --help`` (a command's help makes
  Typer import Pydantic, so its floor is higher);
* ``sufficiency measures --help``, which lists the measure catalogue (it imports Polars and the
  measures; no floor);
* ``python -c "import polars"``, for scale.

Each is the median of 5 runs (3 with ``--quick``) after one unmeasured run. ``peer_value`` is the
floor and ``ratio`` floor / ours (1.0: no slower than a bare Typer app); ``target`` is the goal
(0.2 s for help) and ``target_ratio`` target / ours (> 1: met). ``cpu_seconds`` (user + system
of the child) is steadier than wall time on a busy machine.

Run: ``python -m benchmarks.run --only startup [--quick]``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_HELP_SECONDS = 0.2

BARE_APP = '''
import typer

app = typer.Typer(add_completion=False, no_args_is_help=True)


@app.command()
def hello(name: str) -> None:
    """Say hello."""


@app.command()
def bye(name: str) -> None:
    """Say goodbye."""


app()
'''


def sufficiency_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m sufficiency.cli``."""
    script = Path(sys.executable).parent / "sufficiency"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sufficiency.cli"]


def timed_runs(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` fresh processes (after one unmeasured run)."""
    env = {**os.environ, "COLUMNS": "100"}
    subprocess.run(argv, capture_output=True, check=True, env=env)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True, env=env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def _row(
    name: str, wall: float, cpu: float, floor: tuple[str, float, float] | None, target: float | None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": name,
        "metric": "seconds (median, cold process)",
        "value": round(wall, 3),
        "unit": "s",
        "cpu_seconds": round(cpu, 3),
    }
    if floor is not None:
        label, floor_wall, floor_cpu = floor
        row.update(
            peer=label,
            peer_value=round(floor_wall, 3),
            ratio=round(floor_wall / wall, 2),
            peer_cpu_seconds=round(floor_cpu, 3),
        )
    if target is not None:
        row.update(target=target, target_ratio=round(target / wall, 2))
    return row


def run(quick: bool) -> list[dict[str, Any]]:
    runs = 3 if quick else 5
    ours = sufficiency_command()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_typer_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        floor_help = timed_runs([sys.executable, str(bare), "--help"], runs)
        floor_command = timed_runs([sys.executable, str(bare), "hello", "--help"], runs)
    top = timed_runs([*ours, "--help"], runs)
    validate = timed_runs([*ours, "validate", "--help"], runs)
    measures = timed_runs([*ours, "measures", "--help"], runs)
    polars = timed_runs([sys.executable, "-c", "import polars"], runs)
    return [
        _row(
            "sufficiency --help",
            *top,
            ("bare Typer app --help", *floor_help),
            TARGET_HELP_SECONDS,
        ),
        _row(
            "sufficiency validate --help",
            *validate,
            ("bare Typer app hello --help", *floor_command),
            TARGET_HELP_SECONDS,
        ),
        _row("sufficiency measures --help (lists the catalogue)", *measures, None, None),
        _row('python -c "import polars" (for scale)', *polars, None, None),
    ]


if __name__ == "__main__":
    for line in run("--quick" in sys.argv):
        print(line)
