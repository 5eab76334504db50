"""Care leavers to 25: the OC3 ages with the care leavers register's older young adults, and
where those aged 22 to 25 live."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.duty import duty_blocks
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

IDS = (
    "care_leavers_by_age_to_25",
    "care_leavers_22_25_accommodation",
    "care_leavers_22_25_support",
)


@section("care_leavers_25", "Care leavers to 25", 104, needs=("registers:care_leavers_25",))
def care_leavers_25(inp: StatementInputs) -> list[Block]:
    """Care-experienced young adults by age to 25 and their accommodation."""
    return duty_blocks(
        inp,
        "Care leavers to 25",
        IDS,
        registers=("care_leavers_25",),
        needs="registers/care_leavers_25.csv (person_id, birth_month, accommodation, "
        "staying_put, staying_close, in_touch)",
        fills_with="care-experienced young adults aged 22 to 25 and where they live",
    )
