# mypy: allow-subclassing-any
"""Forecast pages: run the forecast with saved scenarios, compare them, see the sufficiency gap.

The projection is the library's ``forecast.run_forecast`` and the gap ``supply.gap.gap_for_forecast``
(the numbers ``sufficiency forecast`` and ``sufficiency gap`` print). Scenarios are saved as YAML
in the library's scenario format and validated by the library before they are saved.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.report.sections.blocks import year_label
from sufficiency.strict_load import DuplicateKeyError, load_yaml
from sufficiency.web import bridge, listing, page_cache, rendered
from sufficiency.web.accounts.roles import can, post_only, requires
from sufficiency.web.dashboard.models import Scenario
from sufficiency.web.dashboard.scenario_limits import (
    MULTIPLY_MAX,
    Limits,
    limit_errors,
    observed_limits,
)
from sufficiency.web.frontend import plotly_stylesheets

PALETTE = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#5694ca", "#d4351c", "#505a5f"]
HORIZONS = (12, 24, 36, 60)
EXAMPLE = """description: 8 children step down from residential to in-house fostering next year
moves:
  - {from: external_residential, to: in_house_fostering, number: 8, start: 2026-04-01, end: 2027-03-31}
entries:
  - {category: external_residential, multiply: 0.8}
"""


def _mapping(name: str, text: str) -> dict[str, Any]:
    """The scenario text as a mapping named ``name``; raises ValueError with a clear message."""
    try:
        raw = load_yaml(text) if text.strip() else {}
    except DuplicateKeyError as exc:
        raise ValueError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise ValueError(f"not valid YAML: {exc}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValueError(
            "a scenario is a mapping of keys (description, rates, entries, moves, ...), one scenario per entry"
        )
    return {**raw, "name": name}


def scenario_error(name: str, text: str, limits: Limits | None = None) -> str:
    """The first reason the scenario cannot be saved, else '': the library's checks of its
    format (forecast.scenarios), its category and age names (those of the model config the
    forecast page runs) and its supply assumptions (supply.gap), then the web's bounds on
    multipliers and additions (``scenario_limits``). Nothing is fitted here."""
    return next(iter(scenario_errors(name, text, limits)), "")


def scenario_errors(name: str, text: str, limits: Limits | None) -> list[str]:
    """Every reason the scenario cannot be saved (the library's first, else each bound broken)."""
    from pydantic import ValidationError

    from sufficiency.forecast.config import load_model_config
    from sufficiency.forecast.scenarios import ScenarioError, scenario_from_mapping
    from sufficiency.supply.gap import supply_scenario

    try:
        scenario = scenario_from_mapping(_mapping(name, text), source="scenario")
        config = load_model_config("default")
        scenario.check_names(config.category_names, config.bracket_names)
        supply_scenario(scenario)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "scenario"
        return [f"scenario: {where}: {err['msg']}"]
    except (ValueError, ScenarioError) as exc:
        return [str(exc)]
    return limit_errors(scenario, limits)


def current_limits() -> Limits | None:
    """The bounds of additions for the loaded data (None before any return is loaded)."""
    ds = bridge.dataset_or_none()
    return observed_limits(ds, bridge.revision()) if ds is not None else None


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ("name", "text")
        labels = {"name": "Scenario name", "text": "Changes (YAML)"}  # noqa: RUF012
        help_texts = {"name": "Letters, numbers and underscores, for example step_down."}  # noqa: RUF012
        widgets = {  # noqa: RUF012
            "text": forms.Textarea(
                attrs={"rows": 14, "spellcheck": "false", "class": "govuk-textarea app-code"}
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save scenario"))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        name = data.get("name") or ""
        if name == "baseline":
            self.add_error("name", "baseline is the forecast without changes: choose another name.")
        elif name and not name.replace("_", "").replace("-", "").isalnum():
            self.add_error("name", "Use only letters, numbers, - and _ in the name.")
        if name and not self.errors:
            for error in scenario_errors(name, data.get("text") or "", current_limits()):
                self.add_error("text", error)
        return data


def _own(request: HttpRequest, pk: int) -> Scenario:
    """The scenario ``pk`` if the user saved it: others may copy it, not change or delete it."""
    scenario: Scenario = get_object_or_404(Scenario, pk=pk)
    if not scenario.owned_by(request.user):
        raise PermissionDenied
    return scenario


def _copy_name(name: str) -> str:
    """A free name for a copy of scenario ``name``: name_copy, name_copy2, ..."""
    taken = set(Scenario.objects.values_list("name", flat=True))
    base = f"{name}_copy"[:70]
    return next(n for n in (base, *(f"{base}{i}" for i in range(2, 1000))) if n not in taken)


@requires("scenario_edit")
def scenario_edit(
    request: HttpRequest, pk: int | None = None, copy_of: int | None = None
) -> HttpResponse:
    """Create, change (its owner only) or copy a named scenario, checked before it is saved."""
    instance = _own(request, pk) if pk else None
    initial: dict[str, str] | None = None if instance else {"text": EXAMPLE}
    source = get_object_or_404(Scenario, pk=copy_of) if copy_of else None
    if source is not None:
        initial = {"name": _copy_name(source.name), "text": source.text}
    form = ScenarioForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            if instance is None:
                saved.owner = request.user
            saved.save()
            messages.success(request, f"Scenario {saved.name} saved.")
            return redirect("/forecast/")
        status = 400
    else:
        status = 200
    title = (
        f"Edit scenario {instance.name}"
        if instance
        else f"Copy scenario {source.name}"
        if source
        else "New scenario"
    )
    return render(
        request,
        "web/scenario.html",
        {
            "page_title": title,
            "form": form,
            "instance": instance,
            "categories": list(PLACEMENT_TYPE_TITLES),
            "multiply_max": MULTIPLY_MAX,
            "limits": current_limits(),
        },
        status=status,
    )


@requires("scenario_edit")
def scenario_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """A new scenario of the user's own, starting from someone's saved one."""
    return scenario_edit(request, copy_of=pk)


@requires("scenario_edit")
@post_only
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a scenario: its owner, or an administrator for one saved before owners."""
    scenario: Scenario = get_object_or_404(Scenario, pk=pk)
    orphan_by_admin = scenario.owner_id is None and can(request.user, "audit")
    if not (scenario.owned_by(request.user) or orphan_by_admin):
        raise PermissionDenied
    scenario.delete()
    messages.success(request, f"Scenario {scenario.name} deleted.")
    return redirect("/forecast/")


def recorded_counts(ds: Any) -> list[tuple[str, int]]:
    """Children looked after at each 31 March of the loaded returns (the measure ``cla_count``),
    drawn beside the projection."""
    from sufficiency.dates import year_end
    from sufficiency.measures import compute
    from sufficiency.results import scalar

    out = []
    for year in sorted(ds.returns):
        at = year_end(year)
        value = scalar(compute(ds, at, ids=["cla_count"]).values.get("cla_count"))
        if isinstance(value, int):
            out.append((at.isoformat(), value))
    return out


def _target_text(t: dict[str, Any]) -> str:
    """One forecast target entry (``forecast --json``) in words: met or not by its date, or why
    it cannot be judged."""
    if t.get("direction") is None:
        return f"{t['measure_id']}: direction needed (add up or down in registers/targets)"
    met = t.get("met_by_target_date")
    if met is None:
        return f"{t['measure_id']}: not forecast to {t.get('target_date') or 'its date'}"
    return f"{t['measure_id']}: {'met' if met else 'not met'} by {t['target_date']}"


def _band_text(band: dict[str, float], lo: str, hi: str) -> str:
    """A range as the statement prints it (one decimal place)."""
    return f"{band[lo]:,.1f} to {band[hi]:,.1f}"


def _money(v: Any) -> str:
    return f"£{v:,.0f}" if isinstance(v, (int, float)) else "–"


def chosen_horizon(request: HttpRequest) -> int:
    """The horizon asked for (``?horizon=``, months), one of HORIZONS; 36 otherwise."""
    try:
        horizon = int(request.GET.get("horizon", "36"))
    except ValueError:
        horizon = 36
    return horizon if horizon in HORIZONS else 36


def parsed_scenarios(
    request: HttpRequest, saved: list[Scenario]
) -> tuple[list[Any], tuple[tuple[str, str], ...]]:
    """The saved scenarios in the library's form (one that cannot be read is left out, with a
    message) and their texts (the cache key of the forecast run with them)."""
    from sufficiency.forecast.scenarios import ScenarioError, scenario_from_mapping

    scenarios = []
    for s in saved:
        try:
            scenarios.append(
                scenario_from_mapping(_mapping(s.name, s.text), source=f"scenario {s.name}")
            )
        except (ValueError, ScenarioError) as exc:
            messages.error(request, f"Scenario {s.name} was left out: {exc}")
    return scenarios, tuple((s.name, s.text) for s in saved)


def run_cached(
    ds: Any, horizon: int, scenarios: list[Any], texts: tuple[tuple[str, str], ...]
) -> Any:
    """``run_forecast`` of the baseline and ``scenarios``, cached per data version (the forecast
    page and the comparison share one run). Raises ValueError or ScenarioError."""
    from sufficiency.forecast import run_forecast

    return page_cache.cached(
        ("forecast", horizon, texts),
        lambda: run_forecast(ds, horizon_months=horizon, scenarios=scenarios),
    )


#: The saved scenarios list's filter.
SCENARIO_FILTERS = (listing.Filter("q", "Scenario name contains"),)


@requires("forecast")
def forecast_page(request: HttpRequest) -> HttpResponse:
    """Baseline and every saved scenario, compared at the horizon, with the gap for the chosen one;
    the saved scenarios listed a page at a time (filtered by name)."""
    # the saved scenarios say which are the user's own (theirs to change): kept per user
    return rendered.page(
        request, "web/forecast.html", lambda: _forecast_context(request), per_user=True
    )


def _forecast_context(request: HttpRequest) -> dict[str, Any]:
    saved = list(Scenario.objects.select_related("owner").order_by("name"))
    for s in saved:
        s.mine = s.owned_by(request.user)
    values = listing.read(request, SCENARIO_FILTERS)
    listed = [s for s in saved if values["q"].lower() in s.name.lower()]
    keep = {k: request.GET.get(k, "")[: listing.MAX_TEXT] for k in ("horizon", "gap")}
    ctx: dict[str, Any] = {
        "page_title": "Forecast",
        "scenario_count": len(saved),
        **listing.context(request, listed, SCENARIO_FILTERS, values, keep),
        "plotly_stylesheets": plotly_stylesheets(),
        "horizons": HORIZONS,
    }
    ds = bridge.dataset_or_none()
    if ds is None:
        ctx["empty"] = True
        return ctx
    from sufficiency.forecast.scenarios import ScenarioError

    horizon = chosen_horizon(request)
    scenarios, texts = parsed_scenarios(request, saved)
    try:
        result = run_cached(ds, horizon, scenarios, texts)
    except (ValueError, ScenarioError) as exc:
        messages.error(request, f"The forecast could not run: {exc}")
        ctx["empty"] = True
        return ctx
    data = page_cache.cached(("forecast json", horizon, texts), result.to_json)
    names = list(data["scenarios"])
    rows, traces = [], []
    for i, (name, sc) in enumerate(data["scenarios"].items()):
        colour = PALETTE[i % len(PALETTE)]
        total = sc["at_horizon"]["total"]
        costs = (sc.get("costs") or {}).get("by_year") or []
        targets = sc.get("targets") or []
        rows.append(
            [
                name,
                sc.get("description")
                or ("No changes: recent rates continue" if name == "baseline" else ""),
                f"{total['mean']:,.1f}",  # as the statement prints it
                _band_text(total, "p10", "p90"),
                _band_text(total, "p2_5", "p97_5"),
                _money(costs[-1]["total"]) + f" ({year_label(costs[-1]['year'])})"
                if costs
                else "–",
                "; ".join(_target_text(t) for t in targets) or "–",
            ]
        )
        months = [m["date"] for m in sc["monthly"]]
        if i == 0:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": months + months[::-1],
                    "y": [m["total"]["p90"] for m in sc["monthly"]]
                    + [m["total"]["p10"] for m in sc["monthly"]][::-1],
                    "fill": "toself",
                    "fillcolor": "rgba(29,112,184,0.15)",
                    "line": {"width": 0},
                    "name": "baseline 80% range",
                    "hoverinfo": "skip",
                }
            )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": name,
                "x": months,
                "y": [round(m["total"]["mean"], 1) for m in sc["monthly"]],
                "line": {"color": colour, "width": 3},
            }
        )
    recorded = recorded_counts(ds)
    if recorded:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "recorded (31 March)",
                "x": [d for d, _ in recorded],
                "y": [v for _, v in recorded],
                "marker": {"color": "#0b0c0c", "size": 8},
            }
        )
    chart = {
        "data": traces,
        "layout": {
            "yaxis": {"title": {"text": "Children looked after"}, "rangemode": "tozero"},
            "height": 380,
            "margin": {"t": 20, "r": 20, "l": 60, "b": 40},
            "legend": {"orientation": "h"},
        },
    }
    cats = [
        c
        for c in data["categories"]
        if any(
            sc["at_horizon"]["by_category"][c]["mean"] >= 0.5 for sc in data["scenarios"].values()
        )
    ]
    by_cat = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": [PLACEMENT_TYPE_TITLES.get(c, c) for c in cats],
                "x": [round(sc["at_horizon"]["by_category"][c]["mean"], 1) for c in cats],
                "marker": {"color": PALETTE[i % len(PALETTE)]},
            }
            for i, (name, sc) in enumerate(data["scenarios"].items())
        ],
        "layout": {
            "barmode": "group",
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "height": 80 + 24 * len(cats) * max(1, len(names)),
            "margin": {"t": 10, "r": 20, "l": 10, "b": 40},
            "legend": {"orientation": "h"},
        },
    }
    cat_rows = [
        [
            PLACEMENT_TYPE_TITLES.get(c, c),
            *[
                f"{sc['at_horizon']['by_category'][c]['mean']:,.1f}"
                for sc in data["scenarios"].values()
            ],
        ]
        for c in cats
    ]
    gap_name = request.GET.get("gap", "baseline")
    gap_name = gap_name if gap_name in names else "baseline"
    gap_rows: list[dict[str, Any]] = []
    try:
        from sufficiency.supply.gap import gap_for_forecast, supply_scenario

        chosen = next((s for s in scenarios if s.name == gap_name), None)
        supply = supply_scenario(chosen) if chosen else None
        gap = page_cache.cached(
            ("gap", horizon, texts, gap_name),
            lambda: gap_for_forecast(ds, result, scenario=gap_name, gap_scenario=supply),
        )
        for y in gap["years"]:
            for t, v in y["by_type"].items():
                gap_rows.append(
                    {
                        "year": y["year"],
                        "type": PLACEMENT_TYPE_TITLES.get(t, t),
                        "need": f"{v['need']:,.1f}",
                        "capacity": f"{v['capacity']:,.1f}",
                        "shortfall": v["shortfall"],
                        "shortfall_text": f"{v['shortfall']:,.1f}",
                        "cost": _money(v.get("shortfall_cost")),
                    }
                )
    except (ValueError, KeyError) as exc:
        ctx["gap_error"] = str(exc)
    ctx.update(
        {
            "headers": [
                "Scenario",
                "What changes",
                "Expected children at horizon",
                "80% range",
                "95% range",
                "Cost in last year",
                "Targets",
            ],
            "rows": rows,
            "chart_json": json.dumps(chart).replace("<", "\\u003c"),
            "by_cat_json": json.dumps(by_cat).replace("<", "\\u003c"),
            "cat_headers": ["Placement type", *names],
            "cat_rows": cat_rows,
            "horizon": horizon,
            "horizon_end": data["scenarios"]["baseline"]["horizon_end"],
            "reference": data["reference"],
            "gap_rows": gap_rows,
            "gap_name": gap_name,
            "scenario_names": names,
            "warnings": data.get("warnings", []),
        }
    )
    return ctx
