"""Supported accommodation for 16 and 17 year olds and care leavers."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.supply import supply_blocks

TYPES = ("supported_accommodation", "independent_living")


@section(
    "supported_accommodation",
    "Supported accommodation",
    90,
    needs=("registers:supported_accommodation",),
)
def supported_accommodation(inp: StatementInputs) -> list[Block]:
    """Children in supported accommodation and the units the council can use."""
    return supply_blocks(
        inp,
        "supported_accommodation",
        "Supported accommodation",
        types=TYPES,
        registers=("supported_accommodation",),
        needs="registers/supported_accommodation.csv (provider, urn, postcode, "
        "units, occupied, uasc_only, registered_date)",
    )
