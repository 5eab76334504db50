"""Scenario comparison page: the baseline and the chosen scenarios each year of the horizon,
children and cost, and what each saves against the baseline, on the page and as CSV or XLSX.

The figures are the forecast library's ``forecast.compare.compare_scenarios`` of the same run the
forecast page shows (``forecast_views.run_cached``); this module only formats them.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.web import bridge
from sufficiency.web.accounts.roles import requires
from sufficiency.web.dashboard import chart_labels
from sufficiency.web.dashboard.downloads import XLSX_TYPE, xlsx_bytes
from sufficiency.web.dashboard.forecast_views import (
    HORIZONS,
    PALETTE,
    chosen_horizon,
    parsed_scenarios,
    run_cached,
)
from sufficiency.web.dashboard.models import Scenario
from sufficiency.web.exports import attachment, csv_response
from sufficiency.web.frontend import plotly_stylesheets

HEADERS = [
    "Year ending 31 March",
    "Scenario",
    "Children looked after at 31 March",
    "Cost in the year (£)",
    "Children saved on the baseline",
    "Cost saved on the baseline (£)",
]
DEFINITION = (
    "Expected children looked after at 31 March and the cost of the financial year ending then, "
    "for the baseline (recent rates continue) and each scenario; saved = baseline minus "
    "scenario (positive: fewer children, less spent). A part year is the horizon's share of it."
)


def _number(value: float | None, money: bool = False, signed: bool = False) -> str:
    """A figure for the page: £ and whole pounds for money, one decimal for children, a sign
    on savings; "–" where there is none."""
    if value is None:
        return "–"
    digits = 0 if money else 1
    shown = round(value, digits)
    sign = "-" if shown < 0 else "+" if signed and shown > 0 else ""
    return sign + ("£" if money else "") + f"{abs(shown):,.{digits}f}"


def page_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The comparison's rows as the page shows them (figures rounded, "–" where none)."""
    return [
        [
            str(r["year"]),
            r["scenario"],
            _number(r["children"]),
            _number(r["cost"], money=True) + (" (part year)" if r["cost_partial"] else ""),
            _number(r["children_saved"], signed=True) if r["scenario"] != "baseline" else "",
            _number(r["cost_saved"], money=True, signed=True)
            if r["scenario"] != "baseline"
            else "",
        ]
        for r in rows
    ]


def download_rows(rows: list[dict[str, Any]], described: dict[str, str]) -> list[list[Any]]:
    """The rows a download holds: figures unrounded, blank where none, each scenario's words."""
    keys = ("year", "scenario", "children", "cost", "children_saved", "cost_saved")
    return [
        [*("" if r[k] is None else r[k] for k in keys), described.get(r["scenario"], "")]
        for r in rows
    ]


def saving_chart(rows: list[dict[str, Any]], column: str, unit: str) -> str | None:
    """Grouped bars of ``column`` (children_saved or cost_saved) each year, one colour per
    scenario, as a Plotly spec for ``web/charts.js``; None when no year has the figure."""
    shown = [r for r in rows if r["scenario"] != "baseline" and r[column] is not None]
    if not shown:
        return None
    names = list(dict.fromkeys(r["scenario"] for r in shown))
    spec = {
        "data": [
            {
                "type": "bar",
                "name": name,
                "x": [str(r["year"]) for r in shown if r["scenario"] == name],
                "y": [
                    round(r[column], 0 if unit == "money" else 1)
                    for r in shown
                    if r["scenario"] == name
                ],
                "marker": {"color": PALETTE[(i + 1) % len(PALETTE)]},
            }
            for i, name in enumerate(names)
        ],
        "layout": {
            "barmode": "group",
            "xaxis": {"title": {"text": "Year ending 31 March"}, "type": "category"},
            "yaxis": {**chart_labels.bar_axis(unit), "automargin": True},
            "height": 320,
            "margin": {"t": 50, "r": 20, "l": 80, "b": 60},
            "legend": {"orientation": "h", "x": 0, "y": 1.15},
            "showlegend": True,
        },
    }
    return json.dumps(spec).replace("<", "\\u003c")


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@requires("forecast")
def scenario_compare(request: HttpRequest, fmt: str = "") -> HttpResponse:
    """``/forecast/compare/?scenario=a&scenario=b&horizon=36`` (every saved scenario when none is
    chosen); ``/forecast/compare/download/csv/`` or ``.../xlsx/`` with the same query."""
    if fmt not in ("", "csv", "xlsx"):
        raise Http404
    from sufficiency.forecast.compare import compare_scenarios
    from sufficiency.forecast.scenarios import ScenarioError

    saved = list(Scenario.objects.order_by("name"))
    horizon = chosen_horizon(request)
    ctx: dict[str, Any] = {
        "page_title": "Compare scenarios",
        "horizons": HORIZONS,
        "horizon": horizon,
        "saved": [s.name for s in saved],
    }
    ds = bridge.dataset_or_none()
    if ds is None:
        if fmt:
            return _text("No figures to download: no return is loaded yet.", 409)
        return render(request, "web/scenario_compare.html", {**ctx, "empty": True})
    scenarios, texts = parsed_scenarios(request, saved)
    try:
        result = run_cached(ds, horizon, scenarios, texts)
    except (ValueError, ScenarioError) as exc:
        ctx["error"] = f"The forecast could not run: {exc}"
        return render(request, "web/scenario_compare.html", ctx, status=409)
    available = [n for n in result.scenarios if n != "baseline"]
    asked = request.GET.getlist("scenario")
    unknown = [n for n in asked if n not in available]
    if unknown:
        message = (
            f"scenario: expected a saved scenario ({', '.join(available) or 'none saved'}), "
            f"not {unknown[0]!r}"
        )
        if fmt:
            return _text(message, 400)
        ctx["error"] = message
        asked = []
    chosen = asked or available
    rows = compare_scenarios(result.scenarios, chosen).rows(named=True)
    described = {n: result.scenarios[n].description for n in ["baseline", *chosen]}
    described["baseline"] = described["baseline"] or "No changes: recent rates continue"
    name = f"scenario-comparison-{horizon}-months"
    if fmt == "csv":
        return csv_response(
            f"{name}.csv", [*HEADERS, "What changes"], download_rows(rows, described)
        )
    if fmt == "xlsx":
        block = {
            "id": "scenario_comparison",
            "title": "Scenarios compared each year",
            "headers": [*HEADERS, "What changes"],
            "cells": download_rows(rows, described),
            "definition": DEFINITION,
            "source": f"sufficiency forecast, reference {result.reference_start} to "
            f"{result.reference_end}",
        }
        from sufficiency.web.data.context import council

        book = xlsx_bytes(
            {"year": result.scenarios["baseline"].horizon_end.year, "suppress": False}
            | council(request),
            [block],
        )
        return attachment(book, XLSX_TYPE, f"{name}.xlsx")
    ctx.update(
        {
            "headers": HEADERS,
            "rows": page_rows(rows),
            "chosen": chosen,
            "described": [(n, described[n]) for n in ["baseline", *chosen]],
            "query": request.GET.urlencode(),
            "definition": DEFINITION,
            "children_chart": saving_chart(rows, "children_saved", "children"),
            "cost_chart": saving_chart(rows, "cost_saved", "money"),
            "plotly_stylesheets": plotly_stylesheets(),
        }
    )
    return render(request, "web/scenario_compare.html", ctx, status=400 if unknown else 200)
