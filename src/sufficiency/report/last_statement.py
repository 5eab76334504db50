"""The council's last published statement, for progress since then: its year, its headline
measures, its targets and its actions as it printed them, and every number by reference (the
disclosure step's outside knowledge, ``report.previous.read_previous``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sufficiency.report.previous import PreviousStatementError, read_previous


@dataclass(frozen=True)
class PreviousStatement:
    """What a reader of the last statement knows from it."""

    year: int
    #: Its statement year's measures as published (``"c"`` where it suppressed them).
    measures: Mapping[str, Any]
    #: Every number it published, by reference (``measure.key@YYYY-MM-DD``).
    numbers: Mapping[str, float]
    #: Its targets table and action plan as printed: row header -> cell values.
    targets: Mapping[str, list[Any]] = field(default_factory=dict)
    actions: Mapping[str, list[Any]] = field(default_factory=dict)
    targets_columns: list[str] = field(default_factory=list)
    actions_columns: list[str] = field(default_factory=list)


def _table(data: Mapping[str, Any], table_id: str) -> tuple[list[str], dict[str, list[Any]]]:
    for section in data.get("sections") or []:
        for block in section.get("blocks") or []:
            table = block.get("table") if isinstance(block, Mapping) else None
            if isinstance(table, Mapping) and table.get("id") == table_id:
                rows = {
                    str(r["header"]): [c.get("value") for c in r.get("cells", [])]
                    for r in table.get("rows", [])
                }
                return list(table.get("columns", [])), rows
    return [], {}


def load_previous(path: Path) -> PreviousStatement:
    """Read a previous ``statement.json``; ``PreviousStatementError`` names the file and what
    was expected when it is not one."""
    numbers = read_previous(path)  # checks the file is a statement's JSON
    data = json.loads(path.read_text(encoding="utf-8"))
    year = data.get("year")
    block = data["measures"].get(str(year))
    if not isinstance(year, int) or not isinstance(block, Mapping):
        raise PreviousStatementError(
            f"{path}: expected a 'year' field and that year's block in 'measures' "
            "(the statement.json a previous `sufficiency statement` wrote)"
        )
    targets_columns, targets = _table(data, "targets")
    actions_columns, actions = _table(data, "actions")
    return PreviousStatement(
        year=year,
        measures=block.get("measures") or {},
        numbers=numbers,
        targets=targets,
        actions=actions,
        targets_columns=targets_columns,
        actions_columns=actions_columns,
    )
