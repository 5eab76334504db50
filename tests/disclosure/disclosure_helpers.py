"""Helpers of the disclosure tests: build and write statements, synthetic councils written by
``sufficiency synth`` in a separate process (as the web tests do: synth replaces a module of the
geography package it uses), and what an insider knows (the true values, which figures count
children) from the measures, not from the statement."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
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


def synth(
    out: Path,
    seed: int,
    children: int,
    years: tuple[int, ...] = (2025, 2026),
    la_code: str = "E06000019",
) -> Path:
    """A synthetic council, written as ``sufficiency synth`` writes it (in this process, as the
    shared ``demo_dir`` fixture makes the demo)."""
    from sufficiency.synth import generate, write_data_folder

    council = generate(seed=seed, children=children, years=list(years), la_code=la_code)
    write_data_folder(council, out)
    return out


def insider(ds: Any, year: int) -> tuple[dict[str, float], set[str]]:
    """What an insider knows, from the measures (not the statement), for the years of the
    statement: the true value of every figure by its reference, and which figures count
    children (the typed results say which)."""
    from attacker import _dump_key, _flatten

    from sufficiency.measures import compute
    from sufficiency.results import to_json

    values: dict[str, float] = {}
    children: set[str] = set()
    for y in sorted(ds.returns):
        if y > year:
            continue
        at = dt.date(y, 3, 31)
        results = compute(ds, at).values
        plain = {mid: to_json(r) for mid, r in results.items()}
        shares = {
            m
            for m, v in plain.items()
            if isinstance(v, dict) and set(v) == {"count", "denominator", "pct"}
        }
        for mid, value in plain.items():
            for path, leaf in _flatten(value):
                if isinstance(leaf, int | float) and not isinstance(leaf, bool):
                    values.setdefault(_dump_key(mid, path, at, shares), float(leaf))
        for mid, result in results.items():
            for path, _, role in result.leaves():
                if role == "children":
                    children.add(".".join((mid, *path)) + f"@{at}")
    return values, children


def truth(ds: Any, year: int) -> dict[str, float]:
    """The true value of every measure figure the statement could show (``insider``)."""
    return insider(ds, year)[0]
