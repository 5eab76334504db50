"""Benchmark: `sufficiency synth` — simulate a council and write its DATA folder.

* ``synth N children``: generate (simulation, five returns 2022-2026 with every table, registers)
  and write the folder, 100,000 children looked after at a time (10,000 with ``--quick``), on
  Herefordshire's geography, in a fresh process (cold: it reads the postcode files too).
  Reported as children/second (children = the ``--children`` size), with the seconds, episode
  rows written and peak memory. There is no peer tool that makes synthetic returns.

Run: ``python -m benchmarks.run --only synth [--quick]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from sufficiency.synth import generate, write_data_folder
council = generate(seed=1, children=int(sys.argv[1]))
generated = time.perf_counter() - t
write_data_folder(council, Path(sys.argv[2]))
seconds = time.perf_counter() - t
peak = float("nan")
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) / 1024
episodes = sum(r["episodes"].height for r in council.returns.values())
print(json.dumps({"seconds": seconds, "generate_seconds": generated, "episodes": episodes,
                  "peak_mb": peak}))
"""


def _once(children: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(children), str(Path(tmp) / "council")],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(quick: bool) -> list[dict[str, Any]]:
    """children/second for one synthetic council (best of two runs), and peak memory."""
    children = 10_000 if quick else 100_000
    best = min((_once(children) for _ in range(2)), key=lambda r: float(r["seconds"]))
    name = f"synth {children:,} children (returns 2022-2026, registers, written)"
    return [
        {
            "name": name,
            "metric": "throughput",
            "value": round(children / float(best["seconds"]), 1),
            "unit": "children/s",
            "seconds": round(float(best["seconds"]), 2),
            "generate_seconds": round(float(best["generate_seconds"]), 2),
            "episodes": int(best["episodes"]),
        },
        {
            "name": name,
            "metric": "peak memory",
            "value": round(float(best["peak_mb"]), 1),
            "unit": "MB",
        },
    ]


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        print(row)
