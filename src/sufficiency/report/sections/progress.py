"""Progress since the last statement (``statement --previous statement.json``): the headline
measures then and now, each target's latest value and status then and now, and each action's
status then and now. Without a previous statement the section is the council's narrative only
(``narrative/progress.md``), or absent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sufficiency.measures.change import change
from sufficiency.report.model import Block, Cell, CellKind, Row, Table
from sufficiency.report.sections.blocks import cell, kind_for, paragraph, table_block, year_label
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

#: The headline measures compared with the last statement, in this order.
HEADLINE = (
    "cla_count",
    "cla_rate_per_10k",
    "starts",
    "ceased",
    "fostering_share",
    "placed_over_20_miles",
    "stability_three_plus",
    "stability_long_term",
    "care_leavers_suitable_accommodation",
    "care_leavers_eet",
    "spend_total",
)


@section("progress", "Progress since the last statement", 135, needs=("previous",))
def progress(inp: StatementInputs) -> list[Block]:
    """The last statement's figures, targets and actions beside this one's."""
    prev = inp.previous
    if prev is None:
        return []
    then, now = year_label(prev.year), year_label(inp.year)
    blocks = [
        paragraph(
            f"This section compares the statement for {now} with the council's last published "
            f"statement, for {then}: the headline figures, the targets and the actions."
        ),
        table_block(_headline(inp, then, now)),
    ]
    for table in (_targets(inp, then, now), _actions(inp, then, now)):
        if table.rows:
            blocks.append(table_block(table))
    return blocks


def _value(value: Any, kind: CellKind) -> Any:
    """A published value as one figure: a share's percentage, else the value itself."""
    if isinstance(value, Mapping):
        return value.get("pct") if kind == "pct" else value.get("count")
    return value


def _headline(inp: StatementInputs, then: str, now: str) -> Table:
    prev = inp.previous
    assert prev is not None
    rows = []
    for mid in HEADLINE:
        if mid not in inp.info or (mid not in prev.measures and inp.cur.get(mid) is None):
            continue
        measure = inp.info[mid]
        kind: CellKind = "pct" if measure.unit == "share" else kind_for(measure)
        before = _value(prev.measures.get(mid), kind)
        current = cell(inp.cur, mid, kind=kind)
        rows.append(
            Row(
                measure.title,
                [
                    Cell(before, kind, source=f"previous statement {then}"),
                    current,
                    Cell(change(before, current.value), kind, source="derived:change"),
                ],
            )
        )
    return Table(
        "progress_headline",
        "Headline figures: last statement and this one",
        ["Measure", f"Last statement ({then})", f"This statement ({now})", "Change"],
        rows,
        caption=f"As published in the {then} statement and in this one; a change in a "
        "percentage is in percentage points",
        definitions=[m for m in HEADLINE if m in inp.info],
    )


def _column(columns: list[str], start: str) -> int | None:
    """The index among a row's cells (the header is column 0) of the column named ``start``."""
    for i, name in enumerate(columns[1:]):
        if name.startswith(start):
            return i
    return None


def _targets(inp: StatementInputs, then: str, now: str) -> Table:
    """Each target's latest value and status in the last statement and in this one."""
    from sufficiency.report.sections.action_plan import targets_table

    prev = inp.previous
    assert prev is not None
    current = (
        {r.header: r.cells for r in targets_table(inp.targets, inp.cur, inp.info, inp.years).rows}
        if inp.targets is not None
        else {}
    )
    latest_then = _column(prev.targets_columns, "Latest")
    status_then = _column(prev.targets_columns, "Status")
    rows = []
    for title in list(prev.targets) + [t for t in current if t not in prev.targets]:
        old = prev.targets.get(title, [])
        new = current.get(title, [])

        def at(values: list[Any], i: int | None) -> Any:
            return values[i] if i is not None and i < len(values) else None

        rows.append(
            Row(
                title,
                [
                    new[2] if new else Cell(at(old, 2), "number", source=f"previous {then}"),
                    Cell(at(old, latest_then), "number", source=f"previous statement {then}"),
                    Cell(at(old, status_then), "text", source=f"previous statement {then}"),
                    new[4] if new else Cell(None, "number"),
                    new[5] if new else Cell("No longer a target", "text", source="derived"),
                ],
            )
        )
    return Table(
        "progress_targets",
        "Targets: last statement and this one",
        [
            "Measure",
            "Target",
            f"Latest ({then})",
            f"Status ({then})",
            f"Latest ({now})",
            f"Status ({now})",
        ],
        rows,
        caption="Each target's latest value and status as the last statement gave them, and now",
    )


def _actions(inp: StatementInputs, then: str, now: str) -> Table:
    """Each action's status in the last statement and now."""
    from sufficiency.report.sections.action_plan import actions_table

    prev = inp.previous
    assert prev is not None
    current = (
        {r.header: r.cells for r in actions_table(inp.actions).rows}
        if inp.actions is not None
        else {}
    )
    activity = _column(prev.actions_columns, "Activity")
    status = _column(prev.actions_columns, "Status")
    rows = []
    for ref in list(prev.actions) + [a for a in current if a not in prev.actions]:
        old = prev.actions.get(ref, [])
        new = current.get(ref, [])
        what = new[1].value if new else (old[activity] if activity is not None and old else None)
        rows.append(
            Row(
                ref,
                [
                    Cell(what, "text", source="register:actions"),
                    Cell(
                        old[status] if status is not None and old else "New since then",
                        "text",
                        source=f"previous statement {then}",
                    ),
                    Cell(
                        new[5].value if new else "No longer in the plan",
                        "text",
                        source="register:actions",
                    ),
                ],
            )
        )
    return Table(
        "progress_actions",
        "Actions: last statement and this one",
        ["Ref", "Activity", f"Status ({then})", f"Status ({now})"],
        rows,
        caption="Each action of the last statement's plan and of this one, with its status then "
        "and now",
    )
