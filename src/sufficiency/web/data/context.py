"""Template context: the council's name for the page header (from its la.toml)."""

from __future__ import annotations

import tomllib
from typing import Any

from django.http import HttpRequest

_names: dict[str, str] = {}


def council(request: HttpRequest) -> dict[str, Any]:
    """``council_name`` for every page (empty before a profile is set)."""
    from sufficiency.web.data.models import CouncilProfile

    row = CouncilProfile.objects.order_by("-updated_at").values_list("toml", flat=True).first()
    if not row:
        return {"council_name": ""}
    if row not in _names:
        try:
            _names.clear()
            _names[row] = str(tomllib.loads(row).get("name", ""))
        except tomllib.TOMLDecodeError:
            return {"council_name": ""}
    return {"council_name": _names[row]}
