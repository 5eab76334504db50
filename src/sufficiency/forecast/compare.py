"""Scenarios compared year by year over the whole horizon, and what each saves on the baseline.

``compare_scenarios(result.scenarios, ["step_down", ...])`` is one row per year and scenario
(the baseline first in each year): the expected children looked after at that 31 March (the
``yearly`` total of ``forecast --json``), the cost of the financial year ending then (its
``costs.by_year`` total, ``cost_partial`` when the horizon covers only part of that year), and the
children and cost saved against the baseline (baseline minus scenario: positive is fewer children
or less spent; to the 4 decimals of the children and the pence of the costs). A year with a cost but no 31 March in the horizon (the part-year after the last
31 March) has no children figure; a forecast without a costs register has no cost figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from sufficiency.forecast.api import ScenarioResult

COLUMNS = (
    "year",
    "scenario",
    "children",
    "cost",
    "cost_partial",
    "children_saved",
    "cost_saved",
)


def scenario_years(result: ScenarioResult) -> pl.DataFrame:
    """``year``, ``children`` (expected at 31 March), ``cost`` and ``cost_partial`` of one
    scenario, every year of its horizon."""
    children = pl.DataFrame(
        {
            "year": [result.projection.dates[t].year for t in result.yearly],
            "children": [result.band(t)["mean"] for t in result.yearly],
        },
        schema={"year": pl.Int64, "children": pl.Float64},
    )
    by_year = (result.costs or {}).get("by_year") or []
    costs = pl.DataFrame(
        {
            "year": [int(y["year"]) for y in by_year],
            "cost": [float(y["total"]) for y in by_year],
            "cost_partial": [bool(y["partial"]) for y in by_year],
        },
        schema={"year": pl.Int64, "cost": pl.Float64, "cost_partial": pl.Boolean},
    )
    return children.join(costs, on="year", how="full", coalesce=True).sort("year")


def compare_scenarios(
    scenarios: Mapping[str, ScenarioResult],
    names: Sequence[str],
    baseline: str = "baseline",
) -> pl.DataFrame:
    """The baseline and ``names`` side by side each year, with what each saves (``COLUMNS``).

    Raises ValueError naming a scenario the forecast does not have."""
    for name in (baseline, *names):
        if name not in scenarios:
            raise ValueError(
                f"scenario: expected one of the forecast's ({', '.join(scenarios)}), not {name!r}"
            )
    base = scenario_years(scenarios[baseline]).select(
        "year",
        pl.col("children").alias("baseline_children"),
        pl.col("cost").alias("baseline_cost"),
    )
    chosen = [baseline, *dict.fromkeys(n for n in names if n != baseline)]
    frames = [
        scenario_years(scenarios[name])
        .join(base, on="year", how="full", coalesce=True)
        .with_columns(
            pl.lit(name).alias("scenario"),
            pl.lit(order).alias("order"),
            (pl.col("baseline_children") - pl.col("children")).round(4).alias("children_saved"),
            (pl.col("baseline_cost") - pl.col("cost")).round(2).alias("cost_saved"),
        )
        for order, name in enumerate(chosen)
    ]
    return pl.concat(frames).sort("year", "order").select(COLUMNS)
