"""CLI command `sufficiency statement`: the annual sufficiency statement from a DATA folder."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer


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
) -> None:
    """Write the sufficiency statement: HTML, tagged PDF, XLSX workbook and JSON.

    Example: [bold]sufficiency statement demo/ --year 2024 --out out/statement[/bold]
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from sufficiency.ingest import load_data
    from sufficiency.report.build import build_statement
    from sufficiency.report.output import write_statement

    err = Console(stderr=True)
    if year < 1990 or year > 2100:
        err.print(
            f"[red]--year {year}: expected the four-digit year the statement ends (e.g. 2024)[/red]"
        )
        raise typer.Exit(1)
    result = load_data(data)
    errors = [p for p in result.problems if p.severity == "error"]
    if errors or result.dataset is None:
        for p in errors:
            where = ", ".join(
                x for x in (p.file, f"row {p.row}" if p.row else "", p.column or "") if x
            )
            err.print(f"[red]error[/red] {where}: {p.message}")
        err.print(f"[red]{len(errors)} error(s): no statement written[/red]")
        raise typer.Exit(1)
    ds = result.dataset
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True
    ) as progress:
        task = progress.add_task("Computing measures", total=None)
        try:
            stmt = build_statement(ds, year, mode.value)
        except ValueError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc

        def tick(step: str) -> None:
            progress.update(task, description=f"Rendering {step}")

        try:
            written = write_statement(stmt, out, pdf=pdf, progress=tick)
        except OSError as exc:
            err.print(f"[red]could not write the statement to {out}: {exc}[/red]")
            raise typer.Exit(1) from exc
    err.print(
        f"[green]Statement for {ds.profile.name}, year ending 31 March {year} ({mode.value}):[/green]"
    )
    for path in written:
        err.print(f"  {path}")
