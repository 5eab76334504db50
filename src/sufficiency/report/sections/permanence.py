"""Permanence: adoption timeliness against the scorecard thresholds, children waiting, adopters
by stage from enquiry to placement with their assessments against the DfE timescales, and the
council's permanence plans (SGO, CAO, reunification) with what became of them."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.duty import duty_blocks
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

IDS = (
    "adoptions",
    "adoption_plan_waiting",
    "supply_adopters_waiting",
    "adoption_scorecard",
    "adoption_children_waiting",
    "adopter_pipeline",
    "adopter_assessment_timeliness",
    "permanence_plans_by_type",
    "reunification_outcomes",
)


@section(
    "permanence", "Permanence", 103, needs=("registers:permanence_plans", "registers:adopters")
)
def permanence(inp: StatementInputs) -> list[Block]:
    """Adoption timeliness and the permanence plans of children looked after."""
    return duty_blocks(
        inp,
        "Permanence",
        IDS,
        registers=("permanence_plans",),
        needs="registers/permanence_plans.csv (child_id, plan, date_set, status, outcome_date)",
        fills_with="children with adoption, special guardianship, child arrangements, "
        "reunification and long-term fostering plans, and where the returns show them now",
    )
