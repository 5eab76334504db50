"""``sufficiency forecast``: demand, cost and targets by scenario, or a backtest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sufficiency.cli.common import (
    console,
    error,
    load_in_background,
    parse_date,
    print_json,
    warn,
)
from sufficiency.forecast_limits import MAX_HORIZON_MONTHS


def forecast(
    data: Annotated[Path, typer.Argument(help="The DATA folder (la.toml, ssda903/<year>/, ...).")],
    reference_start: Annotated[
        str | None, typer.Option("--reference-start", help="First day of the reference period.")
    ] = None,
    reference_end: Annotated[
        str | None,
        typer.Option("--reference-end", help="Last day of the reference period (forecast start)."),
    ] = None,
    horizon_months: Annotated[
        int,
        typer.Option(
            "--horizon-months",
            min=1,
            max=MAX_HORIZON_MONTHS,
            help="Calendar months to project from the reference end.",
        ),
    ] = 36,
    model_config: Annotated[
        str, typer.Option("--model-config", help="default, standard-v1, or a YAML file.")
    ] = "default",
    scenario: Annotated[
        list[Path] | None,
        typer.Option("--scenario", help="Scenario YAML/JSON file (repeatable)."),
    ] = None,
    simulations: Annotated[
        int,
        typer.Option("--simulations", min=0, help="Monte Carlo runs for the bands (0 = analytic)."),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for the simulations.")] = 0,
    inflation: Annotated[
        float,
        typer.Option(
            "--inflation", help="Annual cost inflation beyond the costs register, e.g. 0.03."
        ),
    ] = 0.0,
    backtest: Annotated[
        bool,
        typer.Option(
            "--backtest", help="Fit up to a past date, predict to the data end, score it."
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="dask.distributed scheduler address for the scenario sweep."
        ),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON on stdout.")
    ] = False,
) -> None:
    """Forecast children looked after by age and placement type, with bands, costs and targets.

    For planning within the council: small numbers are not suppressed (the statement hides them).

    Example: [bold]sufficiency forecast demo --horizon-months 36 --scenario docs/examples/scenario_trajectory.yaml --scenario docs/examples/scenario_drivers.yaml --simulations 1000 --json[/bold]
    (run from the repository: docs/examples/ holds the two scenarios, written for the demo
    council; their keys are in docs/forecast.md).
    """
    from sufficiency.forecast.config import ConfigError, load_model_config
    from sufficiency.forecast.scenarios import ScenarioError, load_scenarios

    start = parse_date(reference_start, "--reference-start")
    end = parse_date(reference_end, "--reference-end")
    try:
        config = load_model_config(model_config)
        scenarios = load_scenarios(scenario) if scenario else []
    except (ConfigError, ScenarioError) as exc:
        raise error(str(exc)) from None
    loaded = load_in_background(data)
    from sufficiency.forecast.api import run_backtest, run_forecast  # imported while DATA loads

    ds = loaded()
    try:
        if backtest:
            result: dict[str, Any] = run_backtest(
                ds,
                config,
                cutoff=end,
                horizon_months=min(horizon_months, 36),
                simulations=simulations,
                seed=seed,
            )
            if json_out:
                print_json(result)
            else:
                _print_backtest(result)
            return
        forecast_result = _run_with_progress(
            lambda on_step: run_forecast(
                ds,
                config,
                start,
                end,
                horizon_months,
                scenarios,
                simulations,
                seed,
                inflation,
                scheduler,
                on_step,
            ),
            steps=(len(scenarios) + 1) * (horizon_months + horizon_months // 12 + 1),
            show=not json_out and (simulations > 0 or len(scenarios) > 3),
        )
    except ValueError as exc:
        raise error(str(exc)) from None
    payload = forecast_result.to_json()
    if json_out:
        print_json(payload)
    else:
        _print_forecast(payload)


def _run_with_progress(run: Any, steps: int, show: bool) -> Any:
    if not show:
        return run(None)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("projecting"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console(),
        transient=True,
    ) as progress:
        task = progress.add_task("forecast", total=steps)
        return run(lambda: progress.advance(task))


def _fmt_band(b: dict[str, float]) -> tuple[str, str, str]:
    return f"{b['mean']:.1f}", f"{b['p10']:.0f}–{b['p90']:.0f}", f"{b['p2_5']:.0f}–{b['p97_5']:.0f}"


def _print_forecast(payload: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    ref = payload["reference"]
    out.print(
        f"Model [bold]{payload['config']}[/bold], reference period {ref['start']} to "
        f"{ref['end']}, {payload['horizon_months']} months ahead"
    )
    for name, sc in payload["scenarios"].items():
        table = Table(title=escape(f"{name}: children looked after at {sc['horizon_end']}"))
        for col, just in (
            ("Category", "left"),
            ("Expected", "right"),
            ("80% range", "right"),
            ("95% range", "right"),
        ):
            table.add_column(col, justify=just)  # type: ignore[arg-type]
        for cat, band in sc["at_horizon"]["by_category"].items():
            if band["mean"] < 0.05 and band["p97_5"] < 0.5:
                continue
            table.add_row(cat.replace("_", " "), *_fmt_band(band))
        table.add_row("[bold]Total[/bold]", *_fmt_band(sc["at_horizon"]["total"]))
        out.print(table)
        if sc.get("costs"):
            out.print(
                "  Spend: "
                + "; ".join(
                    f"{y['year']}: £{y['total']:,.0f}" + (" (part year)" if y["partial"] else "")
                    for y in sc["costs"]["by_year"]
                )
            )
        for t in sc.get("targets", []):
            reached = t["reached_year"] or "not within the horizon"
            out.print(
                f"  Target {t['measure_id']} {t['target']} by {t['target_date']}: reached {reached}"
            )
        for w in sc.get("warnings", []):
            out.print(f"  [yellow]warning[/yellow]: {escape(w)}")
    for w in payload.get("warnings", []):
        warn(w, out)


def _print_backtest(result: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"Backtest: fitted to {result['cutoff']}, predicted to {result['end']}")
    for col in ("Category", "Actual", "Predicted", "MAE", "MAPE %", "80% coverage", "95% coverage"):
        table.add_column(col, justify="left" if col == "Category" else "right")
    rows = [*result["by_category"].items(), ("total", result["total"])]
    for cat, s in rows:
        table.add_row(
            cat.replace("_", " "),
            f"{s['actual_at_end']:.0f}",
            f"{s['predicted_at_end']:.1f}",
            f"{s['mae']:.2f}",
            "–" if s["mape"] is None else f"{s['mape']:.1f}",
            f"{s['coverage_80']:.0%}",
            f"{s['coverage_95']:.0%}",
        )
    console().print(table)
