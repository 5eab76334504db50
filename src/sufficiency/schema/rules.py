"""Cross-field rules of a register row: one value must not be above another (ages, occupancy,
dates). Declared with the register; checked on the typed frame by ingest and the web forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class NotAbove:
    """``lesser`` must not be above ``greater`` when both are given (a blank passes)."""

    lesser: str
    greater: str
    #: Stable problem code (``register_age_range``, ``register_over_capacity``,
    #: ``register_date_order``).
    code: str

    def broken(self) -> pl.Expr:
        """True on typed rows that break the rule (null-safe: blanks never break it)."""
        return (pl.col(self.lesser) > pl.col(self.greater)).fill_null(False)

    def message(self, low: object, high: object) -> str:
        """The problem message for a row whose values are ``low`` (lesser) and ``high``."""
        if isinstance(low, dt.date):
            return (
                f"{self.lesser} {low.isoformat()} is after {self.greater} "
                f"{high.isoformat() if isinstance(high, dt.date) else high} "
                f"(expected {self.lesser} on or before {self.greater})"
            )
        return (
            f"{self.lesser} {low} is above {self.greater} {high} "
            f"(expected {self.lesser} <= {self.greater})"
        )

    def describe(self) -> str:
        """The rule in words (docs and form help)."""
        return f"`{self.lesser}` <= `{self.greater}`"


def ages_in_order() -> NotAbove:
    """age_min <= age_max: a range that admits no child is refused."""
    return NotAbove("age_min", "age_max", "register_age_range")


def within(occupied: str, capacity: str) -> NotAbove:
    """Occupied places no more than the places there are."""
    return NotAbove(occupied, capacity, "register_over_capacity")


def in_order(earlier: str, later: str) -> NotAbove:
    """Two dates in order (the earlier on or before the later)."""
    return NotAbove(earlier, later, "register_date_order")


def in_sequence(*dates: str) -> tuple[NotAbove, ...]:
    """Dates in the order given, blanks skipped: every date on or before each later one, so a
    row whose stage dates go backwards is refused whichever stages it has reached."""
    return tuple(in_order(a, b) for i, a in enumerate(dates) for b in dates[i + 1 :])
