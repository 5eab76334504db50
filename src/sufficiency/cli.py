"""The command line: one thin Typer command per capability (DESIGN.md CLI contract).

Each command lives beside its capability (``<package>/command.py``) and keeps heavy imports
inside the function, so ``sufficiency --help`` and light commands start fast.
"""

from __future__ import annotations

import typer

from sufficiency.forecast.command import forecast
from sufficiency.ingest.command import validate
from sufficiency.matching.command import match
from sufficiency.measures.command import measures
from sufficiency.report.command import statement
from sufficiency.supply.command import gap
from sufficiency.synth.command import synth
from sufficiency.web.command import backup, restore, retention, serve, user

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
app.command("measures")(measures)
app.command("forecast")(forecast)
app.command("gap")(gap)
app.command("match")(match)
app.command("statement")(statement)
app.command("serve")(serve)
app.command("backup")(backup)
app.command("restore")(restore)
app.command("retention")(retention)
app.command("user")(user)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
