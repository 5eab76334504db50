"""Fixtures for the disclosure tests: the demo council's statements, written as a user gets them
(HTML, XLSX and JSON; no PDF, which is slow and made from the same HTML), and synthetic
councils written by ``sufficiency synth`` in a separate process (as the web tests do: synth
replaces a module of the geography package it uses)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

REPO = HERE.parents[1]
DEMO_YEAR = 2026


def write(ds: Any, year: int, mode: str, folder: Path) -> Path:
    """Build and write one statement without its PDF; returns the folder."""
    from sufficiency.report.build import build_statement
    from sufficiency.report.output import write_statement

    write_statement(build_statement(ds, year, mode), folder, pdf=False)  # type: ignore[arg-type]
    return folder


def load(folder: Path) -> Any:
    from sufficiency.ingest import load_data

    result = load_data(folder)
    assert result.dataset is not None, [p for p in result.problems if p.severity == "error"]
    return result.dataset


@pytest.fixture(scope="session")
def demo_ds(demo_dir: Path) -> Any:
    return load(demo_dir)


@pytest.fixture(scope="session")
def demo_published(demo_ds: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(demo_ds, DEMO_YEAR, "publish", tmp_path_factory.mktemp("demo") / "publish")


@pytest.fixture(scope="session")
def demo_internal(demo_ds: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(demo_ds, DEMO_YEAR, "internal", tmp_path_factory.mktemp("demo") / "internal")


def synth(out: Path, seed: int, children: int, years: str = "2025-2026") -> Path:
    """A synthetic council written by the ``sufficiency synth`` command."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sufficiency.cli",
            "synth",
            str(out),
            "--seed",
            str(seed),
            "--children",
            str(children),
            "--years",
            years,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def truth(ds: Any, year: int) -> dict[str, float]:
    """The true value of every measure figure the statement could show, by its reference, for
    the years of the statement: what an insider knows (from the measures, not the statement)."""
    from attacker import _dump_key, _flatten

    from sufficiency.measures import compute, results_json

    out: dict[str, float] = {}
    for y in sorted(ds.returns):
        if y > year:
            continue
        at = dt.date(y, 3, 31)
        values = results_json(compute(ds, at), suppress=False)["measures"]
        shares = {
            m
            for m, v in values.items()
            if isinstance(v, dict) and set(v) == {"count", "denominator", "pct"}
        }
        for mid, value in values.items():
            for path, leaf in _flatten(value):
                if isinstance(leaf, int | float) and not isinstance(leaf, bool):
                    out.setdefault(_dump_key(mid, path, at, shares), float(leaf))
    return out


def child_counts(ds: Any, year: int) -> set[str]:
    """References of the figures that count children (the typed results say which)."""
    from sufficiency.measures import compute

    out: set[str] = set()
    for y in sorted(ds.returns):
        if y > year:
            continue
        at = dt.date(y, 3, 31)
        for mid, result in compute(ds, at).values.items():
            for path, _, role in result.leaves():
                if role == "children":
                    out.add(".".join((mid, *path)) + f"@{at}")
    return out
