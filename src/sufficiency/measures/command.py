"""CLI command `sufficiency measures` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def measures() -> None:
    """Not built yet."""
    typer.echo("sufficiency measures: not built yet", err=True)
    raise typer.Exit(2)
