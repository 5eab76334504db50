"""Which measures of a date read further back than the returns loaded.

A return holds a year's episodes and the one open on its first day: a child whose care began
before the first loaded return is seen from that day, as if care began then. Time in care,
long-term stability and adoption timeliness read when care (or the placement, or the court's
authority) began, so with too few returns they count such children as newer than they are (two
returns instead of six: the A1 three-year average 408 -> 85 days, long-term stability 54.5% ->
60.9%). Each such measure declares the years it reads (``Measure.history_years``); this module
says, for a date, which of them the loaded returns do not reach back far enough for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sufficiency.dates import year_end
from sufficiency.measures.catalogue import Measure

DAYS_A_YEAR = 365.25


def history_from(first_return: int) -> dt.date:
    """The first day the loaded returns see: 1 April of the earliest return's year."""
    return year_end(first_return - 1) + dt.timedelta(days=1)


def needed_from(measure: Measure, at: dt.date) -> dt.date | None:
    """The first day ``measure`` at ``at`` reads; None for a measure that reads only its year."""
    if measure.history_years <= 0:
        return None
    return at - dt.timedelta(days=round(measure.history_years * DAYS_A_YEAR)) + dt.timedelta(1)


def short_history(
    catalogue: Mapping[str, Measure], ids: Iterable[str], at: dt.date, first_return: int
) -> dict[str, str]:
    """For each measure of ``ids`` at ``at`` that reads before ``first_return``'s first day, a
    sentence saying so (empty when the returns reach back far enough)."""
    seen = history_from(first_return)
    out: dict[str, str] = {}
    for mid in ids:
        measure = catalogue.get(mid)
        need = None if measure is None else needed_from(measure, at)
        if need is None or need >= seen:
            continue
        out[mid] = (
            f"reads back to {need:%d/%m/%Y} ({_years(measure)} before {at:%d/%m/%Y}) to see when "
            f"each child's care began, but the returns loaded begin {seen:%d/%m/%Y}: a child "
            "whose care began earlier is counted as if it began then (load the earlier returns)"
        )
    return out


def _years(measure: Measure | None) -> str:
    years = 0.0 if measure is None else measure.history_years
    return f"{years:g} year" + ("" if years == 1 else "s")
