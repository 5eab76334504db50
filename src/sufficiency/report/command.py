"""CLI command `sufficiency statement` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def statement() -> None:
    """Not built yet."""
    typer.echo("sufficiency statement: not built yet", err=True)
    raise typer.Exit(2)
