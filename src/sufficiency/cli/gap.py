"""``sufficiency gap``: need minus capacity per year and placement type, costed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sufficiency.cli.common import console, error, load_or_exit, print_json, warn
from sufficiency.forecast_limits import MAX_HORIZON_MONTHS


def _years(text: str | None, last_return: int) -> list[int]:
    if not text:
        return [last_return + 1, last_return + 2, last_return + 3]
    parts = text.replace("–", "-").split("-")
    try:
        if len(parts) == 2:
            lo, hi = int(parts[0]), int(parts[1])
            if lo > hi:
                raise ValueError
            return list(range(lo, hi + 1))
        return [int(p) for p in text.split(",")]
    except ValueError as exc:
        raise typer.BadParameter(f"expected YYYY-YYYY or YYYY[,YYYY...], got '{text}'") from exc


def gap(
    data: Annotated[Path, typer.Argument(help="DATA folder (la.toml, ssda903/, registers/).")],
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario file (YAML/JSON), e.g. docs/examples/scenario_trajectory.yaml: "
            "a forecast scenario (docs/forecast.md) gives the statement's gap under it (need "
            "from its forecast, plus its capacity and recruitment changes); a gap-only file "
            "(moves by year, capacity, need) applies to baseline need. Default: baseline.",
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(
            "--years",
            help="Years (ending 31 March) to report, e.g. 2027-2029. A year a return "
            "covers takes the children counted on its 31 March. Default: the three years "
            "after the latest return.",
        ),
    ] = None,
    need: Annotated[
        str,
        typer.Option(
            "--need",
            help="Where need comes from: 'forecast' (the baseline "
            "forecast by placement type; falls back to trend) or 'trend' (straight "
            "line through the returns' 31 March counts).",
        ),
    ] = "forecast",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON to stdout.")] = False,
) -> None:
    """Sufficiency gap: need minus in-house and contracted capacity -> places to buy, costed
    (through a framework at its price where one is active, else spot-purchased).

    For planning within the council: small numbers are not suppressed (the statement hides them).

    Example: [bold]sufficiency gap demo --scenario docs/examples/scenario_trajectory.yaml --json[/]
    """
    from rich.table import Table

    from sufficiency.codes import PLACEMENT_TYPE_TITLES
    from sufficiency.forecast.scenarios import Scenario, ScenarioError
    from sufficiency.supply.gap import GapScenario, forecast_plan, gap_with_need, load_scenario

    sc = GapScenario()
    plan: Scenario | None = None
    if scenario is not None:
        try:
            sc = load_scenario(scenario)
            plan = forecast_plan(scenario, sc)
        except ValueError as exc:
            raise error(str(exc)) from exc
    ds = load_or_exit(data)
    last = max(ds.returns) if ds.returns else ds.last_date.year
    if need not in ("forecast", "trend"):
        raise typer.BadParameter("--need must be 'forecast' or 'trend'")
    wanted = _years(years, last)
    first = min(ds.returns) if ds.returns else ds.first_date.year
    latest = last + MAX_HORIZON_MONTHS // 12
    if min(wanted) < first or max(wanted) > latest:
        raise error(
            f"--years {years}: expected years from {first} (the first return loaded) to "
            f"{latest} (the forecast reaches {MAX_HORIZON_MONTHS // 12} years past the latest "
            "return)"
        )
    try:
        res = gap_with_need(ds, wanted, scenario=sc, need=need, plan=plan)
    except ScenarioError as exc:  # the forecast refuses the scenario (e.g. an unknown category)
        raise error(str(exc)) from exc
    if as_json:
        print_json(res.to_json())
        for w in res.warnings:  # on stderr too: a capacity read as 0 must not pass unseen
            warn(w)
        return
    out = console()
    out.print(
        f"[bold]Sufficiency gap[/] — scenario [cyan]{res.scenario}[/] (need from {res.need_source})"
    )
    for y in res.years:
        title = f"Year ending 31 March {y.year}"
        if y.need_source == "counted":
            title = f"{title} (need: children counted)"
        table = Table(title=title)
        for col in ("placement type", "need", "capacity", "shortfall", "cost (£/year)", "note"):
            table.add_column(col, justify="left" if col in ("placement type", "note") else "right")
        for t, c in y.by_type.items():
            exceed = "planned moves exceed capacity" if c.moves_exceed_capacity else None
            note = "; ".join(x for x in (c.capacity_note, exceed) if x)
            table.add_row(
                PLACEMENT_TYPE_TITLES.get(t, t),
                f"{c.need:.1f}",
                f"{c.capacity:.1f}",
                f"{c.shortfall:.1f}",
                "-" if c.shortfall_cost is None else f"{c.shortfall_cost:,.0f}",
                note,
            )
        out.print(table)
    for h in res.headlines():
        out.print(h)
    for line in _stream_lines(res.streams):
        out.print(line)
    for w in res.warnings:
        warn(w)


#: The demand streams the gap reports beside the placement types, in words.
STREAM_TITLES = {
    "uasc": "Unaccompanied children expected (arrivals and National Transfer Scheme, net)",
    "dolo": "Children under a deprivation-of-liberty order expected",
}


def _stream_lines(streams: dict[str, Any] | None) -> list[str]:
    """One line per demand stream: the children expected at each 31 March of the gap."""
    lines = []
    for name, title in STREAM_TITLES.items():
        stream = (streams or {}).get(name)
        if stream and stream.get("yearly"):
            years = ", ".join(f"{r['year']}: {r['children']:.1f}" for r in stream["yearly"])
            lines.append(f"{title}, {stream['entries_per_year']:g} joining a year: {years}")
    return lines
