"""CLI command `sufficiency serve` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def serve() -> None:
    """Not built yet."""
    typer.echo("sufficiency serve: not built yet", err=True)
    raise typer.Exit(2)
