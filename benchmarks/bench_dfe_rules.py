"""Benchmark: ``sufficiency validate DATA --dfe-rules`` beside the DfE validator run directly.

A synthetic council (``sufficiency.synth``, two returns: 2023 and 2024; quick: one, 2024) is
checked two ways, each in a fresh process:

* ours, whole process: ``sufficiency validate DATA --dfe-rules --json`` (our ingest, then
  csc-validator-be-903 on each return in its own venv, then the DfE's documented exceptions);
* the validator directly: its Python API (``LacValidator``, the year's ruleset, the previous
  year's return supplied) on the same files, one return after the other in one process, in its
  venv (``.peer-venvs/val903``).

Peak memory is the largest resident set of any one process of the run (``ru_maxrss`` of the
waited-for children, read by a small wrapper process so runs do not mix). Goals (issue 18): no
more memory than the validator directly (``target_ratio`` = peer peak / ours, >= 1: met) and at
most 1.2 times its time, our ingest included (``target_ratio`` = 1.2 x peer / ours, >= 1: met).
Median of REPEAT runs (one with ``--quick``); wall and CPU seconds (CPU is steadier when the
machine is busy).

Run: ``python -m benchmarks.run --only dfe_rules [--quick]``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = ROOT / ".peer-venvs" / "val903" / "bin" / "python"
TARGET_TIME_FACTOR = 1.2
REPEAT = {False: 3, True: 1}
YEARS = {False: [2023, 2024], True: [2024]}

#: Runs a command and prints its children's wall, CPU seconds and peak resident set (KB).
_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": u.ru_utime + u.ru_stime, "peak_kb": u.ru_maxrss}))
"""

#: The validator's own API on each return, one after the other (what a direct user runs).
_DIRECT = """
import contextlib, importlib, io, json, logging, sys
from pathlib import Path
logging.disable(logging.CRITICAL)
from lac_validator.lac_validator import LacValidator
data, la, years = Path(sys.argv[1]), sys.argv[2], [int(y) for y in sys.argv[3:]]
rulesets = json.loads(sys.stdin.read())
for year in years:
    files = []
    for y, label in ((year, "This year"), (year - 1, "Prev year")):
        folder = data / "ssda903" / str(y)
        if folder.is_dir():
            for path in sorted(folder.glob("*.csv")):
                if path.read_bytes().strip():
                    files.append({"name": path.name, "description": label,
                                  "file_content": path.read_bytes()})
    registry = importlib.import_module("lac_validator.rules." + rulesets[str(year)]).registry
    with contextlib.redirect_stdout(io.StringIO()):
        v = LacValidator(metadata={"collectionYear": str(year), "localAuthority": la},
                         files=files, registry=registry)
    del v
"""


def _measure(argv: list[str], stdin: str | None = None) -> dict[str, float]:
    """Wall, CPU seconds and peak memory (MB) of ``argv`` and its descendants, fresh process."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv],
        capture_output=True,
        text=True,
        check=False,
        input=stdin,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed: {proc.stderr[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall": out["wall"], "cpu": out["cpu"], "peak_mb": out["peak_kb"] / 1024}


def _direct(data: Path, la: str, years: list[int]) -> list[str]:
    """The direct run as a command (the rulesets come on stdin, worked out by our table)."""
    return [str(VALIDATOR), "-c", _DIRECT, str(data), la, *map(str, years)]


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def run(quick: bool) -> list[dict[str, Any]]:
    """Ours against the validator directly on the same synthetic returns."""
    if not VALIDATOR.exists():
        raise RuntimeError(f"csc-validator-be-903 not found at {VALIDATOR}: run `make peers`")
    from sufficiency.ingest.dfe_rules import ruleset_for
    from sufficiency.synth import generate, write_data_folder

    years = YEARS[quick]
    la = "E06000019"
    rulesets = json.dumps({str(y): ruleset_for(y) for y in years})
    ours_cmd = [str(ROOT / ".venv" / "bin" / "sufficiency"), "validate"]
    with tempfile.TemporaryDirectory(prefix="bench-dfe-") as tmp:
        data = Path(tmp) / "council"
        write_data_folder(generate(seed=3, years=years, la_code=la), data)
        ours_runs, peer_runs = [], []
        for _ in range(REPEAT[quick]):
            ours_runs.append(_measure([*ours_cmd, str(data), "--dfe-rules", "--json"]))
            peer_runs.append(_measure(_direct(data, la, years), rulesets))
    label = f"validate --dfe-rules, synthetic council, {len(years)} return(s)"
    ours_s, peer_s = _median(ours_runs, "wall"), _median(peer_runs, "wall")
    ours_cpu, peer_cpu = _median(ours_runs, "cpu"), _median(peer_runs, "cpu")
    ours_mb, peer_mb = _median(ours_runs, "peak_mb"), _median(peer_runs, "peak_mb")
    common = {"peer": "csc-validator-be-903 API run directly", "runs": len(ours_runs)}
    return [
        {
            "name": label,
            "metric": "seconds (median, whole process, our ingest included)",
            "value": round(ours_s, 2),
            "unit": "s",
            "peer_value": round(peer_s, 2),
            "ratio": round(peer_s / ours_s, 2),
            "target": f"<= {TARGET_TIME_FACTOR} x the validator's time",
            "target_ratio": round(TARGET_TIME_FACTOR * peer_s / ours_s, 2),
            **common,
        },
        {
            "name": label,
            "metric": "cpu_seconds (median)",
            "value": round(ours_cpu, 2),
            "unit": "s (CPU time of every process of the run)",
            "peer_value": round(peer_cpu, 2),
            "ratio": round(peer_cpu / ours_cpu, 2),
            "target_ratio": round(TARGET_TIME_FACTOR * peer_cpu / ours_cpu, 2),
            **common,
        },
        {
            "name": label,
            "metric": "peak memory",
            "value": round(ours_mb, 1),
            "unit": "MB (largest resident set of any one process)",
            "peer_value": round(peer_mb, 1),
            "ratio": round(peer_mb / ours_mb, 2),
            "target": "no more than the validator run directly",
            "target_ratio": round(peer_mb / ours_mb, 2),
            **common,
        },
    ]


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        print(row)
