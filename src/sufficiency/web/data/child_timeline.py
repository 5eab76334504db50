"""A child's timeline as the child page shows it: the library's events as table rows and its
placement spells as a Plotly bar chart over dates (drawn by static/web/charts.js)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from sufficiency.web.dashboard.chart_labels import label

#: Milliseconds in a day (Plotly's date axes count in milliseconds).
DAY_MS = 86_400_000
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#912b88", "#5694ca", "#d4351c", "#505a5f")


def event_rows(events: pl.DataFrame) -> list[list[str]]:
    """Date (dd/mm/yyyy), event, detail: one row per event, in date order."""
    return [[d.strftime("%d/%m/%Y"), e, detail] for d, e, detail in events.iter_rows()]


def placements_chart(placements: pl.DataFrame, until: dt.date) -> str:
    """One bar per placement from its start to its end (``until`` when still open), coloured by
    placement type, as a Plotly spec in JSON safe inside an HTML attribute; "" when none."""
    if placements.height == 0:
        return ""
    types = list(dict.fromkeys(placements.get_column("placement_type").to_list()))
    traces: list[dict[str, Any]] = []
    for i, kind in enumerate(types):
        rows = placements.filter(pl.col("placement_type") == kind)
        starts = rows.get_column("start").to_list()
        ends = [e or until for e in rows.get_column("end").to_list()]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label(kind),
                "y": [f"Placement {n}" for n in rows.get_column("placement").to_list()],
                "base": [s.isoformat() for s in starts],
                "x": [max((e - s).days, 1) * DAY_MS for s, e in zip(starts, ends, strict=True)],
                "marker": {"color": COLOURS[i % len(COLOURS)]},
                "text": [
                    f"{s:%d/%m/%Y} to {e:%d/%m/%Y}" for s, e in zip(starts, ends, strict=True)
                ],
                "textposition": "none",
                "hoverinfo": "text+name",
            }
        )
    layout = {
        "barmode": "overlay",
        "height": 120 + 32 * placements.height,
        "xaxis": {"type": "date", "title": {"text": "Date"}},
        "yaxis": {"autorange": "reversed", "automargin": True, "type": "category"},
        "legend": {"orientation": "h", "y": -0.3},
        "margin": {"t": 10, "r": 20, "l": 10, "b": 60},
    }
    return json.dumps({"data": traces, "layout": layout}).replace("<", "\\u003c")
