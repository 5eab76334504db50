"""Dashboard: the measure catalogue by theme, with charts, tables, filters, trends and benchmarks.

Numbers come from the library's measure functions (``measures.compute`` / ``results_json``, the
same ones the CLI and statement use); viewers always see suppressed figures. Charts are Plotly
specs in JSON data blocks drawn by static/web/charts.js (no inline script: strict CSP).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from sufficiency import disclosure
from sufficiency.codes import AGE_BANDS, PLACEMENT_TYPE_TITLES
from sufficiency.measures import behind
from sufficiency.measures.change import change
from sufficiency.results import Record, Result, Share, Table
from sufficiency.web import bridge, page_cache, rendered
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.dashboard import chart_labels
from sufficiency.web.dashboard.filters import filter_dataset, requested_filters
from sufficiency.web.dashboard.protected import WITHHELD, ViewerYears, is_withheld, viewer_years
from sufficiency.web.data.models import ReturnYear
from sufficiency.web.frontend import plotly_stylesheets

PALETTE = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#5694ca", "#d4351c", "#ffdd00", "#505a5f"]
#: Shown first on the overview, with their change on the year before.
HEADLINES = (
    "cla_count",
    "cla_rate_per_10k",
    "starts",
    "ceased",
    "uasc_count",
    "fostering_share",
    "stability_three_plus",
    "placed_over_20_miles",
)
AREA_TITLES = {
    "la": "This council",
    "england": "England",
    "region": "Region",
    "statistical_neighbours": "Statistical neighbours",
}
#: Units whose figures are counts (of children when the result says ``children``).
COUNTS = ("count", "counts")


def _label(key: str) -> str:
    """A key's title (``chart_labels.label``)."""
    return chart_labels.label(key)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _cell(v: Any, unit: str = "") -> str:
    if v is None:
        return "–"
    if disclosure.is_suppressed(v):
        return disclosure.SUPPRESSED_TEXT
    if isinstance(v, bool):
        return "yes" if v else "no"
    if _is_num(v):
        if unit == "money":
            return f"£{v:,.0f}"
        if isinstance(v, float):
            return f"{v:,.1f}"
        return f"{v:,}"
    return str(v)


def _raw(v: Any) -> Any:
    """A cell as a download holds it: numbers as numbers, hidden figures as ``[c]``."""
    if v is None:
        return ""
    if disclosure.is_suppressed(v):
        return disclosure.SUPPRESSED_TEXT
    if isinstance(v, bool):
        return "yes" if v else "no"
    return v if _is_num(v) else str(v)


def _plot(data: list[dict[str, Any]], layout: dict[str, Any]) -> str:
    """A Plotly spec as JSON safe inside a <script type="application/json"> block."""
    base = {
        "margin": {"t": 40, "r": 20, "l": 60, "b": 60},
        "height": 340,
        "legend": {"orientation": "h"},
    }
    return json.dumps({"data": data, "layout": {**base, **layout}}).replace("<", "\\u003c")


