"""``sufficiency benchmarks``: a council's published figures beside England, its region and its
statistical neighbours, from the statistics shipped in the package (no returns needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from sufficiency.cli.common import console, error, print_json

if TYPE_CHECKING:
    from rich.table import Table

    from sufficiency.published import LA, Comparison, Figure, MeasureInfo, NeighbourMean


def benchmarks(
    la_code: Annotated[
        str,
        typer.Argument(
            help="The council: ONS code (E06000019; a former code works too), the DfE's "
            "three-digit number (884) or its name.",
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="Only this year (31 March): each measure's figures for it, else for the "
            "latest earlier year published (labelled). Default: every published year.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Published comparators for a council: its own DfE figures beside England, its region and
    the mean of its ten statistical neighbours, for every published year.

    Example: [bold]sufficiency benchmarks E06000019 --year 2025 --json[/]
    """
    from sufficiency import published

    try:
        la = published.resolve_la(la_code)
    except published.UnknownArea as exc:
        raise error(str(exc)) from None
    found = comparisons(la, year)
    if year is not None and not any(cs for _, cs in found):
        first = min(y for info, _ in found for y in published.published_years(info.measure_id))
        raise error(
            f"--year {year}: nothing is published for {year} or before; the DfE's figures "
            f"shipped here start in {first}"
        )
    if as_json:
        print_json(benchmarks_json(la, year, found))
        return
    _print(la, found, one_year=year is not None)


def comparisons(la: LA, year: int | None) -> list[tuple[MeasureInfo, tuple[Comparison, ...]]]:
    """Each shipped measure with its comparisons for the council: every published year, latest
    first; or the one for ``year`` (else the latest earlier published year)."""
    from sufficiency import published

    out = []
    for info in published.published_measures():
        if year is None:
            found = published.comparison_series(la.code, info.measure_id)
        else:
            one = published.comparators(la.code, info.measure_id, year)
            found = () if one is None else (one,)
        out.append((info, found))
    return out


def benchmarks_json(
    la: LA, year: int | None, found: list[tuple[MeasureInfo, tuple[Comparison, ...]]]
) -> dict[str, Any]:
    """The command's JSON: the council, its neighbours, every shipped measure with its
    comparisons, the DfE's symbols and the attribution."""
    from sufficiency import published

    return {
        "la": la.to_json(),
        "year": year,
        "neighbours": [n.to_json() for n in published.neighbours(la.code)],
        "measures": {
            info.measure_id: {**info.to_json(), "years": [_comparison_json(c) for c in cs]}
            for info, cs in found
        },
        "symbols": published.SYMBOLS,
        "attribution": published.ATTRIBUTION,
    }


def _comparison_json(c: Comparison) -> dict[str, Any]:
    """One year's comparison under its measure (the measure id is the key above it)."""
    doc = c.to_json()
    del doc["measure_id"]
    return doc


def _cell(figure: Figure | None, unit: str) -> str:
    """A figure as text: its number, or the DfE's symbol in brackets ([c]); blank when none."""
    if figure is None:
        return ""
    if figure.value is None:
        return f"[{figure.symbol}]" if figure.symbol else ""
    return _number(figure.value, unit)


def _number(value: float, unit: str) -> str:
    """A number as published: whole numbers without decimals, percentages with %."""
    if unit == "percent":
        return f"{value:g}%"
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _mean_cell(mean: NeighbourMean | None, unit: str) -> str:
    """The neighbours' mean with how many neighbours it used: "66.7 (10)"."""
    if mean is None:
        return ""
    if mean.value is None:
        return "- (0)"
    return f"{_number(mean.value, unit)} ({mean.used})"


def _lineage(la: LA) -> list[str]:
    """Lines on former codes and reorganisation (why a series starts or stops)."""
    from sufficiency import published

    def names(codes: tuple[str, ...]) -> str:
        return ", ".join(f"{published.resolve_la(c).name} ({c})" for c in codes)

    lines = []
    if la.former_codes:
        lines.append(f"Former ONS code(s) of the same area: {', '.join(la.former_codes)}.")
    if la.predecessors:
        lines.append(
            f"Created from {names(la.predecessors)}: its own figures start in {la.first_year}; "
            "earlier years belong to the predecessor(s) and are not spliced in."
        )
    if la.successors:
        lines.append(
            f"Abolished: its last published figures are for {la.last_year}; "
            f"succeeded by {names(la.successors)}."
        )
    return lines


