# mypy: allow-subclassing-any
"""Forecast pages: run the forecast with saved scenarios, compare them, see the gap."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.web import bridge
from sufficiency.web.accounts.roles import requires
from sufficiency.web.dashboard.models import Scenario

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["name", "text"]  # noqa: RUF012
        labels = {"name": "Scenario name", "text": "Scenario (YAML)"}  # noqa: RUF012
        widgets = {"text": forms.Textarea(attrs={"rows": 14, "spellcheck": "false"})}  # noqa: RUF012

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save scenario"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("text", "")
        if text:
            error = _scenario_error(data.get("name") or "scenario", text)
            if error:
                self.add_error("text", error)
        return data


def _scenario_files(tmp: Path, scenarios: list[Scenario]) -> list[Path]:
    paths = []
    for s in scenarios:
        p = tmp / f"{s.pk}.yaml"
        p.write_text(s.text, encoding="utf-8")
        paths.append(p)
    return paths


def _scenario_error(name: str, text: str) -> str:
    """The library's message if the scenario text is invalid, else ''."""
    from sufficiency.forecast.scenarios import ScenarioError, load_scenarios

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_scenarios([path])
        except ScenarioError as exc:
            return str(exc)
    return ""


@requires("forecast")
def scenario_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Scenario, pk=pk) if pk else None
    form = ScenarioForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Scenario saved.")
        return redirect("/forecast/")
    return render(
        request,
        "web/form.html",
        {
            "page_title": "Edit scenario" if instance else "New scenario",
            "form": form,
            "intro": "Multiply or add to rates, plan moves between placement types, set entry-rate targets "
            "or population growth. The format is described in docs/forecast.md.",
        },
    )


@requires("forecast")
def forecast_page(request: HttpRequest) -> HttpResponse:
    """Baseline and every saved scenario, compared at the horizon, with the gap for the chosen one."""
    ds = bridge.dataset_or_none()
    saved = list(Scenario.objects.order_by("name"))
    ctx: dict[str, Any] = {"page_title": "Forecast", "scenarios": saved}
    if ds is None:
        ctx["empty"] = True
        return render(request, "web/forecast.html", ctx)
    from sufficiency.forecast import run_forecast
    from sufficiency.forecast.scenarios import ScenarioError, load_scenarios

    try:
        horizon = max(1, min(120, int(request.GET.get("horizon", "36"))))
    except ValueError:
        horizon = 36
    with tempfile.TemporaryDirectory() as tmp:
        try:
            scenarios = load_scenarios(_scenario_files(Path(tmp), saved))
        except ScenarioError as exc:
            messages.error(request, f"A saved scenario is invalid: {exc}")
            scenarios = []
    result = run_forecast(ds, horizon_months=horizon, scenarios=scenarios)
    data = result.to_json()
    rows = []
    traces = []
    for i, (name, sc) in enumerate(data["scenarios"].items()):
        total = sc["at_horizon"]["total"]
        rows.append(
            [
                name,
                sc["horizon_end"],
                f"{total['mean']:.1f}",
                f"{total['p10']:.1f} – {total['p90']:.1f}",
                f"{total['p2_5']:.1f} – {total['p97_5']:.1f}",
            ]
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": name,
                "x": [m["date"] for m in sc["monthly"]],
                "y": [m["total"]["mean"] for m in sc["monthly"]],
                "line": {"color": PALETTE[i % len(PALETTE)]},
            }
        )
    chart = {
        "data": traces,
        "layout": {
            "title": {"text": "Children looked after: expected number by scenario"},
            "yaxis": {"title": {"text": "Children"}},
            "height": 380,
        },
    }
    gap_rows: list[list[Any]] = []
    gap_name = request.GET.get("gap", "baseline")
    try:
        from sufficiency.supply.gap import gap_for_forecast

        gap = gap_for_forecast(ds, result, scenario=gap_name)
        for y in gap["years"]:
            for t, v in y["by_type"].items():
                gap_rows.append(
                    [
                        y["year"],
                        t.replace("_", " "),
                        f"{v['need']:.1f}",
                        f"{v['capacity']:.1f}",
                        f"{v['shortfall']:.1f}",
                        f"£{v['shortfall_cost']:,.0f}"
                        if v.get("shortfall_cost") is not None
                        else "–",
                    ]
                )
    except (ImportError, KeyError, ValueError) as exc:
        ctx["gap_error"] = str(exc)
    ctx.update(
        {
            "headers": ["Scenario", "Horizon", "Expected children", "80% range", "95% range"],
            "rows": rows,
            "chart_json": json.dumps(chart).replace("<", "\\u003c"),
            "horizon": horizon,
            "gap_headers": [
                "Year",
                "Placement type",
                "Need",
                "Capacity",
                "Shortfall",
                "Shortfall cost",
            ],
            "gap_rows": gap_rows,
            "gap_name": gap_name,
            "scenario_names": list(data["scenarios"]),
        }
    )
    return render(request, "web/forecast.html", ctx)
