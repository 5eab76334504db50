"""Forecast of need: the baseline forecast (``sufficiency.forecast``) of children by placement
type at each 31 March, the actual and forecast line, and its costs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES, PLACEMENT_TYPES
from sufficiency.report.model import Block, Cell, Row, Series, Table
from sufficiency.report.sections.blocks import (
    chart,
    measure_blocks,
    num_or_none,
    paragraph,
    placeholder,
    round1,
    table_block,
    year_label,
)
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.supply import has_value
from sufficiency.report.sections.trajectory import start_point, trajectory, trajectory_blocks
from sufficiency.report.sources import YearValues


@section("forecast", "Forecast of need", 110, needs=("forecast",), part=True)
def forecast(inp: StatementInputs) -> list[Block]:
    """The forecast's method, tables and chart, or why it could not run."""
    fc = inp.forecast
    if not fc or "error" in fc:
        return [
            *_streams(inp),
            placeholder(
                "Forecast of children looked after",
                "the forecast capability (sufficiency.forecast: transition model fitted on the "
                "returns' reference period)"
                + (f" — it could not run: {fc['error']}" if fc and "error" in fc else ""),
                "projected children looked after by placement type over the next years, with "
                "uncertainty bands and scenarios",
            ),
        ]
    scenarios = fc.get("scenarios", {})
    scen: Mapping[str, Any] = scenarios.get("baseline") or next(iter(scenarios.values()), {})
    ref = fc.get("reference", {})
    blocks = [
        paragraph(
            f"The forecast fits a model of how children move into, between and out of care on "
            f"the council's own returns from {ref.get('start')} to {ref.get('end')} (model "
            f"configuration '{fc.get('config')}') and projects it forward. Figures are "
            "expected numbers of children; the range shows the 10th to 90th percentile. "
            "Placement types whose current number is suppressed have their forecasts "
            "suppressed too, as they would show roughly how many children there are now."
        )
    ]
    src = "forecast:" + str(scen.get("name", "baseline"))
    blocks += _yearly(scen, fc.get("categories", []), src)
    blocks += _chart(scen, inp.years)
    blocks += _costs(scen, src)
    blocks += _planned(inp, scenarios)
    blocks += _streams(inp)
    for w in (fc.get("warnings") or []) + (scen.get("warnings") or []):
        blocks.append(paragraph(f"Forecast note: {w}"))
    return blocks


#: Demand streams inside the placement types that the forecast reports on their own.
STREAM_IDS = ("uasc_forecast", "dolo_orders")


def _streams(inp: StatementInputs) -> list[Block]:
    """Unaccompanied children and deprivation-of-liberty orders: the year's flows and the next
    three years (catalogue measures, so the disclosure control applies)."""
    shown = [i for i in STREAM_IDS if i in inp.info]
    if not has_value(inp.cur, shown):
        return []
    return [
        paragraph(
            "Two groups of children are counted within the placement types above but need "
            "their own plans: unaccompanied children seeking asylum (arriving, and transferred "
            "under the National Transfer Scheme) and children placed under a "
            "deprivation-of-liberty order. Each is projected from its own entries and exits "
            "over the last year."
        ),
        *measure_blocks(inp.cur, shown, inp.info, "Demand streams"),
    ]


def _planned(inp: StatementInputs, scenarios: Mapping[str, Any]) -> list[Block]:
    """Each scenario's trajectory beside the baseline (``statement --scenario``)."""
    if len(scenarios) < 2:
        return []
    cur = inp.cur
    start = start_point(
        inp.year,
        cur.get("cla_count"),
        cur.get("cla_rate_per_10k"),
        cur.get("cla_by_placement_type") or {},
        cur.get("spend_total"),
    )
    order = ["baseline", *[n for n in scenarios if n != "baseline"]]
    gaps = {"baseline": inp.gap, **inp.scenario_gaps}
    paths = {n: trajectory(scenarios[n], gaps.get(n), start) for n in order if n in scenarios}
    said = {  # a withheld scenario says why its figures are not shown
        n: " ".join(t for t in (text, (scenarios.get(n) or {}).get("withheld")) if t)
        for n, text in inp.scenario_descriptions.items()
    }
    return trajectory_blocks(paths, said)


def _mean(y: Mapping[str, Any], c: str) -> Any:
    return round1(y.get("by_category", {}).get(c, {}).get("mean"))