def _print(
    la: LA, found: list[tuple[MeasureInfo, tuple[Comparison, ...]]], *, one_year: bool
) -> None:
    """The council, its neighbours, the figures (one table, or one a measure for every year),
    the symbols shown, the sources and the attribution."""
    from rich.markup import escape

    from sufficiency import published

    out = console()
    out.print(
        f"[bold]{escape(la.name)}[/] ({la.code}, DfE number {la.old_number}): "
        f"{la.type_name}, {escape(la.region_name)}"
    )
    for line in _lineage(la):
        out.print(escape(line))
    sns = published.neighbours(la.code)
    if sns:
        out.print(
            "Statistical neighbours (DfE 2025 model, closest first): "
            + escape(", ".join(n.la.name for n in sns))
        )
    symbols: set[str] = set()
    shown = [(info, cs) for info, cs in found if cs]
    if one_year:
        out.print(_year_table(la, shown))
    for info, cs in shown:
        if not one_year:
            out.print(_table(info, la, cs))
        symbols |= _symbols(cs)
    sources = sorted(set().union(*(_sources(cs) for _, cs in shown)))
    out.print(escape("Sources: " + "; ".join(sources) + "."))
    for symbol in sorted(symbols):
        meaning = published.SYMBOLS.get(symbol, "not a number")
        out.print(escape(f"[{symbol}] {meaning}"))
    out.print(escape(published.ATTRIBUTION))


def _table(info: MeasureInfo, la: LA, found: tuple[Comparison, ...]) -> Table:
    """One measure, a row a year, captioned with its source, polarity and definition note."""
    from rich.markup import escape
    from rich.table import Table

    title = f"{escape(info.title)} [dim]({info.measure_id})[/]"
    polarity = {"up": "higher is better", "down": "lower is better"}.get(info.polarity or "", "")
    sources = sorted(_sources(found))
    caption = "; ".join(s for s in (", ".join(sources), polarity, info.note) if s)
    table = Table(title=title, caption=escape(caption), title_justify="left")
    table.add_column("year", justify="right")
    table.add_column("council", justify="right")
    table.add_column("England", justify="right")
    table.add_column(escape(la.region_name), justify="right")
    table.add_column("neighbours' mean (n of 10)", justify="right")
    for c in found:
        table.add_row(*_figures(c, info.unit))
    return table


def _year_table(la: LA, shown: list[tuple[MeasureInfo, tuple[Comparison, ...]]]) -> Table:
    """One row a measure: its figures for the year asked (or the latest earlier one)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title="Published figures",
        caption="neighbours' mean (n): the mean of the n of 10 statistical neighbours that "
        "published a figure. --json has the titles, definitions and each neighbour.",
    )
    table.add_column("measure")
    for name in ("year", "council", "England", la.region_name, "neighbours' mean (n)"):
        table.add_column(escape(name), justify="right")
    for info, cs in shown:
        table.add_row(escape(info.measure_id), *_figures(cs[0], info.unit))
    return table


def _figures(c: Comparison, unit: str) -> list[str]:
    """One comparison's cells: year, the council, England, the region, the neighbours' mean."""
    from rich.markup import escape

    return [
        _year(c),
        escape(_cell(c.published_la, unit)),
        escape(_cell(c.england, unit)),
        escape(_cell(c.region, unit)),
        escape(_mean_cell(c.statistical_neighbours, unit)),
    ]


def _year(c: Comparison) -> str:
    """The published year, saying which year it stands in for when publication lags."""
    return f"{c.year} (for {c.requested_year})" if c.lags else str(c.year)


def _sources(found: tuple[Comparison, ...]) -> set[str]:
    """The sources of the council, England and region figures shown."""
    return {f.source for c in found for f in (c.published_la, c.england, c.region) if f}


def _symbols(found: tuple[Comparison, ...]) -> set[str]:
    """The DfE symbols the council, England and region cells show."""
    figures = [f for c in found for f in (c.published_la, c.england, c.region) if f is not None]
    return {f.symbol for f in figures if f.value is None and f.symbol}
