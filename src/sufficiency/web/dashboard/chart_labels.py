"""Words and axes the dashboard's charts read with: full category titles, the unit on each axis
(£ on money, % on shares), "pp" for percentage-point changes, suppressed categories named."""

from __future__ import annotations

import re
from typing import Any

from sufficiency import disclosure
from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.report.providers import SECTOR_TITLES

#: Abbreviations kept in capitals when an id is turned into words.
ACRONYMS = {"la": "LA", "uasc": "UASC", "send": "SEND", "sen": "SEN", "ehcp": "EHCP", "sgo": "SGO"}
#: Axis title of each measure unit (the catalogue's ``unit``).
AXIS_TITLES = {
    "money": "£",
    "share": "% of children",
    "rate": "Per 10,000 children",
    "days": "Days",
    "children": "Children",
    "count": "Number",
    "counts": "Number",
    "number": "Number",
}
_ID = re.compile(r"[a-z0-9_ ]+")


def label(key: object) -> str:
    """A key's title: placement types and provider sectors by title, ids (``other_la``) in
    words with a capital and their abbreviations ("Other LA"), names as written."""
    key = str(key)
    if key in PLACEMENT_TYPE_TITLES:
        return PLACEMENT_TYPE_TITLES[key]
    if key in SECTOR_TITLES:
        return SECTOR_TITLES[key]
    if not _ID.fullmatch(key):
        return key
    words = [ACRONYMS.get(w, w) for w in key.replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def axis(unit: str) -> dict[str, Any]:
    """A Plotly value axis for ``unit``: its title, £ before money and % after shares."""
    spec: dict[str, Any] = {"title": {"text": AXIS_TITLES.get(unit, label(unit))}}
    if unit == "money":
        spec.update({"tickprefix": "£", "tickformat": ",.0f"})
    elif unit == "share":
        spec["ticksuffix"] = "%"
    return spec


def bar_axis(unit: str) -> dict[str, Any]:
    """The value axis of bars: :func:`axis` from zero, also when every bar is zero (Plotly's own
    range then has no length, and it places the bars' labels at NaN: errors in the console)."""
    return {**axis(unit), "rangemode": "tozero"}


def value_text(value: Any, unit: str) -> str:
    """A bar's value label: £ on money, % on shares, ``[c]`` for a suppressed figure."""
    if disclosure.is_suppressed(value):
        return disclosure.SUPPRESSED_TEXT
    if unit == "money":
        return f"£{value:,.0f}"
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return text + ("%" if unit == "share" else "")


def suppressed_label(title: str, values: list[Any]) -> str:
    """A category's title, marked when any of its figures is suppressed (the bar would vanish)."""
    if any(disclosure.is_suppressed(v) for v in values):
        return f"{title} ({disclosure.SUPPRESSED_TEXT} suppressed)"
    return title


def change_text(delta: float, unit: str, year: int) -> str:
    """The change on an earlier year: percentage points for shares ("+0.7 pp on 2023")."""
    sign = "+" if delta > 0 else ""
    if unit == "share":
        return f"{sign}{delta:,.1f} pp on {year}"
    if unit == "money":
        return f"{'-' if delta < 0 else sign}£{abs(delta):,.0f} on {year}"
    number = f"{delta:,.1f}" if isinstance(delta, float) else f"{delta:,}"
    return f"{sign}{number} on {year}"


#: The image formats every chart downloads as, from plotly's own mode bar: the camera button
#: saves the first, and ``web/charts.js`` adds one button for each other.
IMAGE_FORMATS = ("png", "svg")


def chart_config() -> dict[str, Any]:
    """What every chart is drawn with (``web/charts.js`` reads it from the page): plotly's
    config, and the image formats its mode bar offers (a chart's id names its file)."""
    return {
        "plotly": {
            "displaylogo": False,
            "responsive": True,
            "displayModeBar": True,
            "modeBarButtonsToRemove": ["select2d", "lasso2d"],
            "toImageButtonOptions": {"format": IMAGE_FORMATS[0], "scale": 2},
        },
        "imageFormats": list(IMAGE_FORMATS),
    }
