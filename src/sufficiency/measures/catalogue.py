"""The measure catalogue: one registered pure function per measure, with its definition.

A measure takes a Dataset and a Period (the year ending on the reference date) and returns a
JSON-serialisable value: a number, a ``Share``, a ``Counts`` mapping (keyed by the ids in
DESIGN.md) or a ``Table`` (nested counts). The statement, CLI and dashboard iterate the
catalogue; adding a measure is adding one decorated function in a theme module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset

Unit = Literal["count", "rate", "share", "counts", "table", "days", "money", "number"]


@dataclass(frozen=True)
class Period:
    """The year ending on ``end`` (inclusive): ``start`` is the day after ``end`` a year earlier."""

    start: dt.date
    end: dt.date

    @classmethod
    def year_ending(cls, at: dt.date) -> Period:
        try:
            prior = at.replace(year=at.year - 1)
        except ValueError:  # 29 February
            prior = at.replace(year=at.year - 1, day=28)
        return cls(prior + dt.timedelta(days=1), at)

    def previous(self) -> Period:
        return Period.year_ending(self.start - dt.timedelta(days=1))

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Share:
    """A count out of a denominator; ``pct`` is a percentage to one decimal (None if 0/0)."""

    count: int
    denominator: int

    @property
    def pct(self) -> float | None:
        if self.denominator == 0:
            return None
        return round(100.0 * self.count / self.denominator, 1)

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "denominator": self.denominator, "pct": self.pct}


Counts: TypeAlias = dict[str, int]
Table: TypeAlias = dict[str, dict[str, int]]
Value: TypeAlias = int | float | Share | Counts | Table | dict[str, Any] | None


@dataclass(frozen=True)
class Measure:
    """A registered measure: metadata plus the pure function computing it."""

    id: str
    title: str
    theme: str
    unit: Unit
    definition: str
    func: Callable[[Dataset, Period], Value]
    breakdowns: tuple[str, ...] = ()
    #: Where the definition comes from (e.g. "DfE SSDA903 guidance", "DESIGN.md").
    source: str = ""
    #: Keys of a Counts/Table result in display order, when fixed.
    keys: tuple[str, ...] = ()
    #: True when small-number suppression applies (counts of children).
    suppress: bool = True
    #: For a record of mixed figures (beds, children, shares): the keys that count children,
    #: suppressed when 1-4, and the keys derived from them, suppressed with them.
    child_keys: tuple[str, ...] = ()
    derived_keys: tuple[str, ...] = ()
    #: The count measure a rate / average is built on: it is suppressed when that count is.
    based_on: str = ""

    def compute(self, ds: Dataset, period: Period) -> Value:
        return self.func(ds, period)


CATALOGUE: dict[str, Measure] = {}


def measure(
    id: str,
    *,
    title: str,
    theme: str,
    unit: Unit,
    definition: str,
    breakdowns: tuple[str, ...] = (),
    source: str = "",
    keys: tuple[str, ...] = (),
    suppress: bool = True,
    based_on: str = "",
    child_keys: tuple[str, ...] = (),
    derived_keys: tuple[str, ...] = (),
) -> Callable[[Callable[[Dataset, Period], Value]], Callable[[Dataset, Period], Value]]:
    """Register ``func`` in the catalogue under ``id`` (ids are unique and stable)."""

    def register(func: Callable[[Dataset, Period], Value]) -> Callable[[Dataset, Period], Value]:
        if id in CATALOGUE:
            raise ValueError(f"measure id registered twice: {id}")
        CATALOGUE[id] = Measure(
            id,
            title,
            theme,
            unit,
            definition,
            func,
            breakdowns=breakdowns,
            source=source,
            keys=keys,
            suppress=suppress,
            child_keys=child_keys,
            derived_keys=derived_keys,
            based_on=based_on,
        )
        return func

    return register


@dataclass
class MeasureResults:
    """Values of many measures for one reference date."""

    la: str
    at: dt.date
    period: Period
    values: dict[str, Value] = field(default_factory=dict)


def to_jsonable(value: Value) -> Any:
    """Turn a measure value into plain JSON types."""
    if isinstance(value, Share):
        return value.to_json()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
