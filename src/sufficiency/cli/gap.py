"""``sufficiency gap``: need minus capacity per year and placement type, costed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sufficiency.cli.common import console, error, load_or_exit, print_json, warn

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.supply.gap import Need


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


def _forecast_need(ds: Dataset, years: list[int]) -> tuple[Need | None, str | None]:
    """Baseline forecast need by placement type at each 31 March, or None and why not."""
    from sufficiency.forecast.api import run_forecast
    from sufficiency.supply.gap import forecast_need

    months = (max(years) - ds.last_date.year) * 12
    try:
        fc = run_forecast(ds, horizon_months=max(months, 12))
    except ValueError as exc:  # e.g. no episodes in the reference period: fall back to trend
        return None, f"forecast unavailable ({exc}); need from trend"
    return forecast_need(fc, years)


def gap(
    data: Annotated[Path, typer.Argument(help="DATA folder (la.toml, ssda903/, registers/).")],
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario file (YAML/JSON): name, moves, capacity, "
            "recruitment. Default: baseline.",
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(
            "--years",
            help="Years (ending 31 March) to report, e.g. 2024-2026. "
            "Default: the three years after the latest return.",
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
    """Sufficiency gap: need minus in-house and contracted capacity -> places to spot-purchase.

    Example: [bold]sufficiency gap demo --scenario plans/absorb.yaml --years 2024-2026 --json[/]
    """
    from rich.table import Table

    from sufficiency.codes import PLACEMENT_TYPE_TITLES
    from sufficiency.supply.gap import GapScenario, gap_for_dataset, load_scenario

    sc = GapScenario()
    if scenario is not None:
        try:
            sc = load_scenario(scenario)
        except ValueError as exc:
            raise error(str(exc)) from exc
    ds = load_or_exit(data)
    last = max(ds.returns) if ds.returns else ds.last_date.year
    wanted = _years(years, last)
    need_map, source, notes = None, None, []
    if need not in ("forecast", "trend"):
        raise typer.BadParameter("--need must be 'forecast' or 'trend'")
    if need == "forecast":
        need_map, note = _forecast_need(ds, wanted)
        source = "forecast" if need_map is not None else None
        notes += [note] if note else []
    if sc.rates or sc.entries:
        notes.append(
            "the scenario's rate and entry adjustments are forecast settings; the gap "
            "applies its planned moves and capacity changes to baseline need"
        )
    res = gap_for_dataset(ds, wanted, scenario=sc, need=need_map, need_source=source)
    res.warnings[:0] = notes
    if as_json:
        print_json(res.to_json())
        return
    out = console()
    out.print(
        f"[bold]Sufficiency gap[/] — scenario [cyan]{res.scenario}[/] (need from {res.need_source})"
    )
    for y in res.years:
        table = Table(title=f"Year ending 31 March {y.year}")
        for col in ("placement type", "need", "capacity", "shortfall", "cost (£/year)", "note"):
            table.add_column(col, justify="left" if col in ("placement type", "note") else "right")
        for t, c in y.by_type.items():
            note = "planned moves exceed capacity" if c.moves_exceed_capacity else ""
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
    for w in res.warnings:
        warn(w)
