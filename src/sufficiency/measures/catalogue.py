"""The measure catalogue: one registered pure function per measure, with its definition.

A measure takes a Dataset and a Period (the year ending on the reference date) and returns a
typed result (``sufficiency.results``) or a plain value (a number, a ``Counts`` mapping keyed by
the ids in DESIGN.md, a ``Grid`` of nested counts) that its declared unit types. The statement, CLI and dashboard iterate the
catalogue; adding a measure is adding one decorated function in a theme module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from sufficiency.results import (
    Breakdown,
    Count,
    Days,
    Missing,
    Money,
    Number,
    Rate,
    Record,
    Result,
    Series,
    Share,
    Table,
    to_json,
)

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


Counts: TypeAlias = dict[str, int]
Grid: TypeAlias = dict[str, dict[str, int]]
#: What a measure function returns: a typed result, or a plain value its declared unit types.
Value: TypeAlias = Result | int | float | Counts | Grid | dict[str, Any] | None


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
    #: suppressed when 1 to the threshold (5), and the keys derived from them, suppressed with them.
    child_keys: tuple[str, ...] = ()
    derived_keys: tuple[str, ...] = ()
    #: The count measure a rate / average is built on: it is suppressed when that count is.
    based_on: str = ""
    #: Years of returns before its date the measure reads, to see when each child's care (or
    #: placement, or court order) began; with fewer loaded it is worked out from the first
    #: return's start as if care began then (``measures.history``).
    history_years: float = 0.0

    def compute(self, ds: Dataset, period: Period) -> Result:
        """The measure's typed result for ``period`` (inside ``one_run``, worked out once)."""
        run = _RUN.get()
        if run is None:
            return typed(self.func(ds, period), self)
        key = (self.id, id(ds), period)
        if key not in run:
            run[key] = (ds, typed(self.func(ds, period), self))  # ds kept: its id stays its own
        return run[key][1]


#: The results of the catalogue run under way (``one_run``), by measure id, Dataset and period.
_RUN: ContextVar[dict[tuple[str, int, Period], tuple[Any, Result]] | None] = ContextVar(
    "measure_run", default=None
)


@contextmanager
def one_run() -> Iterator[None]:
    """Within it each measure is worked out once per Dataset and period: the trends table and
    the benchmarks table take the values the run has already (a measure at its reference date,
    the stability and rate measures) instead of computing them again. Only for the length of a
    run: a measure may read more than its Dataset (a web page's live data), never kept after."""
    if _RUN.get() is not None:  # already inside a run
        yield
        return
    token = _RUN.set({})
    try:
        yield
    finally:
        _RUN.reset(token)


CATALOGUE: dict[str, Measure] = {}

__all__ = [
    "CATALOGUE",
    "Counts",
    "Grid",
    "Measure",
    "MeasureResults",
    "Period",
    "Share",
    "Value",
    "measure",
    "one_run",
    "typed",
]


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
    history_years: float = 0.0,
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
            history_years=history_years,
        )
        return func

    return register


@dataclass
class MeasureResults:
    """Values of many measures for one reference date."""

    la: str
    at: dt.date
    period: Period
    values: dict[str, Result] = field(default_factory=dict)


def _flat(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool))
        for v in value.values()
    )


def typed(value: Value, m: Measure) -> Result:
    """The typed result of a measure function's value, by the measure's declared unit: counts
    of children are marked as such when the measure is suppressed (``m.suppress``)."""
    if isinstance(value, Result):
        return value
    if value is None:
        return Missing()
    if isinstance(value, Mapping):
        fields = dict(value)
        if m.child_keys:
            return Record(fields, m.child_keys, m.derived_keys, unit=m.unit)
        if m.unit == "days" and "average" in fields:
            return Days(**fields)
        if _flat(fields):
            cell_unit = "count" if m.unit in ("count", "counts", "table") else m.unit
            return Breakdown(fields, unit=cell_unit, children=m.suppress and cell_unit == "count")
        if all(_flat(v) for v in fields.values()):
            cell_unit = "count" if m.unit in ("count", "counts", "table") else m.unit
            return Table(fields, unit=cell_unit, children=m.suppress and cell_unit == "count")
        if m.unit == "money":
            return Series(fields, unit="money")
        return Record(fields, unit=m.unit)
    if m.unit == "count" and isinstance(value, int):
        return Count(value, children=m.suppress)
    if m.unit == "rate":
        return Rate(value)
    if m.unit == "money":
        return Money(value)
    return Number(value, unit=m.unit if m.unit in ("days", "number") else "number")


def to_jsonable(value: Any) -> Any:
    """Plain JSON of a measure value (typed or plain)."""
    return to_json(value)
