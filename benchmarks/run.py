"""Run every ``benchmarks/bench_*.py`` and report: ``python -m benchmarks.run [--quick] [--only NAME]``.

Each module exposes ``run(quick: bool) -> list[dict]``; every dict has ``name``, ``metric``,
``value``, ``unit`` and, where a peer tool ran on the same input, ``peer_value`` and ``ratio``
(how many times better we are: > 1 means faster / smaller). Results are printed as a Rich table
and written to ``bench-output/results.json`` (via a temporary file, so a failed run never leaves
half a file). A module that raises is reported as failed and the exit code is 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT.parent / "bench-output" / "results.json"
REQUIRED = ("name", "metric", "value", "unit")


def discover(only: list[str] | None = None) -> list[str]:
    """Module names of ``bench_*.py`` files, sorted; ``only`` keeps those named (``geo`` or
    ``bench_geo``)."""
    names = sorted(p.stem for p in ROOT.glob("bench_*.py"))
    if only:
        wanted = {o if o.startswith("bench_") else f"bench_{o}" for o in only}
        unknown = wanted - set(names)
        if unknown:
            raise SystemExit(
                f"unknown benchmark(s): {', '.join(sorted(unknown))}; "
                f"available: {', '.join(n.removeprefix('bench_') for n in names)}"
            )
        names = [n for n in names if n in wanted]
    return names


def check_result(module: str, row: Any) -> dict[str, Any]:
    """A result row with the required keys, or ValueError naming the module and the problem."""
    if not isinstance(row, dict):
        raise ValueError(f"{module}: result rows must be dicts, got {type(row).__name__}")
    missing = [k for k in REQUIRED if k not in row]
    if missing:
        raise ValueError(f"{module}: result {row.get('name', '?')!r} lacks {', '.join(missing)}")
    return {"module": module, **row}


def run_all(names: list[str], quick: bool) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Run each module's ``run(quick)``; collect results and failures (never stop early)."""
    results: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    for name in names:
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            rows = module.run(quick)
            results.extend(check_result(name, row) for row in rows)
        except Exception as exc:  # one broken benchmark must not hide the others' numbers
            failures.append(
                {
                    "module": name,
                    "error": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(),
                }
            )
        print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return results, failures


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(results: list[dict[str, Any]], failures: list[dict[str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="sufficiency benchmarks")
    for col, justify in (("benchmark", "left"), ("metric", "left"), ("ours", "right"),
                         ("unit", "left"), ("peer / floor", "right"), ("ratio", "right"),
                         ("goal", "right"), ("goal ratio", "right")):  # fmt: skip
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in results:
        ratio = r.get("ratio", r.get("floor_ratio"))
        peer = r.get("peer_value", r.get("floor_value"))
        goal = r.get("target_ratio")
        met = "" if not isinstance(goal, int | float) else (" met" if goal >= 1 else " NOT met")
        table.add_row(
            str(r["name"]), str(r["metric"]), _fmt(r["value"]), str(r["unit"]),
            _fmt(peer), f"{ratio:.2f}x" if isinstance(ratio, int | float) else "",
            _fmt(r.get("target")), f"{goal:.2f}{met}" if isinstance(goal, int | float) else "",
        )  # fmt: skip
    # written to a log (make bench > log), a table as wide as the names, not 80 columns
    console = Console() if sys.stdout.isatty() else Console(width=250)
    console.print(table)
    for f in failures:
        console.print(f"[red]FAILED[/red] {f['module']}: {f['error']}")


def write_results(
    results: list[dict[str, Any]], failures: list[dict[str, str]], quick: bool, path: Path
) -> None:
    """Write the JSON report atomically (temp file then rename)."""
    import polars as pl

    report = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "polars": pl.__version__,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "results": results,
        "failures": failures,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Run the benchmarks. Example: python -m benchmarks.run --quick --only geo",
    )
    parser.add_argument("--quick", action="store_true", help="small inputs (a smoke run)")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)"
    )
    parser.add_argument("--output", type=Path, help="results file (JSON)")
    args = parser.parse_args(argv)
    if args.output is None:  # a quick or partial run never replaces the full run's record
        parts = ["quick"] if args.quick else []
        parts += sorted(args.only or [])
        args.output = OUTPUT.with_name(f"results-{'-'.join(parts)}.json") if parts else OUTPUT
    names = discover(args.only)
    results, failures = run_all(names, args.quick)
    print_table(results, failures)
    write_results(results, failures, args.quick, args.output)
    print(f"wrote {args.output}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