def _hbar(values: dict[str, Any], unit: str = "") -> str:
    """Horizontal bars (long category names stay readable), first category at the top; a
    suppressed category keeps its place, labelled ``[c]``, with no bar."""
    return _plot(
        [
            {
                "type": "bar",
                "orientation": "h",
                "y": [chart_labels.suppressed_label(_label(k), [v]) for k, v in values.items()],
                "x": [v if _is_num(v) else 0 for v in values.values()],
                "marker": {"color": PALETTE[0]},
                "text": [chart_labels.value_text(v, unit) for v in values.values()],
                "textposition": "outside",
                "textangle": 0,
                "cliponaxis": False,
            }
        ],
        {
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "xaxis": {**chart_labels.bar_axis(unit), "automargin": True},
            "margin": {"t": 10, "r": 60, "l": 10, "b": 50},
            "height": 80 + 28 * len(values),
        },
    )


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested objects as (label › label, leaf) rows."""
    if isinstance(value, dict):
        rows: list[tuple[str, Any]] = []
        for k, v in value.items():
            rows += _flatten(v, f"{prefix} › {_label(k)}" if prefix else _label(k))
        return rows
    if isinstance(value, list):
        return [(prefix, ", ".join(str(v) for v in value))]
    return [(prefix, value)]


def measure_block(
    mid: str, title: str, unit: str, result: Result, series: list[tuple[int, Result | None]]
) -> dict[str, Any]:
    """One measure as a table and, where it helps, a chart (breakdown bars or a trend line),
    laid out by the result's type."""
    value: Any = result.to_json()
    # counts of children say so; other counts (bed nights, households) are numbers
    axis_unit = "children" if getattr(result, "children", False) and unit in COUNTS else unit
    block: dict[str, Any] = {
        "id": mid,
        "title": title,
        "unit": unit,
        "rows": [],
        "cells": [],
        "headers": [],
        "chart": "",
    }
    if is_withheld(result):
        block["withheld"] = WITHHELD
        block["headline"] = disclosure.SUPPRESSED_TEXT
        return block
    if isinstance(result, Share):
        block["headers"] = ["Children", "Out of", "%"]
        block["rows"] = [
            [_cell(value["count"]), _cell(value["denominator"]), _cell(value.get("pct"))]
        ]
        block["cells"] = [
            [_raw(value["count"]), _raw(value["denominator"]), _raw(value.get("pct"))]
        ]
        block["headline"] = _cell(value.get("pct")) + ("%" if _is_num(value.get("pct")) else "")
    elif (
        isinstance(result, Table | Record)
        and value
        and all(isinstance(v, dict) for v in value.values())
    ):
        cols: list[str] = []
        for inner in value.values():
            cols += [k for k in inner if k not in cols]
        leaves_numeric = all(
            _is_num(x) or x in ("c", None) for inner in value.values() for x in inner.values()
        )
        if leaves_numeric and len(cols) <= 12:
            block["headers"] = ["", *[_label(c) for c in cols]]
            block["rows"] = [
                [_label(k), *[_cell(inner.get(c), unit) for c in cols]]
                for k, inner in value.items()
            ]
            block["cells"] = [
                [_label(k), *[_raw(inner.get(c)) for c in cols]] for k, inner in value.items()
            ]
            traces = [
                {
                    "type": "bar",
                    "name": _label(c),
                    "x": [
                        chart_labels.suppressed_label(_label(k), list(inner.values()))
                        for k, inner in value.items()
                    ],
                    "y": [
                        inner.get(c) if _is_num(inner.get(c)) else None for inner in value.values()
                    ],
                    "marker": {"color": PALETTE[i % len(PALETTE)]},
                }
                for i, c in enumerate(cols)
            ]
            block["chart"] = _plot(
                traces,
                {
                    "barmode": "stack",
                    "margin": {"t": 30, "r": 20, "l": 60, "b": 140},
                    "xaxis": {"automargin": True, "tickangle": -30},
                    "yaxis": {**chart_labels.bar_axis(axis_unit), "automargin": True},
                    "legend": {"orientation": "h", "y": -0.45},
                },
            )
        else:
            block["headers"] = ["", "Value"]
            block["rows"] = [[label, _cell(v, unit)] for label, v in _flatten(value)]
            block["cells"] = [[label, _raw(v)] for label, v in _flatten(value)]
    elif isinstance(value, dict):  # a Breakdown, Days, Series or Record
        flat = all(not isinstance(v, (dict, list)) for v in value.values())
        if not flat:
            block["headers"] = ["", "Value"]
            block["rows"] = [[label, _cell(v, unit)] for label, v in _flatten(value)]
            block["cells"] = [[label, _raw(v)] for label, v in _flatten(value)]
        else:
            block["headers"] = ["", "Children" if axis_unit == "children" else "Value"]
            block["rows"] = [[_label(k), _cell(v, unit)] for k, v in value.items()]
            block["cells"] = [[_label(k), _raw(v)] for k, v in value.items()]
            numeric = [v for v in value.values() if _is_num(v)]
            if len(numeric) > 1:
                block["chart"] = _hbar(
                    {k: v for k, v in value.items() if _is_num(v) or disclosure.is_suppressed(v)},
                    axis_unit,
                )
    else:
        block["headers"] = ["", "Value"]
        block["rows"] = [[title, _cell(value, unit)]]
        block["cells"] = [[title, _raw(value)]]
        block["headline"] = _cell(value, unit)
    # a trend line for single numbers and shares, over the loaded years
    points = [(y, _headline(v)) for y, v in series]
    if len(points) > 1 and any(_is_num(v) for _, v in points) and not block["chart"]:
        block["chart"] = _plot(
            [
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": [str(y) for y, _ in points],
                    "y": [v if _is_num(v) else None for _, v in points],
                    "line": {"color": PALETTE[0]},
                }
            ],
            {
                "xaxis": {"title": {"text": "Year ending 31 March"}, "type": "category"},
                "yaxis": {**chart_labels.axis(axis_unit), "rangemode": "tozero"},
            },
        )
        block["trend"] = [[str(y), _cell(v, unit)] for y, v in points]
    return block


