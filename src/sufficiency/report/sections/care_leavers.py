"""Care leavers: accommodation and activity from the SSDA903 OC3 table."""

from __future__ import annotations

from sufficiency.report.caveats import empty_ages_caveat
from sufficiency.report.model import Block
from sufficiency.report.sections.blocks import paragraph
from sufficiency.report.sections.care_leavers_25 import IDS as TO_25
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.supply import section_measure_ids, supply_blocks


@section("care_leavers", "Care leavers", 100, needs=("ssda903:oc3",))
def care_leavers(inp: StatementInputs) -> list[Block]:
    """The care leaver measures (without the OC3 table they are empty, not zero); those of the
    register of young adults to 25 share the theme but are shown once, in their own section."""
    ids = (
        [m for m in section_measure_ids("care_leavers", inp.info) if m not in TO_25]
        if "oc3" in inp.tables
        else []
    )
    blocks = supply_blocks(
        inp,
        "care_leavers",
        "Care leavers",
        ids=ids,
        needs="the SSDA903 OC3 table (care leavers' accommodation and activity)",
    )
    note = empty_ages_caveat(
        inp.cur.get("care_leavers_by_age") if ids else None,
        "care leavers",
        "the return's care leaver table holds the young people whose 17th to 21st birthday "
        "fell in the year, so an age with nobody usually means those young people were not "
        "carried into this year's return (a recording gap to check), not that there are none.",
    )
    return [*blocks, paragraph(note)] if note else blocks
