"""The sufficiency gap (``sufficiency.supply.gap``): need, capacity and shortfall by year and
placement type."""

from __future__ import annotations

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.report.model import Block, Cell, CellKind, Row, Table
from sufficiency.report.sections.blocks import placeholder, round1, table_block
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

COLUMNS: tuple[tuple[str, CellKind], ...] = (
    ("need", "number"),
    ("capacity", "number"),
    ("shortfall", "number"),
    ("shortfall_cost", "money"),
)


@section("gap", "Sufficiency gap", 120, needs=("gap", "registers:carers", "registers:homes"))
def gap(inp: StatementInputs) -> list[Block]:
    """One row per year and placement type, or what the council should add."""
    data = inp.gap
    if not data:
        return [
            placeholder(
                "Gap between need and available homes",
                "the supply and gap capability (sufficiency.supply: capacity from carers, homes, "
                "supported accommodation, vacancies and contracts set against the forecast)",
                "for each future year and placement type: homes needed, homes available, the "
                "shortfall and what the shortfall costs",
            )
        ]
    rows = []
    for yr in data.get("years", []):
        day = f"{yr.get('year')}-03-31"
        for t, v in yr.get("by_type", {}).items():
            rows.append(
                Row(
                    f"{yr.get('year')}: {PLACEMENT_TYPE_TITLES.get(t, t)}",
                    [
                        Cell(
                            round1(v.get(key)),
                            kind,
                            ref=f"gap.{t}.{key}@{day}",
                            source="gap:" + str(data.get("scenario")) if key == "need" else "gap",
                        )
                        for key, kind in COLUMNS
                    ],
                )
            )
    return [
        table_block(
            Table(
                "gap",
                "Need, capacity and shortfall by year and placement type",
                ["Year and placement type", "Need", "Capacity", "Shortfall", "Cost of shortfall"],
                rows,
                caption=f"Scenario: {data.get('scenario', 'baseline')}",
            )
        )
    ]
