"""The action plan (registers/actions, as the council wrote it) and targets with progress
(``measures.targets`` judges each one)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from sufficiency.disclosure import SUPPRESSED, is_suppressed
from sufficiency.measures.catalogue import Measure
from sufficiency.measures.targets import POLARITY, assess, read_targets
from sufficiency.report.model import Block, Cell, CellKind, Row, Table
from sufficiency.report.sections.blocks import cell, label, num_or_none, placeholder, table_block
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.titles import STATUS_TITLES
from sufficiency.report.sources import YearValues

ACTION_COLUMNS = ("action_id", "area", "activity", "expected_impact", "owner", "due", "status")


@section(
    "action_plan",
    "Action plan and targets",
    140,
    needs=("registers:actions", "registers:targets"),
    part=True,
)
def action_plan(inp: StatementInputs) -> list[Block]:
    """The council's actions and its targets' progress, or what would fill them."""
    blocks: list[Block] = []
    if inp.actions is not None:
        blocks.append(table_block(actions_table(inp.actions)))
    else:
        blocks.append(
            placeholder(
                "Action plan",
                "registers/actions.csv (action_id, area, activity, expected_impact, "
                "owner, due, status)",
                "the council's actions, owners, due dates and progress",
            )
        )
    if inp.targets is not None:
        blocks.append(table_block(targets_table(inp.targets, inp.cur, inp.info, inp.years)))
    else:
        blocks.append(
            placeholder(
                "Targets",
                "registers/targets.csv (measure_id, baseline_date, baseline, target, "
                "target_date, direction)",
                "each target's baseline, latest value from the data and a "
                "red / amber / green status computed from them",
            )
        )
    return blocks


def actions_table(actions: pl.DataFrame) -> Table:
    """One row per action, as the register gives it."""
    data = actions.select(pl.col(list(ACTION_COLUMNS)).cast(pl.Utf8))  # typed by the declaration
    words: dict[str, Callable[[str], str]] = {"area": label, "status": _status_title}
    rows = [
        Row(
            r["action_id"] or "–",
            [
                Cell(
                    (words[c](r[c]) if c in words else r[c]) if r[c] else None,
                    "text",
                    source="register:actions",
                )
                for c in ACTION_COLUMNS[1:]
            ],
        )
        for r in data.iter_rows(named=True)
    ]
    return Table(
        "actions",
        "Action plan",
        ["Ref", "Area", "Activity", "Expected impact", "Owner", "Due", "Status"],
        rows,
        caption="What the council will do (the council's action plan register)",
    )


def _status_title(status: str) -> str:
    return STATUS_TITLES.get(status, label(status))


def _kind(unit: str) -> CellKind:
    return "rate" if unit == "rate" else "money" if unit == "money" else "number"


def targets_table(
    frame: pl.DataFrame,
    cur: YearValues,
    info: Mapping[str, Measure],
    years: Sequence[YearValues] = (),
) -> Table:
    """Targets with their latest value from the measures and the status ``measures.targets``
    gives it; a suppressed latest value is not judged (its status would reveal it). A baseline
    is a value of its measure (often on a date the statement shows), and a target may be one
    too ("hold at today's level"): where the statement hides that measure in any of its
    ``years``, both are hidden and the target not judged (the register's 6.3% of a published 79
    was the hidden 5)."""
    rows = []
    notes = []
    for t in read_targets(frame):
        mid = t.measure_id
        value = cur.get(mid)
        kind: CellKind
        if isinstance(value, Mapping) and "pct" in value:
            latest_cell = cell(cur, mid, kind="pct")
            kind = "pct"
        elif isinstance(value, Mapping) or value is None:
            latest_cell = Cell(None, "number")
            kind = "number"
        else:
            kind = _kind(info[mid].unit if mid in info else "number")
            latest_cell = Cell(value, kind, ref=cur.ref(mid))
        hidden = latest_cell.suppressed or any(_hidden(y.get(mid)) for y in (cur, *years))
        status = (
            "Not shown (small number)"
            if hidden
            else assess(t, num_or_none(latest_cell.value)).status
        )
        if t.note:
            notes.append(t.note)
        elif t.direction_from == "polarity" and mid in POLARITY:
            notes.append(
                f"{mid}: no direction in the register, so '{t.direction}' from the published "
                f"polarity ({POLARITY[mid].source})"
            )
        rows.append(
            Row(
                info[mid].title if mid in info else mid,
                [
                    Cell(
                        SUPPRESSED if hidden and t.baseline is not None else t.baseline,
                        kind,
                        source="register:targets",
                    ),
                    Cell(
                        t.baseline_date.isoformat() if t.baseline_date else None,
                        "text",
                        source="register:targets",
                    ),
                    Cell(
                        SUPPRESSED if hidden and t.target is not None else t.target,
                        kind,
                        source="register:targets",
                    ),
                    Cell(
                        t.target_date.isoformat() if t.target_date else None,
                        "text",
                        source="register:targets",
                    ),
                    latest_cell,
                    Cell(status, "text", source="derived:rag"),
                ],
            )
        )
    return Table(
        "targets",
        "Targets and progress",
        [
            "Measure",
            "Baseline",
            "Baseline date",
            "Target",
            "Target date",
            f"Latest ({cur.at.isoformat()})",
            "Status (RAG)",
        ],
        rows,
        caption="Targets from the council's targets register; the latest value comes from the data; "
        "Green = target met, Amber = better than baseline, Red = not improving; no RAG "
        "without a baseline",
        notes=notes,
    )


def _hidden(value: Any) -> bool:
    """True when a measure's value, or any part of it, is suppressed."""
    if isinstance(value, Mapping):
        return any(_hidden(v) for v in value.values())
    return is_suppressed(value)
