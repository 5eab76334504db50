"""The command line: one thin Typer command per capability (DESIGN.md CLI contract).

Each capability's command is a module here (validate, measures, forecast, gap, match, statement,
benchmarks, synth, operations); what they share (console, loading DATA or stopping, errors, JSON) is in
``common``. Modules import only typer, rich and the standard library at the top and the analyses
inside the command, so ``sufficiency --help`` and light commands start fast.
"""

from __future__ import annotations

import typer

from sufficiency.cli.benchmarks import benchmarks
from sufficiency.cli.forecast import forecast
from sufficiency.cli.gap import gap
from sufficiency.cli.match import match
from sufficiency.cli.measures import MeasuresCommand, measures
from sufficiency.cli.operations import backup, restore, retention, serve, user
from sufficiency.cli.statement import statement
from sufficiency.cli.synth import synth
from sufficiency.cli.validate import validate

app = typer.Typer(
    name="sufficiency",
    help="Placement sufficiency for children in care: returns, measures, forecasts, supply, "
    "home finding and the sufficiency statement.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

app.command("synth")(synth)
app.command("validate")(validate)
app.command("measures", cls=MeasuresCommand)(measures)
app.command("forecast")(forecast)
app.command("gap")(gap)
app.command("match")(match)
app.command("statement")(statement)
app.command("benchmarks")(benchmarks)
app.command("serve")(serve)
app.command("backup")(backup)
app.command("restore")(restore)
app.command("retention")(retention)
app.command("user")(user)


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