def _yearly(scen: Mapping[str, Any], categories: Sequence[str], src: str) -> list[Block]:
    """Expected children by placement type at each 31 March, with the total's range."""
    yearly = [y for y in scen.get("yearly", []) if isinstance(y, Mapping)]
    if not yearly:
        return []
    labels = [str(y.get("date", y.get("year", "")))[:10] for y in yearly]
    cats = [c for c in categories if any(_mean(y, c) not in (None, 0) for y in yearly)]
    rows = [
        Row(
            PLACEMENT_TYPE_TITLES.get(c, c),
            [
                Cell(_mean(y, c), "number", ref=f"forecast.{c}@{label}", source=src)
                for y, label in zip(yearly, labels, strict=True)
            ],
        )
        for c in cats
    ]
    rows.append(
        Row(
            "Total (expected)",
            [
                Cell(
                    round1(y.get("total", {}).get("mean")),
                    "number",
                    ref=f"forecast.total@{label}",
                    source=src,
                )
                for y, label in zip(yearly, labels, strict=True)
            ],
            total=True,
        )
    )
    for name, key in (
        ("Total: low (10th percentile)", "p10"),
        ("Total: high (90th percentile)", "p90"),
    ):
        rows.append(
            Row(
                name,
                [Cell(round1(y.get("total", {}).get(key)), "number", source=src) for y in yearly],
            )
        )
    return [
        table_block(
            Table(
                "forecast",
                "Forecast children looked after by placement type",
                ["Placement type", *labels],
                rows,
                caption="Baseline forecast: expected children looked after at each date",
            )
        )
    ]


def _chart(scen: Mapping[str, Any], years: Sequence[YearValues]) -> list[Block]:
    """Children looked after at each 31 March, then the forecast's expected path and range."""
    monthly = [m for m in scen.get("monthly", []) if isinstance(m, Mapping)]
    if not monthly:
        return []
    # each 31 March of the projection (ticks a reader knows), else every twelfth month
    pts = [m for m in monthly if str(m.get("date"))[5:10] == "03-31"] or monthly[11::12]
    history = [(f"31 Mar {y.year}", num_or_none(y.get("cla_count"))) for y in years]
    pad: list[float | None] = [None] * len(history)

    def path(key: str) -> list[float | None]:
        return pad + [num_or_none(round1(m.get("total", {}).get(key))) for m in pts]

    return [
        chart(
            "forecast_chart",
            "Children looked after: actual and forecast",
            "line",
            [h[0] for h in history] + [_day(str(m.get("date"))) for m in pts],
            [
                Series("Actual", [h[1] for h in history] + [None] * len(pts)),
                Series("Forecast (expected)", path("mean")),
                Series("Low (10th percentile)", path("p10")),
                Series("High (90th percentile)", path("p90")),
            ],
            "Date",
            "Children",
        )
    ]


def _costs(scen: Mapping[str, Any], src: str) -> list[Block]:
    """The forecast's expected bed nights costed by financial year and placement type."""
    by_year = (scen.get("costs") or {}).get("by_year") or []
    if not by_year:
        return []
    types = [t for t in PLACEMENT_TYPES if any(t in (y.get("by_type") or {}) for y in by_year)]
    rows = [
        Row(
            PLACEMENT_TYPE_TITLES.get(t, t),
            [
                Cell(
                    round1((y.get("by_type") or {}).get(t)),
                    "money",
                    ref=f"forecast_costs.{t}@{y.get('year')}-03-31",
                    source=src,
                )
                for y in by_year
            ],
        )
        for t in types
    ]
    rows.append(
        Row(
            "Total",
            [
                Cell(
                    round1(y.get("total")),
                    "money",
                    ref=f"forecast_costs.total@{y.get('year')}-03-31",
                    source=src,
                )
                for y in by_year
            ],
            total=True,
        )
    )
    return [
        table_block(
            Table(
                "forecast_costs",
                "Forecast placement costs by financial year",
                ["Placement type"]
                + [
                    year_label(int(y["year"])) + (" (part year)" if y.get("partial") else "")
                    for y in by_year
                ],
                rows,
                caption="Expected bed nights of the baseline forecast costed at the weekly "
                "rates of the council's costs register",
            )
        )
    ]


def _day(iso: str) -> str:
    """``2027-03-31`` -> ``31 Mar 2027`` (an axis label, not a code)."""
    import datetime as dt

    return dt.date.fromisoformat(iso[:10]).strftime("%-d %b %Y")
