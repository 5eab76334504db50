"""Small-number disclosure control: the one small-count test, the one ``[c]`` symbol, the one
per-result secondary-suppression rule, and (in ``disclosure.linear`` / ``disclosure.audit``) the
system of linear relations every published output is protected and audited as.

A count of children from 1 to ``SMALL_MAX`` (the DfE's local-authority threshold: the smallest
count its LA-level files show is 6) is never published; it shows as ``"c"`` in JSON and ``[c]``
in text. A council may raise the threshold (``small_count_max`` in la.toml), never lower it.
Where a line of cells sums to a published total, a single suppressed cell could be recovered by
subtraction, so the next smallest non-zero cell of that line is suppressed too (or, when no
other cell can be, the total), repeated until no line holds exactly one suppressed cell. Whole
outputs (a statement, the viewer's dashboard) go further: ``disclosure.linear.protect`` chooses
suppressions over all their relations together and ``disclosure.audit`` proves the result.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Final, TypeVar

#: The JSON value of a suppressed cell (DESIGN.md).
SUPPRESSED: Final = "c"
#: How a suppressed cell reads in text, tables and spreadsheets.
SUPPRESSED_TEXT: Final = "[c]"
#: The largest count of children suppressed by default (the smallest is 1; zeros are shown): the
#: DfE's threshold for local-authority figures.
SMALL_MAX: Final = 5
#: The most a council may raise its threshold to (la.toml ``small_count_max``).
SMALL_MAX_LIMIT: Final = 20

K = TypeVar("K", bound=Hashable)


def is_number(value: Any) -> bool:
    """True for an int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_small(value: Any, small_max: int = SMALL_MAX) -> bool:
    """True for a count of children that must not be published: an integer from 1 to
    ``small_max`` (the council's threshold; ``SMALL_MAX`` unless it raised it)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= small_max


def is_suppressed(value: Any) -> bool:
    """True for a suppressed cell value."""
    return isinstance(value, str) and value == SUPPRESSED


def text(value: Any) -> str | None:
    """``[c]`` for a suppressed value, else None (callers format numbers themselves)."""
    return SUPPRESSED_TEXT if is_suppressed(value) else None


def threshold_text(small_max: int = SMALL_MAX) -> str:
    """How the statement and the dashboard state the threshold: "1 to 5"."""
    return f"1 to {small_max}"


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