def _headline(result: Result | None) -> Any:
    """The number a trend line plots for a result (a share's percentage; ``c`` when hidden)."""
    return None if result is None else result.headline


def benchmark_blocks(
    value: Any, titles: dict[str, str], year: int, units: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The ``benchmarks`` measure as one small comparison (chart + table) per measure that this
    council has a value for: this council against England, the region and statistical neighbours.
    ``units`` (measure -> unit) puts £ or % on the values and the axis."""
    if not isinstance(value, dict):
        return []
    blocks = []
    for mid, entry in value.items():
        if not isinstance(entry, dict) or not _is_num(entry.get("la")):
            continue
        comps = entry.get("comparators") or {}
        unit = (units or {}).get(mid, "")
        names = [f"This council ({year})"]
        values = [entry["la"]]
        rows = [[names[0], str(year), _cell(entry["la"]), "Our returns"]]
        for area in ("england", "region", "statistical_neighbours"):
            c = comps.get(area)
            if not c or not _is_num(c.get("value")):
                continue
            names.append(f"{AREA_TITLES[area]} ({c.get('year', '')})")
            values.append(c["value"])
            rows.append(
                [
                    AREA_TITLES[area],
                    str(c.get("year", "")),
                    _cell(c["value"]),
                    str(c.get("source") or ""),
                ]
            )
        if len(values) < 2:
            continue
        chart = _plot(
            [
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": names,
                    "x": values,
                    "text": [chart_labels.value_text(v, unit) for v in values],
                    "textposition": "outside",
                    "textangle": 0,
                    "cliponaxis": False,
                    "marker": {"color": [PALETTE[0], *[PALETTE[7]] * (len(values) - 1)]},
                }
            ],
            {
                "yaxis": {"automargin": True, "autorange": "reversed"},
                "xaxis": {**chart_labels.bar_axis(unit), "automargin": True},
                "margin": {"t": 10, "r": 60, "l": 10, "b": 40},
                "height": 60 + 34 * len(values),
            },
        )
        blocks.append(
            {"id": mid, "title": titles.get(mid, _label(mid)), "chart": chart, "rows": rows}
        )
    for i, b in enumerate(blocks):
        b["chart_id"] = f"bench-{i}"
    return blocks


def _results(
    ds: Any, years: list[int], filters: dict[str, str], suppress: bool, ids: list[str] | None
) -> dict[int, dict[str, Result]]:
    """Typed measure results for each year (cached per data revision, filters, suppression and
    ids). Suppressed and unfiltered, they are the published figures: every measure of the years
    shown protected together (``protected.viewer_years``); an analyst's suppressed filtered view
    suppresses each result on its own (internal use)."""
    key = (
        "dashboard results",
        tuple(years),
        tuple(sorted(filters.items())),
        suppress,
        tuple(ids) if ids else None,
    )
    return page_cache.cached(key, lambda: _compute(ds, years, filters, suppress, ids))


def _compute(
    ds: Any, years: list[int], filters: dict[str, str], suppress: bool, ids: list[str] | None
) -> dict[int, dict[str, Result]]:
    from sufficiency.measures import compute, suppressed

    if suppress and not any(filters.values()):
        published = published_figures(ds, years[-1])
        return {y: published.results[y] for y in years}
    out: dict[int, dict[str, Result]] = {}
    small_max = ds.profile.small_count_max
    for y in years:
        at = dt.date(y, 3, 31)
        results = compute(filter_dataset(ds, at, **filters), at, ids=ids)
        out[y] = (suppressed(results, small_max) if suppress else results).values
    return out


def published_figures(ds: Any, year: int) -> ViewerYears:
    """The protected measures of the years a page for ``year`` shows (cached per revision)."""
    return page_cache.cached(("published", year), lambda: viewer_years(ds, year))


def _template(request: HttpRequest) -> str:
    """htmx requests (filters, theme links) get just the dashboard body to swap in."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return "web/includes/dashboard_body.html"
    return "web/dashboard.html"


@requires("dashboard")
def home(request: HttpRequest) -> HttpResponse:
    """Overview (headlines, trend, benchmarks) or one theme's measures, for the chosen filters."""
    return rendered.page(request, _template(request), lambda: page_context(request))


def page_context(request: HttpRequest) -> dict[str, Any]:
    """What the dashboard shows this user for the request's year, theme and filters (the page
    and its downloads share it, so a download holds exactly the page's figures)."""
    ctx: dict[str, Any] = {"page_title": "Dashboard", "plotly_stylesheets": plotly_stylesheets()}
    if not ReturnYear.objects.exists():
        return {**ctx, "empty": True}
    result = bridge.current_dataset()
    ds = result.dataset
    if ds is None:
        errors = [p for p in result.problems if p.severity == "error"][:50]
        return {**ctx, "broken": errors}
    from sufficiency.measures import THEME_TITLES, load_catalogue

    catalogue = load_catalogue()
    years = sorted(ds.returns)
    try:
        year = int(request.GET.get("year", years[-1]))
    except ValueError:
        year = years[-1]
    year = year if year in years else years[-1]
    filters = requested_filters(request.GET)
    may_filter = can(request.user, "dashboard_filters")
    if not may_filter:  # viewers: the published figures only (filters could be subtracted)
        filters = dict.fromkeys(filters, "")
    may_unsuppress = can(request.user, "dashboard_unsuppressed")
    suppress = not (may_unsuppress and request.GET.get("suppress") == "0")
    themes: list[tuple[str, str]] = []
    for m in catalogue.values():
        if m.theme not in ("trends", "benchmarks") and m.theme not in [t for t, _ in themes]:
            themes.append((m.theme, THEME_TITLES.get(m.theme, _label(m.theme))))
    theme = request.GET.get("theme", "")
    theme = theme if theme in dict(themes) else ""
    shown = [y for y in years if y <= year][-5:]
    if theme:
        ids = [mid for mid, m in catalogue.items() if m.theme == theme]
    else:
        ids = [mid for mid in (*HEADLINES, "benchmarks") if mid in catalogue]
    per_year = _results(ds, shown, filters, suppress, ids)
    current = per_year[year]
    from sufficiency.measures.history import short_history

    # figures that read further back than the returns loaded: said beside each (measures.history)
    short = short_history(catalogue, ids, dt.date(year, 3, 31), min(years))
    blocks = []
    for mid in ids:
        if mid == "benchmarks" or mid not in current:
            continue
        m = catalogue[mid]
        block = measure_block(
            mid, m.title, m.unit, current[mid], [(y, per_year[y].get(mid)) for y in shown]
        )
        block["definition"] = m.definition
        block["source"] = m.source
        block["history"] = short.get(mid, "")
        block["listed"] = behind.listed_positions(mid, current[mid])
        prev = per_year[shown[-2]].get(mid) if len(shown) > 1 else None
        delta = change(_headline(prev), _headline(current[mid]))
        if isinstance(delta, int | float):  # the change on the year before, in the measure's unit
            block["change"] = chart_labels.change_text(delta, m.unit, shown[-2])
        blocks.append(block)
    for i, b in enumerate(blocks):
        b["chart_id"] = f"chart-{i}"
    titles = {mid: m.title for mid, m in catalogue.items()}
    bench = current.get("benchmarks")
    benches = (
        []
        if theme or bench is None
        else benchmark_blocks(
            bench.to_json(), titles, year, {mid: m.unit for mid, m in catalogue.items()}
        )
    )
    ctx.update(
        {
            "blocks": blocks,
            "headlines": [] if theme else blocks,
            "years": years,
            "year": year,
            "themes": themes,
            "theme": theme,
            "theme_title": dict(themes).get(theme, "Overview"),
            "filters": filters,
            "filtered": any(filters.values()),
            "filter_labels": {
                "age_band": _label(filters["age_band"]),
                "placement_type": _label(filters["placement_type"]),
            },
            "suppress": suppress,
            "may_filter": may_filter,
            "threshold": disclosure.threshold_text(ds.profile.small_count_max),
            "age_bands": [(a, _label(a)) for a in AGE_BANDS],
            "placement_types": list(PLACEMENT_TYPE_TITLES.items()),
            "council_name": ds.profile.name,
            "may_unsuppress": may_unsuppress,
            "benches": benches,
            "query": request.GET.urlencode(),
            "filter_query": "&".join(
                f"{k}={v}" for k, v in {**filters, "year": str(year)}.items() if v
            )
            + ("&suppress=0" if not suppress else ""),
        }
    )
    return ctx
