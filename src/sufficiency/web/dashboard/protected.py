"""What a viewer may see of the dashboard: the published statement's figures, and no more.

A viewer chooses a year ending 31 March and sees every theme's measures for it, with the trend
measures' values over the four years before: exactly the measures the publish-mode statement
for that year shows, protected the same way (``report.protect.protect_measures``: all of them
as one system of linear relations; small counts suppressed, further figures where a total, a
group, a margin or another year would give one away; providers by sector). So a viewer who also
reads the statement learns nothing more. A table no suppression can protect is withheld with a
message (and logged). Filters cut children into groups too small to show and let a reader
subtract one view from another, so viewers have none; analysts filter their own (internal)
views.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sufficiency.results import Missing, Result

log = logging.getLogger("sufficiency.web.disclosure")

#: The message a withheld table shows in its place.
WITHHELD = (
    "Withheld: the numbers are too small to show without revealing individual children, "
    "even with some suppressed."
)
#: Why every measure is missing when the audit refuses the year's figures (``is_withheld``).
REFUSED = "withheld: no suppression keeps these children's numbers from being worked out"


@dataclass
class ViewerYears:
    """The protected measures of each year a viewer's page for one year shows."""

    results: dict[int, dict[str, Result]]
    withheld: set[str]


def viewer_years(ds: Any, year: int) -> ViewerYears:
    """The published figures of the statement for ``year`` (its measures as protected for
    publication), by year: every measure of ``year`` and the trend measures of the years before.
    A viewer sees nothing the published statement does not show."""
    from sufficiency.disclosure.audit import DisclosureError
    from sufficiency.report.build import statement_inputs
    from sufficiency.report.protect import protect_measures

    shown, context = statement_inputs(ds, year)
    try:
        protection, protected, _ = protect_measures(ds, shown, context=context)
    except DisclosureError as exc:  # no suppression protects them: every table is withheld
        log.error("dashboard for %s withheld from viewers: %s", year, exc)
        return ViewerYears(
            {at.year: {mid: Missing(REFUSED) for mid in r} for at, r in shown.items()},
            {f"{mid}@{at.isoformat()}" for at, r in shown.items() for mid in r},
        )
    for table in sorted(protection.withheld):
        log.warning("dashboard table withheld from viewers: %s (no suppression protects it)", table)
    return ViewerYears({at.year: r for at, r in protected.items()}, set(protection.withheld))


def is_withheld(result: Result | None) -> bool:
    """True for a measure withheld from viewers."""
    return isinstance(result, Missing) and result.reason.startswith("withheld")
