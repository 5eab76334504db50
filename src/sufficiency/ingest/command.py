"""CLI command `sufficiency validate` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def validate() -> None:
    """Not built yet."""
    typer.echo("sufficiency validate: not built yet", err=True)
    raise typer.Exit(2)
