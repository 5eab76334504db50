"""CLI command `sufficiency synth` (STUB until its capability lands)."""

from __future__ import annotations

import typer


def synth() -> None:
    """Not built yet."""
    typer.echo("sufficiency synth: not built yet", err=True)
    raise typer.Exit(2)
