"""The council's previous published statement, read as a reader would: every number by the
reference it stands for (``measure.key@YYYY-MM-DD``), for the disclosure step's outside knowledge
and for progress since the last statement."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sufficiency.disclosure import is_number
from sufficiency.measures.identities import ref
from sufficiency.report.protect import flatten


class PreviousStatementError(ValueError):
    """The file given as the previous statement is not a statement's JSON."""


def read_previous(path: Path) -> dict[str, float]:
    """Every number of a previous statement's ``statement.json`` by its reference."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PreviousStatementError(f"{path}: not a readable statement.json ({exc})") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("measures"), Mapping):
        raise PreviousStatementError(
            f"{path}: expected the statement.json a previous `sufficiency statement` wrote "
            "(an object with a 'measures' field)"
        )
    return published_numbers(data)


def published_numbers(data: Mapping[str, Any]) -> dict[str, float]:
    """The numbers of a statement's JSON ``measures`` block, by reference."""
    out: dict[str, float] = {}
    for block in data["measures"].values():
        if not isinstance(block, Mapping):
            continue
        try:
            at = dt.date.fromisoformat(str(block.get("at")))
        except ValueError:
            continue
        for mid, value in (block.get("measures") or {}).items():
            for path, leaf in flatten(value):
                if is_number(leaf) and not (path and path[-1] == "pct"):
                    out.setdefault(ref(mid, path, at), float(leaf))
    return out
