"""``sufficiency statement``: the annual sufficiency statement from a DATA folder."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from sufficiency.cli.common import console, error, load_or_exit

if TYPE_CHECKING:
    from sufficiency.disclosure.audit import DisclosureError

#: What a council whose figures are too few to publish can do instead.
REFUSED = (
    "The figures are too few to publish without revealing a child's; --mode internal writes "
    "the officers' copy (not for publication)."
)
#: What a council whose text writes a small count of children can do instead.
TEXT_REFUSED = (
    "Reword the text it names without the count (for example 'fewer than 6'); --mode internal "
    "writes the officers' copy (not for publication)."
)


def _refused(exc: DisclosureError) -> str:
    """The message for a statement the disclosure audit refused, with what the council can do."""
    only_text = exc.exposures and all(e.kind == "text" for e in exc.exposures)
    return f"{exc}; no statement written. {TEXT_REFUSED if only_text else REFUSED}"


class StatementMode(StrEnum):
    """publish: suppressed small numbers, no child-level data; internal: analysts only."""

    publish = "publish"
    internal = "internal"


def statement(
    data: Path = typer.Argument(
        ..., help="The council's DATA folder (la.toml, ssda903/, registers/, narrative/)."
    ),
    year: int = typer.Option(
        ..., "--year", help="Statement year: 2024 = the year ending 31 March 2024."
    ),
    out: Path = typer.Option(
        ..., "--out", help="Folder to write statement.html/.pdf/.xlsx/.json into."
    ),
    mode: StatementMode = typer.Option(
        StatementMode.publish,
        "--mode",
        help="publish (suppression always on, no child-level tables) or internal (analysts only).",
    ),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also print the PDF (WeasyPrint)."),
    previous: Path | None = typer.Option(
        None,
        "--previous",
        help="The council's last statement.json: progress since then (figures, targets, actions).",
    ),
    scenario: list[Path] = typer.Option(
        [],
        "--scenario",
        help="A forecast scenario file (YAML/JSON, repeatable; see docs/forecast.md): its planned "
        "trajectory and gap beside the baseline.",
    ),
) -> None:
    """Write the sufficiency statement: HTML, tagged PDF, XLSX workbook and JSON.

    Example: [bold]sufficiency statement demo/ --year 2024 --out out/statement[/bold]
    (with a plan: [bold]--scenario docs/examples/scenario_trajectory.yaml[/bold])
    """
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from sufficiency.disclosure.audit import DisclosureError
    from sufficiency.report.build import build_statement
    from sufficiency.report.chart_workers import chart_workers
    from sufficiency.report.output import write_statement
    from sufficiency.report.placeholders import PlaceholdersRemain

    if year < 1990 or year > 2100:
        raise error(f"--year {year}: expected the four-digit year the statement ends (e.g. 2024)")
    from sufficiency.report.last_statement import load_previous
    from sufficiency.report.previous import PreviousStatementError

    try:
        last = load_previous(previous) if previous is not None else None
    except PreviousStatementError as exc:
        raise error(f"--previous {exc}; no statement written") from exc
    plans, gap_settings = _scenarios(scenario)
    ds = load_or_exit(data, stopped="no statement written")
    err = console(stderr=True)
    # chart workers start as the build does (matplotlib imported in them meanwhile: started
    # before the load, they slowed it more than they saved) and draw the charts for the HTML
    with (
        chart_workers(),
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True
        ) as progress,
    ):
        task = progress.add_task("Computing measures", total=None)
        try:
            stmt = build_statement(
                ds, year, mode.value, previous=last, scenarios=plans, gap_settings=gap_settings
            )
        except ValueError as exc:
            raise error(str(exc), err) from exc
        except DisclosureError as exc:  # no suppression protects it: nothing to write
            raise error(_refused(exc), err) from exc

        def tick(step: str) -> None:
            progress.update(task, description=f"Rendering {step}")

        try:
            written = write_statement(stmt, out, pdf=pdf, progress=tick)
        except OSError as exc:
            raise error(f"could not write the statement to {out}: {exc}", err) from exc
        except DisclosureError as exc:  # the audit refused it: nothing was written
            raise error(_refused(exc), err) from exc
        except PlaceholdersRemain as exc:  # sections still need data: nothing was written
            raise error(f"{exc}; no statement written", err) from exc
        except ValueError as exc:  # a figure that is not a number (render_json): nothing written
            raise error(
                f"the statement holds a figure that is not a number ({exc}); no statement written",
                err,
            ) from exc
    err.print(
        f"[green]Statement for {escape(ds.profile.name)}, year ending 31 March {year} "
        f"({mode.value}):[/green]"
    )
    for path in written:
        err.print(f"  {escape(str(path))}")


def _scenarios(paths: list[Path]) -> tuple[list[Any], dict[str, Any]]:
    """The forecast scenarios in ``paths`` and, for a file of one scenario, its gap settings
    (capacity and recruitment changes) by name; a bad file stops the command, naming it."""
    from sufficiency.forecast.scenarios import ScenarioError, load_scenarios
    from sufficiency.supply.gap import load_scenario

    try:
        plans = load_scenarios(paths) if paths else []
        settings = {}
        for path in paths:
            if len(load_scenarios(path)) == 1:
                gap = load_scenario(path)
                settings[gap.name] = gap
    except (ScenarioError, ValueError) as exc:
        raise error(f"--scenario {exc}; no statement written") from exc
    return plans, settings
