"""CLI command `sufficiency forecast` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def forecast() -> None:
    """Not built yet."""
    typer.echo("sufficiency forecast: not built yet", err=True)
    raise typer.Exit(2)
