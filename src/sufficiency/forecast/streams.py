"""What a forecast scenario adds beside the placement model (issue 19): the two demand streams
(unaccompanied children, deprivation-of-liberty orders) under the scenario's assumptions, and
overnight short-break nights needed against nights available by type.

The rules are the catalogue's (``measures.demand_streams``, ``measures.short_breaks``); this
module only applies a scenario's assumptions and the forecast's reporting dates to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sufficiency.dataset import Dataset
from sufficiency.forecast.scenarios import Scenario
from sufficiency.measures.catalogue import Period
from sufficiency.measures.demand_streams import StockFlow, dolo_flow, uasc_flow
from sufficiency.measures.short_breaks import nights_forecast


def _yearly(
    flow: StockFlow, entries: float, reference_end: dt.date, year_ends: Sequence[dt.date], yd: float
) -> list[dict[str, Any]]:
    return [
        {
            "year": day.year,
            "date": day.isoformat(),
            "children": round(flow.project((day - reference_end).days / yd, entries), 3),
        }
        for day in year_ends
    ]


def demand_streams(
    ds: Dataset,
    scenario: Scenario,
    reference_end: dt.date,
    year_ends: Sequence[dt.date],
    year_in_days: float,
) -> dict[str, Any]:
    """``{"uasc": STREAM, "dolo": STREAM | None}``: the last year's flows (start, entries,
    exits, end, exit_rate_per_year), the entries a year assumed and the children expected at
    each 31 March of the horizon."""
    period = Period.year_ending(reference_end)
    uasc = uasc_flow(ds, period)
    assumed = scenario.uasc
    arrivals = (
        float(uasc.entries)
        if assumed is None or assumed.arrivals_per_year is None
        else assumed.arrivals_per_year
    )
    transfers_in = assumed.transfers_in_per_year if assumed else 0.0
    transfers_out = assumed.transfers_out_per_year if assumed else 0.0
    net = arrivals + transfers_in - transfers_out
    out: dict[str, Any] = {
        "uasc": {
            **uasc.to_json(),
            "arrivals_per_year": arrivals,
            "transfers_in_per_year": transfers_in,
            "transfers_out_per_year": transfers_out,
            "entries_per_year": net,
            "yearly": _yearly(uasc, net, reference_end, year_ends, year_in_days),
        },
        "dolo": None,
    }
    dolo = dolo_flow(ds, period)
    if dolo is not None:
        orders = scenario.dolo.orders_per_year if scenario.dolo else None
        made = float(dolo.entries) if orders is None else orders
        out["dolo"] = {
            **dolo.to_json(),
            "entries_per_year": made,
            "yearly": _yearly(dolo, made, reference_end, year_ends, year_in_days),
        }
    return out


def short_break_nights(
    ds: Dataset, scenario: Scenario, reference_end: dt.date, year_ends: Sequence[dt.date]
) -> dict[str, Any] | None:
    """``{"by_year": [{"year", "by_type": {TYPE: {"demand", "supply", "shortfall"}}}]}``:
    nights a year needed (scaled by the under-18 population and the scenario's
    population_growth) and available at each 31 March of the horizon; None without the
    registers."""
    if not year_ends:
        return None
    period = Period.year_ending(reference_end)
    years = max(d.year for d in year_ends) - reference_end.year
    figures = nights_forecast(ds, period, years, growth=scenario.population_growth)
    if figures is None:
        return None
    by_year = []
    for day in year_ends:
        y = day.year
        by_year.append(
            {
                "year": y,
                "by_type": {
                    kind: {
                        "demand": row.get(f"demand_{y}"),
                        "supply": row.get("nights_available"),
                        "shortfall": row.get(f"shortfall_{y}"),
                    }
                    for kind, row in figures.items()
                },
            }
        )
    return {"unit": "nights a year", "by_year": by_year}


#: The fields each scenario's JSON adds beside the placement model (this module's).
SCENARIO_FIELDS = ("streams", "short_breaks")


def without_streams(forecast: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The forecast's JSON without each scenario's streams and short-break nights: a published
    statement shows them through the catalogue's protected measures (``uasc_forecast``,
    ``dolo_orders``, ``short_break_nights_forecast``), never as the forecast's raw counts."""
    if forecast is None:
        return None
    out = dict(forecast)
    scenarios = forecast.get("scenarios")
    if isinstance(scenarios, Mapping):
        out["scenarios"] = {
            name: {k: v for k, v in s.items() if k not in SCENARIO_FIELDS}
            if isinstance(s, Mapping)
            else s
            for name, s in scenarios.items()
        }
    return out
