"""``sufficiency synth``: write a synthetic council's DATA folder."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from sufficiency.cli.common import console, error


def synth(
    out: Path = typer.Argument(..., help="Folder to create (must not exist or be empty)."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same bytes."),
    children: int | None = typer.Option(
        None,
        "--children",
        help="Children looked after at a time (default: the council's as the DfE published it, "
        "at least 120, with its rate per 10,000 kept; ~410 for Herefordshire).",
    ),
    years: str = typer.Option(
        "2022-2026", "--years", help="Returns to write, by the year each ends (31 March)."
    ),
    la: str = typer.Option(
        "E06000019", "--la", help="ONS code of the real council whose geography is used."
    ),
) -> None:
    """Write a synthetic council (SSDA903 returns, registers, la.toml) to OUT.

    Example: sufficiency synth demo --seed 2026 --years 2022-2026 --la E06000019
    """
    from rich.markup import escape

    from sufficiency.synth import generate, parse_years, write_data_folder

    err = console(stderr=True)
    try:
        year_list = parse_years(years)
    except ValueError as exc:
        raise error(str(exc)) from None
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise error(f"{out} already exists and is not empty: choose a new folder")
    started = time.perf_counter()
    try:
        with err.status(f"Simulating children in care on {escape(la)}'s geography..."):
            council = generate(seed=seed, children=children, years=year_list, la_code=la)
            write_data_folder(council, out)
    except ValueError as exc:
        raise error(str(exc)) from None
    n_eps = sum(t["episodes"].height for t in council.returns.values())
    err.print(
        f"Wrote {escape(council.profile.name)} to {escape(str(out))}: returns {year_list[0]}-{year_list[-1]}, "
        f"{n_eps:,} episode rows, {len(council.registers)} registers "
        f"({time.perf_counter() - started:.1f}s)."
    )
