"""``{% children_href block row column text %}``: the link from a count in a dashboard table to
the children behind it, for roles that may see children (``child_data``); "" for other roles and
for cells that count nobody (a label, a percentage, a dash)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

from sufficiency.measures.behind import drillable

register = template.Library()

#: Cells that list nobody.
_EMPTY = ("", "–", "0")
#: The dashboard's columns of a share: Children, Out of, %.
_SHARE_COUNTS = 2


def children_href(context: Any, block: dict[str, Any], row: int, column: int, text: str) -> str:
    caps = context.get("caps") or {}
    if not caps.get("child_data") or not drillable(block["id"]) or str(text) in _EMPTY:
        return ""
    headers = block.get("headers") or [""]
    labelled = headers[0] == ""  # a label column first: counts are the columns after it
    if (labelled and column < 1) or (not labelled and column >= _SHARE_COUNTS):
        return ""
    listed = block.get("listed")  # the cells whose children can be listed (a record's figures)
    if listed is not None and (row, column) not in listed:
        return ""
    query = urlencode(
        {"r": row, "c": column, **({"theme": context["theme"]} if context.get("theme") else {})}
    )
    extra = context.get("filter_query") or ""
    return f"/data/children/counted/{block['id']}/?{query}" + (f"&{extra}" if extra else "")


register.simple_tag(children_href, takes_context=True)
