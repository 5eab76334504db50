"""Definitions and data: every single-value measure and the catalogue's definitions."""

from __future__ import annotations

from collections.abc import Mapping

from sufficiency.disclosure import SUPPRESSED
from sufficiency.measures.catalogue import Measure
from sufficiency.report.model import Block, Cell, CellKind, Row, Table
from sufficiency.report.sections.blocks import cell, is_num, paragraph, table_block
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section


def definition_records(info: Mapping[str, Measure]) -> list[dict[str, str]]:
    """Every measure's id, title, theme, unit, definition and source (by theme, then id); in
    publish mode ``info`` is the public view of the catalogue (``report.public``)."""
    return [
        {
            "id": m.id,
            "title": m.title,
            "theme": m.theme,
            "unit": m.unit,
            "definition": m.definition,
            "source": m.source,
        }
        for m in sorted(info.values(), key=lambda m: (m.theme, m.id))
    ]


def _item(record: Mapping[str, str], mode: str) -> str:
    """One definition as the list prints it: analysts see the measure id, the public its source."""
    if mode == "publish":
        return f"{record['title']}: {record['definition']} (Source: {record['source']}.)"
    return f"{record['title']} ({record['id']}): {record['definition']}"


@section("definitions", "Definitions and data", 900, part=True)
def definitions(inp: StatementInputs) -> list[Block]:
    """The headline measures table and the definitions list."""
    cur = inp.cur
    rows = []
    for m in sorted(inp.info.values(), key=lambda m: (m.theme, m.id)):
        value = cur.get(m.id)
        if isinstance(value, Mapping) and "pct" in value:
            cells = [cell(cur, m.id), cell(cur, m.id, kind="pct")]
        elif is_num(value) or value == SUPPRESSED:
            kind: CellKind = (
                "rate" if m.unit == "rate" else "money" if m.unit == "money" else "number"
            )
            cells = [Cell(value, kind, ref=cur.ref(m.id)), Cell(None, "pct")]
        else:
            continue
        rows.append(Row(m.title, cells))
    return [
        paragraph(
            "Every number in this statement comes from the measure catalogue below, computed from "
            "the council's returns and registers; the same numbers are in statement.json and "
            "statement.xlsx."
        ),
        table_block(
            Table(
                "all_measures",
                "Headline measures",
                ["Measure", "Value", "%"],
                rows,
                caption=f"Every single-value measure at 31 March {cur.year}",
            )
        ),
        Block(
            "messages",
            items=[_item(d, inp.mode) for d in definition_records(inp.info)],
        ),
    ]
