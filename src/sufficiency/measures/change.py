"""Change on the previous year: the one rule the trends measure, the statement, its key messages
and the dashboard share.

* ``change`` is the difference in the measure's own unit: children for a count, per 10,000 for a
  rate, pounds for money, and percentage points for a share (a share is compared by its
  percentage). Whole numbers stay whole; anything else is rounded to one decimal place.
* ``percent_change`` is the relative change, (current - previous) / previous x 100, rounded to
  one decimal place (``ndigits`` for a headline in whole per cent). It is shown for counts and
  money (the statement's "change on previous year" column, a rise in weekly cost), never for a
  share: a per cent change of a percentage reads as percentage points and misleads.

A change built on a suppressed figure is suppressed (``"c"``); on a missing one, or a
percentage change from zero, it is None.
"""

from __future__ import annotations

from typing import Any

from sufficiency.disclosure import SUPPRESSED, is_number, is_suppressed


def change(previous: Any, current: Any) -> int | float | str | None:
    """``current - previous`` in the measure's unit (one decimal unless both are whole)."""
    if is_suppressed(previous) or is_suppressed(current):
        return SUPPRESSED
    if not is_number(previous) or not is_number(current):
        return None
    if isinstance(previous, int) and isinstance(current, int):
        return current - previous
    return round(float(current) - float(previous), 1)


def percent_change(previous: Any, current: Any, ndigits: int = 1) -> float | str | None:
    """``(current - previous) / previous x 100`` rounded to ``ndigits`` (None from zero)."""
    if is_suppressed(previous) or is_suppressed(current):
        return SUPPRESSED
    if not is_number(previous) or not is_number(current) or not previous:
        return None
    return round(100.0 * (float(current) - float(previous)) / float(previous), ndigits)
