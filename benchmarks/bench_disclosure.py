"""Disclosure control benchmarks: choosing a statement's suppressions and auditing it.

The audit is the gate every publish-mode statement passes before it is written (target: under
a second); choosing the suppressions runs the same audit round by round. Both are timed on the
demo council (Herefordshire geography, ~410 children, five years) and, without ``--quick``, on a
small synthetic council where small cells abound. No peer tool audits a whole statement's
linked tables, so there is no peer column.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _council(quick: bool) -> list[tuple[str, Any]]:
    """The demo council (``make demo``'s: synthesised, seed 2026) and, in full runs, the
    statement tests' hand-built council of 90 children (its conftest, loaded by path)."""
    import importlib.util
    import tempfile

    from sufficiency.ingest import load_data
    from sufficiency.synth import generate, write_data_folder

    with tempfile.TemporaryDirectory() as tmp:
        write_data_folder(generate(seed=2026), Path(tmp) / "demo")
        out = [("demo council", load_data(Path(tmp) / "demo").dataset)]
    if not quick:
        spec = importlib.util.spec_from_file_location(
            "report_council", ROOT / "tests" / "report" / "conftest.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out.append(("small council (90 children)", module.make_council()))
    return out


def run(quick: bool) -> list[dict[str, Any]]:
    """Seconds to choose a statement's suppressions and to audit the finished statement."""
    from sufficiency.measures.suppression import protect_years
    from sufficiency.report import sources
    from sufficiency.report.build import TREND_IDS, build_statement, statement_years
    from sufficiency.report.protect import audit_statement

    rows: list[dict[str, Any]] = []
    for label, ds in _council(quick):
        year = max(ds.returns)
        info = sources.catalogue_info()
        ids = [m for m in TREND_IDS if m in info]
        raw = {
            dt.date(y, 3, 31): sources.measure_results(
                ds, dt.date(y, 3, 31), None if y == year else ids
            )
            for y in statement_years(ds, year)
        }
        t0 = time.perf_counter()
        protection = protect_years(raw, ds.profile.small_count_max)
        choose = time.perf_counter() - t0
        data = build_statement(ds, year, "publish")
        best = min(
            _timed(lambda data=data: audit_statement(data, data.disclosure)) for _ in range(3)
        )
        rows += [
            {
                "name": f"choose suppressions ({label}, {len(raw)} years)",
                "metric": "seconds",
                "value": round(choose, 3),
                "unit": "s",
                "figures": len(protection.system.vars),
                "relations": len(protection.system.relations),
                "suppressed": len(protection.hidden),
            },
            {
                "name": f"audit a written statement ({label})",
                "metric": "seconds",
                "value": round(best, 3),
                "unit": "s",
                "target": 1.0,
            },
        ]
    return rows


def _timed(fn: Any) -> float:
    t0 = time.perf_counter()
    found = fn()
    assert not found, found  # the statement as built passes its own audit
    return time.perf_counter() - t0


if __name__ == "__main__":
    import sys

    for row in run("--quick" in sys.argv):
        print(row)
