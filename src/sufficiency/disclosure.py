"""Small-number disclosure control primitives: the one small-count test, the one ``[c]`` symbol and
the one secondary-suppression rule, shared by the measures, the statement and the web.

A count of children from 1 to ``SMALL_MAX`` is never published; it shows as ``"c"`` in JSON and
``[c]`` in text. Where a line of cells sums to a published total, a single suppressed cell could be
recovered by subtraction, so the next smallest non-zero cell of that line is suppressed too (or,
when no other cell can be, the total), repeated until no line holds exactly one suppressed cell.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Final, TypeVar

#: The JSON value of a suppressed cell (DESIGN.md).
SUPPRESSED: Final = "c"
#: How a suppressed cell reads in text, tables and spreadsheets.
SUPPRESSED_TEXT: Final = "[c]"
#: The largest count of children suppressed (the smallest is 1; zeros are shown).
SMALL_MAX: Final = 4

K = TypeVar("K", bound=Hashable)


def is_number(value: Any) -> bool:
    """True for an int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_small(value: Any) -> bool:
    """True for a count of children that must not be published: an integer from 1 to SMALL_MAX."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= SMALL_MAX


def is_suppressed(value: Any) -> bool:
    """True for a suppressed cell value."""
    return isinstance(value, str) and value == SUPPRESSED


def text(value: Any) -> str | None:
    """``[c]`` for a suppressed value, else None (callers format numbers themselves)."""
    return SUPPRESSED_TEXT if is_suppressed(value) else None


def secondary_suppress(
    lines: Sequence[tuple[Sequence[K], Sequence[K]]],
    get: Callable[[K], Any],
    hide: Callable[[K], None],
) -> None:
    """Secondary suppression to a fixpoint over additive lines.

    Each line is (cells, totals): cells that sum to the total cells. When exactly one cell of a
    line is suppressed while a total is published, the smallest non-zero published cell is
    suppressed too; when there is none, the published total is.
    """
    changed = True
    while changed:
        changed = False
        for cells, totals in lines:
            hidden = [k for k in cells if is_suppressed(get(k))]
            if len(hidden) != 1:
                continue
            shown_totals = [k for k in totals if is_number(get(k))]
            if totals and not shown_totals:
                continue
            shown = [k for k in cells if is_number(get(k)) and get(k) > 0]
            if shown:
                hide(min(shown, key=get))
                changed = True
            elif shown_totals:
                hide(shown_totals[0])
                changed = True
