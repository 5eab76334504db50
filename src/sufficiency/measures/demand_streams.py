"""Two demand streams the placement-type forecast does not separate (issue 19): unaccompanied
asylum-seeking children (the UASC table) and children placed under a deprivation-of-liberty
order (the ``dolo`` table), each as a stock with entries and exits, projected a year at a time.

The one rule (``StockFlow``): over the year ending on the reference date the stream starts with
``start`` children, ``entries`` join it and it ends with ``end``, so ``exits = start + entries -
end`` left it; children leave at ``rate = exits / mean stock`` (the mean of start and end) a
year. Projected ``t`` years on with ``A`` entries a year (the observed entries unless a scenario
says otherwise): ``n(t) = A / rate + (end - A / rate) * exp(-rate * t)``, or ``end + A * t`` when
nobody left. A stream whose flows balance stays where it is (seed 000 §5.5: 4 orders, stable).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.catalogue import Period, Value, measure
from sufficiency.measures.common import cla_on, memo
from sufficiency.measures.population import starters, uasc_count_on, uasc_on
from sufficiency.results import Record

THEME = "population"
#: Years ahead the catalogue's projections show (the forecast's default horizon, 36 months).
YEARS_AHEAD = 3
FLOW_KEYS = ("start", "entries", "exits", "end")


@dataclass(frozen=True)
class StockFlow:
    """A stream's year: children at its start and end and the entries between."""

    start: int
    entries: int
    end: int

    @property
    def exits(self) -> int:
        return max(self.start + self.entries - self.end, 0)

    @property
    def rate(self) -> float:
        """Exits a year per child in the stream (exits over the mean stock; 0 when empty)."""
        mean = (self.start + self.end) / 2
        return self.exits / mean if mean > 0 else 0.0

    def project(self, years: float, entries_per_year: float | None = None) -> float:
        """Expected children ``years`` after the year's end with ``entries_per_year`` joining
        (default: the year's entries; net of transfers out it may be negative), never below
        none."""
        arrivals = float(self.entries if entries_per_year is None else entries_per_year)
        rate = self.rate
        if rate <= 0:
            return max(self.end + arrivals * years, 0.0)
        level = arrivals / rate
        return max(level + (self.end - level) * math.exp(-rate * years), 0.0)

    def to_json(self) -> dict[str, float | int]:
        return {
            "start": self.start,
            "entries": self.entries,
            "exits": self.exits,
            "end": self.end,
            "exit_rate_per_year": round(self.rate, 4),
        }


def _day_before(period: Period) -> dt.date:
    return period.start - dt.timedelta(days=1)


def uasc_flow(ds: Dataset, period: Period) -> StockFlow:
    """UASC looked after the day before the year and on its last day, and UASC arrivals."""
    if not ds.uasc.height:  # no child is UASC without a row of the UASC table (``uasc_on``):
        return StockFlow(0, 0, 0)  # none, found without working out who was looked after
    return StockFlow(
        uasc_count_on(ds, _day_before(period)),  # the rows of uasc_stock: its children only
        uasc_entries(ds, period).height,
        uasc_count_on(ds, period.end),
    )


