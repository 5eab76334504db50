"""Residential care: children in children's homes and the residential market."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.supply import supply_blocks

TYPES = ("in_house_residential", "external_residential", "secure", "residential_school")


@section(
    "residential",
    "Residential care",
    70,
    needs=("registers:homes", "registers:contracts", "registers:costs"),
    part=True,
)
def residential(inp: StatementInputs) -> list[Block]:
    """Children in residential placements, the homes and the provider market."""
    return supply_blocks(
        inp,
        "residential",
        "Residential care",
        types=TYPES,
        registers=("homes",),
        needs="registers/homes.csv (urn, name, provider, sector, local_authority, postcode, "
        "places, rating, ...), registers/contracts.csv and registers/costs.csv",
    )
