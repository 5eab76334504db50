"""CLI command ``sufficiency measures``: the needs analysis for a reference date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from sufficiency.measures import THEME_TITLES, compute, load_catalogue, results_json


def measures(
    data: Annotated[Path, typer.Argument(help="The DATA folder (la.toml, ssda903/<year>/, ...).")],
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Reference date YYYY-MM-DD (default: the last 31 March in the data). "
            "Measures over a year use the year ending on it.",
        ),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the measures as JSON on stdout.")
    ] = False,
    measure_ids: Annotated[
        list[str] | None,
        typer.Option("--measure", help="Only this measure id (repeat for more)."),
    ] = None,
    no_suppress: Annotated[
        bool,
        typer.Option(
            "--no-suppress",
            help="Show counts of 1-4 children (internal use only; never publish).",
        ),
    ] = False,
) -> None:
    """Compute the needs-analysis measures for DATA (see the list below)."""
    import sys

    from rich.console import Console
    from rich.markup import escape

    from sufficiency.ingest.loader import load_data

    err = Console(stderr=True)
    reference: dt.date | None = None
    if at is not None:
        try:
            reference = dt.date.fromisoformat(at)
        except ValueError:
            err.print(f"[red]error:[/red] --at {escape(at)!s} is not a date: expected YYYY-MM-DD")
            raise typer.Exit(1) from None
    result = load_data(data)
    if not result.ok or result.dataset is None:
        for p in result.problems:
            if p.severity == "error":
                where = ", ".join(
                    str(x)
                    for x in (p.file, f"row {p.row}" if p.row else None, p.column)
                    if x is not None
                )
                err.print(f"[red]error[/red] {escape(where)}: {escape(p.message)}")
        raise typer.Exit(1)
    ds = result.dataset
    if reference is None:
        reference = last_31_march(ds.last_date)
    catalogue = load_catalogue()
    wanted = list(measure_ids) if measure_ids else list(catalogue)
    unknown = [i for i in wanted if i not in catalogue]
    if unknown:
        err.print(
            f"[red]error:[/red] unknown measure id(s): {escape(', '.join(unknown))}; "
            "see `sufficiency measures --help` for the list"
        )
        raise typer.Exit(1)
    if json_out:
        results = compute(ds, reference, wanted)
    else:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("Computing measures", total=len(wanted))
            results = compute(ds, reference, wanted, progress=lambda _: progress.advance(task))
    doc = results_json(results, suppress=not no_suppress)
    if json_out:
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return
    _print_rich(doc, ds.profile.name)


def last_31_march(d: dt.date) -> dt.date:
    """The last 31 March on or before ``d``."""
    this_year = dt.date(d.year, 3, 31)
    return this_year if this_year <= d else dt.date(d.year - 1, 3, 31)


def format_value(value: Any) -> str:
    """One measure value as plain text (suppressed cells as [c])."""
    if value == "c":
        return "[c]"
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, dict):
        if {"count", "denominator", "pct"} <= set(value):
            pct = value["pct"]
            pct_text = "[c]" if pct == "c" else "-" if pct is None else f"{pct:.1f}%"
            return (
                f"{pct_text} ({format_value(value['count'])} of "
                f"{format_value(value['denominator'])})"
            )
        return "\n".join(f"{k}: {_inline(v)}" for k, v in value.items())
    return str(value)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_inline(v)}" for k, v in value.items())
    return format_value(value)


def _print_rich(doc: dict[str, Any], name: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    catalogue = load_catalogue()
    period = doc["period"]
    console.print(
        f"[bold]{escape(name)}[/bold] ({escape(doc['la'])}) - measures at {doc['at']}, "
        f"year {period['start']} to {period['end']}"
    )
    by_theme: dict[str, list[str]] = {}
    for mid in doc["measures"]:
        theme = catalogue[mid].theme if mid in catalogue else "other"
        by_theme.setdefault(theme, []).append(mid)
    for theme, ids in by_theme.items():
        table = Table(title=THEME_TITLES.get(theme, theme), show_lines=True, expand=True)
        table.add_column("Measure", ratio=2)
        table.add_column("Value", ratio=2)
        table.add_column("Definition", ratio=5, style="dim")
        for mid in ids:
            m = catalogue.get(mid)
            title = m.title if m else mid
            table.add_row(
                f"{escape(title)}\n[dim]{mid}[/dim]",
                escape(format_value(doc["measures"][mid])),
                escape(m.definition if m else ""),
            )
        console.print(table)


def _help() -> str:
    lines = [
        "Compute the needs-analysis measures for DATA at a reference date.",
        "",
        "Example: [bold]sufficiency measures demo --at 2024-03-31 --json[/bold]",
        "",
        "Counts of 1-4 children (and percentages built on them) show as \\[c] unless "
        "--no-suppress. Measures (docs/measures.md has their definitions):",
        "",
    ]
    from rich.markup import escape

    for m in load_catalogue().values():
        lines.append(f"  {m.id} - {escape(m.title)}")
    return "\n\n".join(["\n".join(lines[:4]), "\n".join(lines[4:])])


measures.__doc__ = _help()
