"""Introduction and the sufficiency duty: the year, the data used and how numbers are protected."""

from __future__ import annotations

import datetime as dt

from sufficiency import disclosure
from sufficiency.measures.history import history_from, short_history
from sufficiency.report.model import Block
from sufficiency.report.sections.blocks import paragraph, year_label
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section

DUTY_TEXT = (
    "Section 22G of the Children Act 1989 requires local authorities to take steps that secure, "
    "so far as reasonably practicable, sufficient accommodation within their area which meets the "
    "needs of the children they look after and whose circumstances are such that it would be "
    "consistent with their welfare to be provided with accommodation in the area (the "
    "'sufficiency duty'). This statement sets out the council's children looked after, where they "
    "live, the homes available to them, the expected need for homes and what the council will do "
    "to close any gap."
)

PUBLISH_TEXT = (
    ", and percentages, rates, bed nights, spend and forecasts built on them, are "
    "shown as [c] to protect children's privacy (the Department for Education's "
    "threshold for local authority figures). Further figures are suppressed wherever "
    "a total, a group of placement types, a table's margins, another table or another "
    "year would let a reader work a suppressed number out, and before the statement "
    "is written an audit checks that no suppressed number can be narrowed to fewer "
    "than three possible values. Providers are shown by sector, not by name."
)


@section("introduction", "Introduction and the sufficiency duty", 10, part=True)
def introduction(inp: StatementInputs) -> list[Block]:
    """The duty, the year and returns covered, the registers used, and the version's caveat."""
    year = inp.year
    blocks = [
        paragraph(DUTY_TEXT),
        paragraph(
            f"This statement covers the year 1 April {year - 1} to 31 March {year} "
            f"({year_label(year)}). Figures for children looked after are taken from the "
            f"council's SSDA903 returns ({', '.join(year_label(y) for y in inp.returns)}), "
            "counted as the Department for Education counts them: children looked after under an "
            "agreed series of short-term breaks are excluded."
        ),
    ]
    short = _short_history(inp)
    if short:
        blocks.append(paragraph(short))
    if inp.registers:
        blocks.append(
            paragraph(
                "Supply, costs, benchmarks and plans come from the council's registers: "
                + ", ".join(sorted(r.replace("_", " ") for r in inp.registers))
                + "."
            )
        )
    else:
        blocks.append(
            paragraph(
                "No registers (costs, carers, homes, benchmarks, actions, targets) were "
                "supplied, so the sections that depend on them say what would fill them."
            )
        )
    if inp.mode == "publish":
        blocks.append(
            paragraph(
                f"Counts of children from {disclosure.threshold_text(inp.small_count_max)}"
                + PUBLISH_TEXT
            )
        )
        if inp.withheld:
            blocks.append(
                paragraph(
                    "Withheld because no suppression could stop the small numbers in them "
                    "being worked out: " + "; ".join(inp.withheld) + "."
                )
            )
    else:
        blocks.append(
            paragraph(
                "INTERNAL VERSION: small numbers are not suppressed and child-level tables are "
                "included. Do not publish or share outside the council's analysts."
            )
        )
    return blocks


def _short_history(inp: StatementInputs) -> str | None:
    """A sentence naming the figures, and the years shown, that read further back than the
    returns loaded (``measures.history``): read as if care began on the first return's day."""
    if not inp.returns:
        return None
    first = min(inp.returns)
    by_measure: dict[str, list[int]] = {}
    for yv in inp.years:
        for mid in short_history(
            inp.info, [m for m in inp.info if yv.get(m) is not None], yv.at, first
        ):
            by_measure.setdefault(mid, []).append(yv.year)
    if not by_measure:
        return None
    figures = "; ".join(
        f"{inp.info[mid].title} ({', '.join(year_label(y) for y in years)})"
        for mid, years in by_measure.items()
    )
    return (
        f"The returns loaded begin on {_day(history_from(first))}, and some figures read "
        "further back, to when each child's care, placement or court order began: "
        f"{figures}. There, a child whose care began earlier is counted as if it began on "
        f"{_day(history_from(first))}; earlier returns would give the full figures."
    )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
