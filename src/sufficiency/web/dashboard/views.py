"""Dashboard: the measure catalogue as pages with tables, charts, filters and trends.

Numbers come from the library's measure functions (the same ones the CLI and statement use);
viewers always see suppressed figures.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.codes import AGE_BANDS, PLACEMENT_TYPE_TITLES
from sufficiency.web import bridge
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.dashboard.filters import filter_dataset
from sufficiency.web.data.models import ReturnYear

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _label(key: str) -> str:
    return PLACEMENT_TYPE_TITLES.get(key, key.replace("_", " "))


def _cell(v: Any) -> str:
    if v is None:
        return "–"
    if v == "c":
        return "[c]"
    if isinstance(v, float):
        return f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _render_value(mid: str, title: str, value: Any) -> dict[str, Any]:
    """A measure value as a small table (and a chart spec for breakdowns)."""
    block: dict[str, Any] = {
        "id": mid,
        "title": title,
        "rows": [],
        "headers": ["", "Value"],
        "chart": None,
    }
    if isinstance(value, dict) and {"count", "denominator"} <= set(value):
        block["headers"] = ["Count", "Out of", "%"]
        block["rows"] = [
            [_cell(value["count"]), _cell(value["denominator"]), _cell(value.get("pct"))]
        ]
    elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        cols: list[str] = []
        for inner in value.values():
            cols += [k for k in inner if k not in cols]
        block["headers"] = ["", *[_label(c) for c in cols]]
        block["rows"] = [
            [_label(k), *[_cell(inner.get(c)) for c in cols]] for k, inner in value.items()
        ]
    elif isinstance(value, dict):
        block["headers"] = ["", "Children"]
        block["rows"] = [[_label(k), _cell(v)] for k, v in value.items()]
        numeric = {k: v for k, v in value.items() if isinstance(v, (int, float))}
        if numeric:
            block["chart"] = {
                "data": [
                    {
                        "type": "bar",
                        "x": list(map(_label, numeric)),
                        "y": list(numeric.values()),
                        "marker": {"color": PALETTE[0]},
                    }
                ],
                "layout": {
                    "title": {"text": title},
                    "yaxis": {"title": {"text": "Children"}},
                    "margin": {"b": 120},
                    "height": 360,
                },
            }
    else:
        block["rows"] = [[title, _cell(value)]]
    return block


@requires("dashboard")
def home(request: HttpRequest) -> HttpResponse:
    """Overview: filters, themes and every measure for the chosen year."""
    result = bridge.current_dataset() if ReturnYear.objects.exists() else None
    ds = result.dataset if result else None
    if ds is None:
        return render(request, "web/dashboard.html", {"page_title": "Dashboard", "empty": True})
    from sufficiency.measures import compute, load_catalogue, results_json
    from sufficiency.measures.catalogue import CATALOGUE

    load_catalogue()
    years = list(ds.returns)
    try:
        year = int(request.GET.get("year", years[-1]))
    except ValueError:
        year = years[-1]
    year = year if year in years else years[-1]
    at = dt.date(year, 3, 31)
    filters = {k: request.GET.get(k, "") for k in ("uasc", "age_band", "placement_type")}
    suppress = not (
        can(request.user, "dashboard_unsuppressed") and request.GET.get("suppress") == "0"
    )
    sub = filter_dataset(ds, at, **filters)
    data = results_json(compute(sub, at), suppress=suppress)
    theme = request.GET.get("theme", "")
    themes = sorted({m.theme for m in CATALOGUE.values()})
    blocks = []
    for mid, value in data["measures"].items():
        m = CATALOGUE.get(mid)
        if m is None or (theme and m.theme != theme):
            continue
        block = _render_value(mid, m.title, value)
        block["definition"] = m.definition
        block["theme"] = m.theme
        blocks.append(block)
    trend = []
    for y in years:
        r = results_json(
            compute(
                filter_dataset(ds, dt.date(y, 3, 31), **filters),
                dt.date(y, 3, 31),
                ids=["cla_count"],
            ),
            suppress=suppress,
        )
        trend.append((y, r["measures"].get("cla_count")))
    trend_chart = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [f"31 Mar {y}" for y, _ in trend],
                "y": [v if isinstance(v, (int, float)) else None for _, v in trend],
                "line": {"color": PALETTE[0]},
            }
        ],
        "layout": {
            "title": {"text": "Children looked after at 31 March"},
            "yaxis": {"title": {"text": "Children"}},
            "height": 320,
        },
    }
    for i, b in enumerate(blocks):
        if b["chart"]:
            b["chart_json"] = json.dumps(b["chart"]).replace("<", "\\u003c")
            b["chart_id"] = f"chart-{i}"
    return render(
        request,
        "web/dashboard.html",
        {
            "page_title": "Dashboard",
            "blocks": blocks,
            "years": years,
            "year": year,
            "themes": themes,
            "theme": theme,
            "filters": filters,
            "suppress": suppress,
            "age_bands": AGE_BANDS,
            "placement_types": list(PLACEMENT_TYPE_TITLES.items()),
            "trend": trend,
            "trend_json": json.dumps(trend_chart).replace("<", "\\u003c"),
            "council_name": ds.profile.name,
            "may_unsuppress": can(request.user, "dashboard_unsuppressed"),
        },
    )
