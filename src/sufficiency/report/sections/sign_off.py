"""Governance, sign-off and review: who approved the statement, when, and its next review."""

from __future__ import annotations

import datetime as dt

from sufficiency.report.model import Block
from sufficiency.report.sections.blocks import paragraph, placeholder
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sign_off import SOURCE


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@section("sign_off", "Governance, sign-off and review", 800, needs=("narrative:sign_off",))
def sign_off(inp: StatementInputs) -> list[Block]:
    """The approval and next review from ``narrative/sign_off.md``; a required placeholder
    naming the missing lines until the council writes them."""
    approval = inp.sign_off
    missing = approval.missing if approval is not None else ["Approved by", "Approved on"]
    if approval is None:
        missing.append("Next review")
    if missing or approval is None:
        return [
            placeholder(
                "Who approved the statement and when it is next reviewed",
                f"{SOURCE} with the lines "
                + ", ".join(f"'{m}: ...'" for m in missing)
                + " (dates as YYYY-MM-DD or DD/MM/YYYY)",
                "who approved the statement, on what date, and when it will next be reviewed",
            )
        ]
    assert approval.approved_on is not None and approval.next_review is not None
    return [
        paragraph(
            f"This statement was approved by {approval.approved_by} on "
            f"{_day(approval.approved_on)}. It will be reviewed by {_day(approval.next_review)}."
        )
    ]
