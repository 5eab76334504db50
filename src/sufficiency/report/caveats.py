"""Caveats for numbers a reader would otherwise misread (pure functions of the results shown).

A share whose denominator changes a lot from one year to the next moves partly because
different children are counted; a breakdown by age with an age that has nobody usually means
the return does not hold those young people, not that there are none. Suppressed values are
never stated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from sufficiency.disclosure import is_number
from sufficiency.report.sections.blocks import num_or_none, year_label
from sufficiency.report.sources import YearValues

#: A denominator that changes by more than this share of the smaller year's is a caveat.
DENOMINATOR_CHANGE = 0.25


def _denominator(value: Any) -> float | None:
    return num_or_none(value.get("denominator")) if isinstance(value, Mapping) else None


def denominator_caveat(
    years: Sequence[YearValues], measure_id: str, title: str, counted: str
) -> str | None:
    """A sentence when ``measure_id``'s denominator (``counted``: who it counts) changed by
    more than ``DENOMINATOR_CHANGE`` between two consecutive years shown (the largest change)."""
    worst: tuple[float, YearValues, YearValues, float, float] | None = None
    for before, after in pairwise(years):
        a, b = _denominator(before.get(measure_id)), _denominator(after.get(measure_id))
        if a is None or b is None or min(a, b) <= 0:
            continue
        moved = abs(b - a) / min(a, b)
        if moved > DENOMINATOR_CHANGE and (worst is None or moved > worst[0]):
            worst = (moved, before, after, a, b)
    if worst is None:
        return None
    _, before, after, a, b = worst
    return (
        f"{title}: the children it counts ({counted}) went from {a:,.0f} in "
        f"{year_label(before.year)} to {b:,.0f} in {year_label(after.year)}, so its percentage "
        "moved partly because different children are counted; read it with the numbers beside it."
    )


def empty_ages_caveat(by_age: Any, what: str, why: str) -> str | None:
    """A sentence naming the ages of ``by_age`` (age -> count) with nobody, when others have
    some (``why``: the likely reason)."""
    if not isinstance(by_age, Mapping):
        return None
    empty = sorted(
        (str(age) for age, n in by_age.items() if n == 0),
        key=lambda a: (0, int(a), a) if a.isdigit() else (1, 0, a),
    )
    others = [n for n in by_age.values() if (is_number(n) and n > 0) or n == "c"]
    if not empty or not others:
        return None
    ages = " and ".join([", ".join(empty[:-1]), empty[-1]] if len(empty) > 1 else empty)
    return f"No {what} aged {ages} are recorded: {why}"
