"""The command line: one thin Typer command per capability (DESIGN.md CLI contract).

Each capability's command is a module here (validate, measures, forecast, gap, match, statement,
benchmarks, synth, operations); what they share (console, loading DATA or stopping, errors, JSON) is in
``common``. Modules import only typer, rich and the standard library at the top and the analyses
inside the command, so ``sufficiency --help`` and light commands start fast
(``tests/cli/test_startup.py`` checks it; ``benchmarks/bench_startup.py`` times it).
"""

from __future__ import annotations

import gc
from typing import Any

import typer
from typer.core import TyperGroup

from sufficiency.cli.benchmarks import benchmarks
from sufficiency.cli.forecast import forecast
from sufficiency.cli.gap import gap
from sufficiency.cli.match import match
from sufficiency.cli.measures import MeasuresCommand, measures
from sufficiency.cli.operations import backup, restore, retention, serve, user
from sufficiency.cli.region import region_app
from sufficiency.cli.statement import statement
from sufficiency.cli.synth import synth
from sufficiency.cli.validate import validate


class SufficiencyGroup(TyperGroup):
    """The command group, whose ``--help`` flag defaults to False rather than None.

    Typer coerces a flag's value through Pydantic unless it is already a bool; the group's own
    ``--help`` is unset when a command runs, so ``sufficiency validate --help`` paid ~0.1 s to
    import Pydantic only to read "no". A bool default keeps every command's help free of it.
    """

    def get_help_option(self, ctx: Any) -> Any:  # Any: typer vendors click's types
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option


app = typer.Typer(
    name="sufficiency",
    cls=SufficiencyGroup,
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
app.add_typer(region_app, name="region")
app.command("serve")(serve)
app.command("backup")(backup)
app.command("restore")(restore)
app.command("retention")(retention)
app.command("user")(user)


def main() -> None:
    """Console-script entry point. At its end every object is frozen out of the garbage
    collector: the process is ending, and its last collection walked every object of a
    command's imports and data (~0.1-0.2 s of a forecast's exit) to free nothing."""
    try:
        app()
    finally:
        gc.freeze()


__all__ = ["app", "main"]