def uasc_stock(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """UASC looked after on ``d`` (a stream's start or end)."""
    return uasc_on(ds, d, cla_on(ds, d))


def uasc_entries(ds: Dataset, period: Period) -> pl.DataFrame:
    """UASC who started to be looked after in the year (the stream's entries)."""
    return uasc_on(ds, pl.col("start"), starters(ds, period))


def orders(ds: Dataset) -> pl.DataFrame | None:
    """One row per order (CHILD, DOLO_START, DOLO_END) across the returns: an order open at the
    end of one return is listed again by the next, which may end it (the end any return gives
    wins); None without the ``dolo`` table."""
    table = ds.tables.get("dolo")
    if table is None:
        return None
    return memo(
        ds,
        "dolo_orders",
        lambda: table.group_by("CHILD", "DOLO_START").agg(pl.col("DOLO_END").max()),
    )


def dolo_orders_on(ds: Dataset, d: dt.date) -> int:
    """Children with a deprivation-of-liberty order in force on ``d`` (DOLO_START on or before
    it, DOLO_END blank or after it)."""
    frame = orders(ds)
    return 0 if frame is None else in_force(frame, d).get_column("CHILD").n_unique()


def in_force(frame: pl.DataFrame, d: dt.date) -> pl.DataFrame:
    """The ``orders`` in force on ``d``."""
    end = pl.col("DOLO_END")
    return frame.filter((pl.col("DOLO_START") <= d) & (end.is_null() | (end > d)))


def made_in(frame: pl.DataFrame, period: Period) -> pl.DataFrame:
    """The ``orders`` made in the year (the stream's entries)."""
    return frame.filter(pl.col("DOLO_START").is_between(period.start, period.end))


def dolo_flow(ds: Dataset, period: Period) -> StockFlow | None:
    """Orders in force the day before the year and on its last day, and children with an order
    made in it; None without the ``dolo`` table."""
    frame = orders(ds)
    if frame is None:
        return None
    made = made_in(frame, period)
    return StockFlow(
        dolo_orders_on(ds, _day_before(period)),
        made.get_column("CHILD").n_unique(),
        dolo_orders_on(ds, period.end),
    )


def stream_record(flow: StockFlow, period: Period, entries: float | None = None) -> Record:
    """The year's flows and ``projected_<year>`` at each of the next ``YEARS_AHEAD`` 31 Marches
    (one decimal); the projections and the rate are hidden with any small count they rest on."""
    fields: dict[str, float | int] = dict(flow.to_json())
    for k in range(1, YEARS_AHEAD + 1):
        fields[f"projected_{period.end.year + k}"] = round(flow.project(k, entries), 1)
    derived = tuple(f for f in fields if f not in FLOW_KEYS)
    return Record(fields, FLOW_KEYS, derived)


_RULE = (
    "Projected a year at a time from the year ending on the reference date: exits = start + "
    "entries - end; children leave at exits / ((start + end) / 2) a year; with A entries a "
    "year (the year's own) the stream after t years is A / rate + (end - A / rate) x "
    "exp(-rate x t), or end + A x t when nobody left. Projections are hidden like the small "
    "counts of children they would reveal."
)


@measure(
    "uasc_forecast",
    title="Unaccompanied asylum-seeking children: the year's flows and the next three years",
    theme=THEME,
    unit="number",
    definition=(
        "Unaccompanied asylum-seeking children looked after (in the UASC table, DUC blank or "
        "after the date) the day before the year (start) and on the reference date (end); "
        "UASC who started to be looked after in the year (entries, as uasc_arrivals). "
        + _RULE
        + " A forecast scenario may set arrivals and National Transfer Scheme transfers in "
        "and out (docs/forecast.md); this measure uses the year's own arrivals."
    ),
    source="SSDA903 UASC table and episodes",
    child_keys=FLOW_KEYS,
)
def uasc_forecast(ds: Dataset, period: Period) -> Value:
    flow = uasc_flow(ds, period)
    return stream_record(flow, period)


@measure(
    "dolo_orders",
    title="Children placed under a deprivation-of-liberty order: the year and the next three",
    theme=THEME,
    unit="number",
    definition=(
        "Children with a deprivation-of-liberty order (the SSDA903 dolo table) in force the "
        "day before the year (start: DOLO_START on or before the day, DOLO_END blank or after "
        "it) and on the reference date (end); orders made in the year (entries: DOLO_START in "
        "the year). " + _RULE
    ),
    source="SSDA903 dolo table",
    child_keys=FLOW_KEYS,
)
def dolo_orders(ds: Dataset, period: Period) -> Value:
    flow = dolo_flow(ds, period)
    if flow is None:
        return None
    return stream_record(flow, period)
