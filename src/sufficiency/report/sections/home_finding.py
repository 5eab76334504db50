"""Home finding: how well referrals are matched (the matching measures)."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.blocks import measure_blocks, placeholder
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.supply import has_value, section_measure_ids


@section(
    "home_finding",
    "Home finding",
    130,
    needs=("registers:referrals", "registers:outcomes", "registers:vacancies"),
)
def home_finding(inp: StatementInputs) -> list[Block]:
    """Referrals matched first time, locally, with siblings; or what would fill the section."""
    ids = section_measure_ids("home_finding", inp.info)
    if inp.has_register("referrals") and has_value(inp.cur, ids):
        return measure_blocks(inp.cur, ids, inp.info, "Home finding")
    have = [n for n in ("referrals", "outcomes", "vacancies") if inp.has_register(n)]
    return [
        placeholder(
            "Home finding: how well referrals are matched",
            "registers/referrals.csv and registers/outcomes.csv (one row per referral and "
            "its offers), read by the home-finding measures (sufficiency.matching)"
            + (f"; supplied so far: {', '.join(have)}" if have else ""),
            "referrals received, children placed first time in the type of home requested, "
            "placed locally, siblings placed together, days from referral to placement and "
            "the reasons offers were declined",
        )
    ]
