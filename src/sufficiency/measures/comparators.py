"""Comparators (England, region, statistical neighbours): the DfE's published figures for the
council's area, shipped in the package (``sufficiency.published``), with registers/benchmarks
overriding and adding to them.

One rule picks the comparator for a year: the figure for that year, else the latest earlier one
(published comparators lag the council's own return by a year or more), never a later one. The
``benchmarks`` measure, the statement's tables and its key messages all call ``comparator_for``;
each says which year a lagging comparator is from.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset

#: The comparator areas, in the order the statement and dashboard show them.
AREAS = ("england", "region", "statistical_neighbours")


@dataclass(frozen=True)
class Comparator:
    """One comparator figure: ``value`` for ``measure_id`` in ``area`` for the year ``year``."""

    measure_id: str
    year: int
    area: str
    value: float
    source: str | None
    #: More about a published figure: for statistical neighbours, how many of them published
    #: one (``used`` of ``of``) and each neighbour's figure.
    extra: Mapping[str, Any] = field(default_factory=dict)


def read_comparators(frame: pl.DataFrame | None) -> list[Comparator]:
    """The rows of a benchmarks register (typed by its declaration: ids stripped, areas in
    their declared spelling) with a year and a value, in register order, a blank source None;
    [] when there is no register."""
    if frame is None or frame.height == 0:
        return []
    rows = frame.select("measure_id", "year", "area", "value", "source").drop_nulls(
        ["measure_id", "year", "area", "value"]
    )
    return [
        Comparator(
            r["measure_id"], int(r["year"]), r["area"], float(r["value"]), r["source"] or None
        )
        for r in rows.iter_rows(named=True)
    ]


def published_comparators(la_code: str) -> list[Comparator]:
    """Every published comparator for the council ``la_code`` (England, its region and the mean of
    its statistical neighbours) for every published year of every shipped rate or share; [] for
    an unknown or blank code. Counts are left out: other areas' counts are not comparable."""
    return list(_published_comparators(la_code))


@functools.cache
def _published_comparators(la_code: str) -> tuple[Comparator, ...]:
    """``published_comparators``, worked out once per council and process: the shipped figures
    never change while it runs (each Dataset, web request or benchmark run reads the same)."""
    from sufficiency import published

    if not la_code:
        return ()
    try:
        la = published.resolve_la(la_code)
    except published.UnknownArea:
        return ()
    out: list[Comparator] = []
    for info in published.published_measures():
        if info.unit == "count":
            continue
        for comparison in published.comparison_series(la.code, info.measure_id):
            for area, figure in comparison.comparators_json().items():
                if figure.get("value") is not None:
                    out.append(
                        Comparator(
                            info.measure_id,
                            comparison.year,
                            area,
                            float(figure["value"]),
                            figure.get("source"),
                            {k: figure[k] for k in ("used", "of", "neighbours") if k in figure},
                        )
                    )
    return tuple(out)


def comparators(ds: Dataset) -> list[Comparator]:
    """The council's comparators: the published ones, then registers/benchmarks (whose rows win
    over a published one for the same measure, year and area)."""
    from sufficiency.measures.common import memo

    def build() -> list[Comparator]:
        return published_comparators(ds.profile.code) + read_comparators(ds.register("benchmarks"))

    return memo(ds, "comparators", build)


def comparator_for(
    marks: Sequence[Comparator], measure_id: str, year: int, area: str
) -> Comparator | None:
    """The comparator for ``year``, else the latest earlier one (comparators lag); None when
    there is none for that measure and area up to ``year``. Of two rows for the same year the
    later one in the register wins."""
    hits = [
        (m.year, i, m)
        for i, m in enumerate(marks)
        if m.measure_id == measure_id and m.area == area and m.year <= year
    ]
    return max(hits, key=lambda h: (h[0], h[1]))[2] if hits else None


def lags(mark: Comparator, year: int) -> bool:
    """True when ``mark`` is from an earlier year than ``year`` (the text must say which)."""
    return mark.year != year
