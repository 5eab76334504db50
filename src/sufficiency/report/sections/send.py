"""Special educational needs and disabilities: children looked after with an EHCP and their
primary need."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.duty import duty_blocks
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

IDS = ("ehcp_cla", "ehcp_cla_by_need", "ehcp_children")


@section(
    "send",
    "Special educational needs and disabilities",
    102,
    needs=("registers:disabled_children",),
)
def send(inp: StatementInputs) -> list[Block]:
    """The EHCP profile of children looked after."""
    return duty_blocks(
        inp,
        "Special educational needs and disabilities",
        IDS,
        registers=("disabled_children",),
        needs="registers/disabled_children.csv with ehcp, ehcp_date and need_type",
        fills_with="children looked after with an education, health and care plan, by need",
    )
