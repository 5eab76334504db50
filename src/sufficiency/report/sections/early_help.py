"""Early help and edge of care: children diverted from care and returned home by programme."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.duty import duty_blocks
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

IDS = ("intervention_outcomes",)


@section("early_help", "Early help and edge of care", 105, needs=("registers:interventions",))
def early_help(inp: StatementInputs) -> list[Block]:
    """What the early help and edge-of-care programmes achieved in the year."""
    return duty_blocks(
        inp,
        "Early help and edge of care",
        IDS,
        registers=("interventions",),
        needs="registers/interventions.csv (programme, start, quarter, diverted, returned, cost)",
        fills_with="children prevented from entering care and returned home by each programme, "
        "and its cost",
    )
