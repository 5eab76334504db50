"""CLI command `sufficiency synth`: write a synthetic council's DATA folder."""

from __future__ import annotations

import time
from pathlib import Path

import typer


def synth(
    out: Path = typer.Argument(..., help="Folder to create (must not exist or be empty)."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same bytes."),
    children: int | None = typer.Option(
        None,
        "--children",
        help="Children looked after at a time (default: sized to the council, ~410 for Herefordshire).",
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
    from rich.console import Console

    from sufficiency.synth import generate, parse_years, write_data_folder

    console = Console(stderr=True, soft_wrap=True)
    try:
        year_list = parse_years(years)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        console.print(
            f"[red]error:[/red] {out} already exists and is not empty: choose a new folder"
        )
        raise typer.Exit(1)
    started = time.perf_counter()
    try:
        with console.status(f"Simulating children in care on {la}'s geography..."):
            council = generate(seed=seed, children=children, years=year_list, la_code=la)
            bench = Path(__file__).resolve().parents[1] / "measures" / "data" / "benchmarks.csv"
            write_data_folder(council, out, bench if la == "E06000019" else None)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    n_eps = sum(t["episodes"].height for t in council.returns.values())
    console.print(
        f"Wrote {council.profile.name} to {out}: returns {year_list[0]}-{year_list[-1]}, "
        f"{n_eps:,} episode rows, {len(council.registers)} registers "
        f"({time.perf_counter() - started:.1f}s)."
    )
