"""``sufficiency measures``: the needs analysis for a reference date."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from sufficiency.cli.common import console, error, load_or_exit, parse_date, print_json

if TYPE_CHECKING:
    from sufficiency.measures.catalogue import Measure, MeasureResults
    from sufficiency.results import Result


def measures(
    data: Annotated[Path, typer.Argument(help="The DATA folder (la.toml, ssda903/<year>/, ...).")],
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Reference date YYYY-MM-DD (default: the last 31 March in the data). "
            "Measures over a year use the year ending on it. With small numbers suppressed (the "
            "default) a 31 March only; another day is for internal use (--no-suppress).",
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
            help="Show counts of 1-5 children (internal use only; never publish).",
        ),
    ] = False,
) -> None:
    """Compute the needs-analysis measures for DATA at a reference date.

    Example: [bold]sufficiency measures demo --at 2024-03-31 --json[/bold]
    """
    from sufficiency.measures import compute, load_catalogue, results_json

    reference = parse_date(at, "--at")
    ds = load_or_exit(data)
    if reference is None:
        reference = last_31_march(ds.last_date)
    from sufficiency.measures import Period

    uncovered = ds.outside(Period.year_ending(reference).start, reference)
    if uncovered:
        raise error(
            f"--at {reference}: the measures count the year ending that day, and {uncovered}; "
            "choose a date inside them (a year after the first return begins, at the earliest)"
        )
    catalogue = load_catalogue()
    wanted = list(measure_ids) if measure_ids else list(catalogue)
    unknown = [i for i in wanted if i not in catalogue]
    if unknown:
        raise error(
            f"unknown measure id(s): {', '.join(unknown)}; "
            "see `sufficiency measures --help` for the list"
        )
    if not no_suppress:  # as every published output shows them: one suppression for all
        results = _published(ds, reference, wanted, quiet=json_out)
    elif json_out:
        results = compute(ds, reference, wanted)
    else:
        from rich.progress import Progress

        with Progress(console=console(stderr=True), transient=True) as progress:
            task = progress.add_task("Computing measures", total=len(wanted))
            results = compute(ds, reference, wanted, progress=lambda _: progress.advance(task))
    doc = results_json(results, suppress=False)
    from sufficiency.measures.history import short_history

    # the measures that read further back than the returns loaded, each with why (JSON: added)
    doc["history_short"] = (
        short_history(catalogue, wanted, reference, min(ds.returns)) if ds.returns else {}
    )
    if json_out:
        print_json(doc)
        return
    _print_rich(doc, results.values, ds.profile.name, catalogue)


def _published(ds: Any, at: dt.date, wanted: list[str], quiet: bool) -> MeasureResults:
    """The ``wanted`` measures of ``at`` as a published output shows them, all measures of the
    date protected together (``report.protected_date``): asking for one shows it as the whole
    output does, so two runs side by side give nothing away."""
    from contextlib import nullcontext

    from sufficiency.disclosure.audit import DisclosureError
    from sufficiency.measures import MeasureResults, Period
    from sufficiency.report.protected_date import NotPublished, protected_results

    waiting = nullcontext() if quiet else console(stderr=True).status("Computing measures")
    try:
        with waiting:
            values = protected_results(ds, at)
    except NotPublished as exc:
        raise error(
            f"--at {at}: {exc}. Give --at {last_31_march(at)} for figures to publish, or "
            "--no-suppress for this day's figures (internal use only; never publish)"
        ) from None
    except DisclosureError as exc:
        raise error(
            f"{exc}; nothing printed (--no-suppress shows them, for internal use only)"
        ) from None
    period = Period.year_ending(at)
    return MeasureResults(ds.profile.code, at, period, {m: values[m] for m in wanted})


def last_31_march(d: dt.date) -> dt.date:
    """The last 31 March on or before ``d``: the default reference date."""
    from sufficiency.dates import year_end

    return year_end(d.year) if year_end(d.year) <= d else year_end(d.year - 1)


def format_value(value: Any) -> str:
    """One measure result (or a figure inside one) as plain text; suppressed cells as [c]."""
    from sufficiency.disclosure import SUPPRESSED_TEXT, is_suppressed
    from sufficiency.results import Result, Share

    if isinstance(value, Share):
        pct = value.pct
        pct_text = SUPPRESSED_TEXT if is_suppressed(pct) else "-" if pct is None else f"{pct:.1f}%"
        return f"{pct_text} ({format_value(value.count)} of {format_value(value.denominator)})"
    if isinstance(value, Result):
        value = value.to_json()
    if is_suppressed(value):
        return SUPPRESSED_TEXT
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_inline(v)}" for k, v in value.items())
    return str(value)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_inline(v)}" for k, v in value.items())
    return format_value(value)


def _print_rich(
    doc: dict[str, Any], values: dict[str, Result], name: str, catalogue: dict[str, Measure]
) -> None:
    from rich.markup import escape
    from rich.table import Table

    from sufficiency.measures import THEME_TITLES

    out = console()
    period = doc["period"]
    out.print(
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
            short = doc["history_short"].get(mid)
            table.add_row(
                f"{escape(title)}\n[dim]{mid}[/dim]",
                escape(format_value(values[mid]))
                + (
                    f"\n[bold yellow]too few returns:[/bold yellow] {escape(short)}"
                    if short
                    else ""
                ),
                escape(m.definition if m else ""),
            )
        out.print(table)


def full_help() -> str:
    """The command's help with every measure in the catalogue listed (built only for --help)."""
    from rich.markup import escape

    from sufficiency.measures import load_catalogue

    listing = "\n".join(f"  {m.id} - {escape(m.title)}" for m in load_catalogue().values())
    return (
        f"{inspect.getdoc(measures)}\n\n\n"
        "Counts of 1-5 children (the council's threshold if higher), percentages built on "
        "them and further figures that would reveal them show as \\[c], as in the published "
        "statement, unless --no-suppress. Measures (docs/measures.md has their definitions):"
        "\n\n"
        f"{listing}"
    )


class MeasuresCommand(TyperCommand):
    """The measures command, whose help lists the catalogue: loaded on --help, not at start-up."""

    def format_help(self, ctx: Any, formatter: Any) -> None:  # Any: typer vendors click
        self.help = full_help()
        super().format_help(ctx, formatter)
