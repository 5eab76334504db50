"""CLI command `sufficiency gap` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def gap() -> None:
    """Not built yet."""
    typer.echo("sufficiency gap: not built yet", err=True)
    raise typer.Exit(2)
