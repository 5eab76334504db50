"""Template context from the council's la.toml: its name for the page header, and the small
counts its published figures suppress ("1 to 5", the statement's and the dashboard's words)."""

from __future__ import annotations

import tomllib
from typing import Any

from django.http import HttpRequest

from sufficiency.disclosure import SMALL_MAX, threshold_text

_seen: dict[str, dict[str, str]] = {}


def council(request: HttpRequest) -> dict[str, Any]:
    """``council_name`` (empty before a profile is set) and ``small_counts`` for every page."""
    from sufficiency.web.data.models import CouncilProfile

    row = CouncilProfile.objects.order_by("-updated_at").values_list("toml", flat=True).first()
    if not row:
        return {"council_name": "", "small_counts": threshold_text(SMALL_MAX)}
    if row not in _seen:
        try:
            raw = tomllib.loads(row)
        except tomllib.TOMLDecodeError:
            return {"council_name": "", "small_counts": threshold_text(SMALL_MAX)}
        small = raw.get("small_count_max", SMALL_MAX)
        _seen.clear()
        _seen[row] = {
            "council_name": str(raw.get("name", "")),
            "small_counts": threshold_text(small if isinstance(small, int) else SMALL_MAX),
        }
    return dict(_seen[row])
