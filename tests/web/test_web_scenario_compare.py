"""Scenario comparison over the whole horizon on the web: each year's children and cost for the
baseline and the chosen scenarios, and what each saves, equal to the forecast computed directly;
downloadable as CSV (formula-safe) and XLSX."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import openpyxl
from django.test import Client

HALF = (
    'description: "=HYPERLINK(\\"http://evil\\")"\n'
    "entries:\n  - {category: external_residential, multiply: 0.5}\n"
)
DOUBLE = "entries:\n  - {category: external_residential, multiply: 2}\n"


def _direct(texts: dict[str, str], horizon: int) -> dict[str, Any]:
    """The forecast computed directly by the library, as ``forecast --json``."""
    import yaml

    from sufficiency.forecast import run_forecast
    from sufficiency.forecast.scenarios import scenario_from_mapping
    from sufficiency.web import bridge

    scenarios = [scenario_from_mapping({**yaml.safe_load(t), "name": n}) for n, t in texts.items()]
    ds = bridge.dataset_or_none()
    return run_forecast(ds, horizon_months=horizon, scenarios=scenarios).to_json()["scenarios"]


def test_the_comparison_is_the_difference_of_the_forecasts_and_downloads_safely(
    loaded: Path, users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.dashboard.models import Scenario

    for name, text in (("half", HALF), ("double", DOUBLE)):
        Scenario.objects.create(name=name, text=text, owner=users["analyst"])
    director = client_for("director")
    page = director.get("/forecast/compare/", {"scenario": "half", "horizon": "24"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="compare-table"' in html and "double</td>" not in html
    assert html.count('class="app-chart"') == 2  # children and cost saved
    assert '"imageFormats": ["png", "svg"]' in html  # each downloads as PNG and SVG

    direct = _direct({"half": HALF, "double": DOUBLE}, 24)
    base, half = direct["baseline"], direct["half"]
    years = [y["year"] for y in base["yearly"]]
    assert years == [2025, 2026]
    base_cost = {c["year"]: c["total"] for c in base["costs"]["by_year"]}
    half_cost = {c["year"]: c["total"] for c in half["costs"]["by_year"]}
    assert sorted(base_cost) == [2025, 2026]

    got = director.get("/forecast/compare/download/csv/", {"scenario": "half", "horizon": "24"})
    assert got["Content-Disposition"] == 'attachment; filename="scenario-comparison-24-months.csv"'
    rows = list(csv.reader(io.StringIO(got.content.decode())))
    assert rows[0] == [
        "Year ending 31 March",
        "Scenario",
        "Children looked after at 31 March",
        "Cost in the year (£)",
        "Children saved on the baseline",
        "Cost saved on the baseline (£)",
        "What changes",
    ]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("2025", "baseline"),
        ("2025", "half"),
        ("2026", "baseline"),
        ("2026", "half"),
    ]
    spec = re.search(r'id="children-saved-chart"[^>]*data-spec="([^"]*)"', html)
    assert spec is not None
    [chart] = json.loads(unescape(spec.group(1)))["data"]
    assert chart["name"] == "half"
    for i, year in enumerate(years):
        b = base["yearly"][i]["total"]["mean"]
        s = half["yearly"][i]["total"]["mean"]
        baseline_row, half_row = rows[1 + 2 * i], rows[2 + 2 * i]
        assert [float(x) for x in baseline_row[2:6]] == [b, base_cost[year], 0.0, 0.0]
        assert [float(x) for x in half_row[2:6]] == [
            s,
            half_cost[year],
            round(b - s, 4),
            round(base_cost[year] - half_cost[year], 2),
        ]
        assert b - s > 0  # fewer children in external homes: children saved
        assert f"+{b - s:,.1f}" in html
        assert chart["x"][i] == str(year) and chart["y"][i] == round(b - s, 1)
    # the scenario's words start with '=': neutralised in the CSV, text in the workbook
    assert rows[2][6] == '\'=HYPERLINK("http://evil")'
    assert rows[1][6] == "No changes: recent rates continue"

    book = director.get("/forecast/compare/download/xlsx/", {"scenario": "half", "horizon": "24"})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content))["Scenarios compared each year"]
    assert sheet["A4"].value == "Year ending 31 March"
    assert sheet["B6"].value == "half"
    assert sheet["E6"].value == round(
        base["yearly"][0]["total"]["mean"] - half["yearly"][0]["total"]["mean"], 4
    )
    assert sheet["G6"].value == '=HYPERLINK("http://evil")' and sheet["G6"].data_type == "s"

    # none ticked: every saved scenario; an unknown one is a named error
    every = director.get("/forecast/compare/download/csv/", {"horizon": "24"}).content.decode()
    assert [r[1] for r in csv.reader(io.StringIO(every))][1:4] == ["baseline", "double", "half"]
    bad = director.get("/forecast/compare/download/csv/", {"scenario": "nope", "horizon": "24"})
    assert bad.status_code == 400
    assert bad.content.decode() == "scenario: expected a saved scenario (double, half), not 'nope'"
    assert client_for("viewer").get("/forecast/compare/").status_code == 403
