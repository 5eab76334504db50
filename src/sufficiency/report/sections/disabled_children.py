"""Disabled children and overnight short breaks: demand against supply in nights by type,
unmet need and cost, the provision, and children on short breaks in the returns."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.duty import duty_blocks
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

IDS = (
    "disabled_cla",
    "disabled_cla_by_placement_type",
    "short_breaks_count",
    "short_break_nights",
    "short_breaks_demand_supply",
    "short_break_provision",
)


@section(
    "disabled_children",
    "Disabled children and short breaks",
    101,
    needs=("registers:disabled_children", "registers:short_break_provision"),
)
def disabled_children(inp: StatementInputs) -> list[Block]:
    """Disabled children looked after and the overnight short breaks assessed and provided."""
    return duty_blocks(
        inp,
        "Disabled children and short breaks",
        IDS,
        registers=("disabled_children", "short_break_provision"),
        needs="registers/disabled_children.csv (child_id, need_type, ehcp, short_break_type, "
        "nights_assessed, nights_agreed, provision_id) and registers/short_break_provision.csv "
        "(provider, short_break_type, nights_available, unit_cost, in_area, emergency_bed)",
        fills_with="overnight short-break nights assessed, agreed and available by type, the "
        "children whose need is unmet and what the nights cost",
    )
