"""CLI command `sufficiency match` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def match() -> None:
    """Not built yet."""
    typer.echo("sufficiency match: not built yet", err=True)
    raise typer.Exit(2)
