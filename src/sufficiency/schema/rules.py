"""Cross-field rules of a register row: one value must not be above another (ages, occupancy,
dates), and a status that says something ended needs the date it ended. Declared with the
register; checked on the typed frame by ingest and the web forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
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

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the rule reads."""
        return (self.lesser, self.greater)

    @property
    def column(self) -> str:
        """The column a row breaking the rule is named at."""
        return self.lesser

    def explain(self, row: Mapping[str, object], expected: str) -> str:
        """The problem message for a typed ``row`` breaking the rule (``expected`` unused)."""
        return self.message(row[self.lesser], row[self.greater])


@dataclass(frozen=True)
class DatedStatus:
    """A row whose ``status`` is ``value`` needs ``date`` given: a blank reads as not ended, so a
    deregistered household with no deregistration date counted as current supply."""

    status: str
    value: str
    date: str
    #: What a row is, for the message (``household``).
    thing: str
    code: str = "register_blank_value"

    def broken(self) -> pl.Expr:
        """True on typed rows with the status and no date (a blank status never breaks it)."""
        return ((pl.col(self.status) == self.value) & pl.col(self.date).is_null()).fill_null(False)

    def explain(self, row: Mapping[str, object], expected: str) -> str:
        """The problem message; ``expected`` is what the date column holds."""
        return (
            f"{self.date} must not be blank when {self.status} is {self.value} (expected "
            f"{expected}: a {self.value} {self.thing} needs the date it was {self.value})"
        )

    def describe(self) -> str:
        """The rule in words (docs and form help)."""
        return f"`{self.date}` given when `{self.status}` is `{self.value}`"

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the rule reads."""
        return (self.status, self.date)

    @property
    def column(self) -> str:
        """The column a row breaking the rule is named at: the blank date."""
        return self.date


#: A rule across the columns of one row.
Rule = NotAbove | DatedStatus


def ages_in_order() -> NotAbove:
    """age_min <= age_max: a range that admits no child is refused."""
    return NotAbove("age_min", "age_max", "register_age_range")


def within(occupied: str, capacity: str) -> NotAbove:
    """Occupied places no more than the places there are."""
    return NotAbove(occupied, capacity, "register_over_capacity")


def in_order(earlier: str, later: str) -> NotAbove:
    """Two dates in order (the earlier on or before the later)."""
    return NotAbove(earlier, later, "register_date_order")


def dated_status(status: str, value: str, date: str, thing: str) -> DatedStatus:
    """A ``status`` of ``value`` (deregistered, closed) needs its ``date``: without it the row
    reads as still open."""
    return DatedStatus(status, value, date, thing)


def in_sequence(*dates: str) -> tuple[NotAbove, ...]:
    """Dates in the order given, blanks skipped: every date on or before each later one, so a
    row whose stage dates go backwards is refused whichever stages it has reached."""
    return tuple(in_order(a, b) for i, a in enumerate(dates) for b in dates[i + 1 :])


@dataclass(frozen=True)
class Steady:
    """``value`` should not jump from one ``year`` to the next by more than ``factor`` times up
    or down, within rows alike in ``by`` (a warning: a real change is possible, a slip likelier).
    Only consecutive given years are compared (a gap is compared across)."""

    value: str
    year: str
    factor: float
    #: Stable problem code of the warning.
    code: str
    #: The likely slip, as a question (``a digit lost or added?``).
    hint: str
    by: tuple[str, ...] = ()
    #: Code of the warning for several rows of one year alike in ``by`` ("": none is given, as
    #: the register's key holds one row a year); the value read is then their mean.
    repeated: str = ""
    #: What to do about such rows, for the warning (``keep one row per ...``).
    repeated_hint: str = ""

    def repeated_message(
        self, year: int, rows: Sequence[int], values: Sequence[float], group: str
    ) -> str:
        """The warning for the ``rows`` (spreadsheet rows) of ``group`` giving ``values`` for
        ``year``: they are averaged."""
        where = f" for {group}" if group else ""
        mean = sum(values) / len(values)
        return (
            f"{self.value}{where} in {year} is given by rows {_listed(str(r) for r in rows)} "
            f"({_listed(_amount(v) for v in values)}): they are averaged ({_amount(mean)}); "
            f"{self.repeated_hint}"
        )

    def message(self, before: tuple[int, float], after: tuple[int, float], group: str) -> str:
        """The warning for a jump from ``before`` to ``after`` (year, value) in ``group``."""
        where = f" for {group}" if group else ""
        return (
            f"{self.value}{where} goes from {_amount(before[1])} in {before[0]} to "
            f"{_amount(after[1])} in {after[0]}, more than {self.describe_change()} "
            f"({self.hint})"
        )

    def describe_change(self) -> str:
        """The largest expected change in words (docs and messages)."""
        if self.factor >= 2:
            return f"{self.factor:g} times, or under 1/{self.factor:g} of, the year before"
        return f"{(self.factor - 1) * 100:g}% up or down on the year before"

    def jumped(self) -> pl.Expr:
        """True on rows whose ``value`` is outside the factor of ``__before`` (the group's value
        the year before, the mean of its rows then: never a row of the same year); a first
        year, or one after a year of zero, is not judged. A value of zero after a year above it
        is (a cost of 0 halved a council's spend without a word)."""
        ratio = pl.col(self.value) / pl.col("__before")
        if self.factor >= 2:
            out = (ratio > self.factor) | (ratio < 1 / self.factor)
        else:
            out = (ratio - 1).abs() > self.factor - 1
        return (out & (pl.col("__before") > 0) & (pl.col(self.value) >= 0)).fill_null(False)


@dataclass(frozen=True)
class Ceiling:
    """``value`` should not be above the most a row of its kind (the ``of`` column's value)
    typically holds, ``most`` (a warning: a real value may be, a slip is likelier). Rows alike
    in ``by`` above it are named once, at the first."""

    value: str
    year: str
    of: str
    most: Mapping[str, float]
    #: Stable problem code of the warning.
    code: str
    #: The likely slip, as a question (``entered annual, or in pence?``).
    hint: str
    by: tuple[str, ...] = ()
    #: What the value is per, after the most (`` a week``).
    per: str = ""

    def message(
        self, kind: str, group: str, first: tuple[int, float], more: int, top: float
    ) -> str:
        """The warning for ``group``'s rows above the most for ``kind``: the first (year,
        value), how many ``more`` are above it and the highest (``top``)."""
        also = (
            f" (and above it in {more} more row{'s' if more > 1 else ''}, up to {_amount(top)})"
            if more
            else ""
        )
        return (
            f"{self.value} for {group} is {_amount(first[1])} in {first[0]}{also}, above "
            f"{_amount(self.most[kind])}{self.per}, the top of the typical range for {kind} "
            f"({self.hint})"
        )


def _listed(items: Iterable[str]) -> str:
    """Items as a sentence lists them (``3 and 5``, ``3, 5 and 7``)."""
    out = list(items)
    return out[0] if len(out) == 1 else f"{', '.join(out[:-1])} and {out[-1]}"


def _amount(value: float) -> str:
    """A value as people write it (``36,736``, ``7.08``)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
