"""A region's figure of one measure from its councils' (issue 21): sums where additive,
recomputed where not.

Counts, breakdowns, tables, money and shares' counts and denominators add up; a rate per 10,000
is recomputed from the summed count it is ``based_on`` and the summed under-18 populations; an
average in days is the children-weighted mean. Anything else (a median, a record of mixed
figures, a trend series) has no regional figure: ``Missing`` says so and each council's is shown.
Pure: takes the councils' unsuppressed results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sufficiency.measures.catalogue import Measure
from sufficiency.results import (
    Breakdown,
    Count,
    Days,
    Missing,
    Money,
    Rate,
    Result,
    Share,
    Table,
)

NOT_ADDITIVE = "not additive: each council's figure is shown"
#: Per 10,000 children, as the DfE's rates are.
PER = 10_000


def _num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sum(values: Sequence[Any]) -> int | float | None:
    nums = [v for v in values if v is not None]
    if not nums or not all(_num(v) for v in nums):
        return None
    total = sum(nums)
    return round(total, 2) if isinstance(total, float) else total


def _sum_cells(cells: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    keys: list[str] = []
    for c in cells:
        keys += [k for k in c if k not in keys]
    out: dict[str, Any] = {}
    for k in keys:
        total = _sum([c.get(k, 0) for c in cells])
        if total is None:
            return None
        out[k] = total
    return out


def _days(parts: Sequence[Days]) -> Days | None:
    def weighted(avg: str, n: str) -> tuple[float | None, int]:
        pairs = [(getattr(p, avg), getattr(p, n)) for p in parts]
        known = [(a, c) for a, c in pairs if _num(a) and _num(c) and c]
        total = sum(int(c) for _, c in known)
        if not total:
            return None, 0
        return round(sum(float(a) * c for a, c in known) / total, 1), total

    average, children = weighted("average", "children")
    three, three_n = weighted("three_year_average", "three_year_children")
    return Days(average, children, three, three_n, parts[0].target)


def combine(
    measure: Measure | None,
    parts: Sequence[Result],
    populations: Sequence[int | None],
    counts: Sequence[Result | None],
) -> Result:
    """The region's result of one measure from its councils' ``parts`` (same order as their
    ``populations`` and their results of the measure a rate is ``based_on``, ``counts``)."""
    if not parts:
        return Missing("no councils")
    first = parts[0]
    same = all(type(p) is type(first) for p in parts)
    if not same:
        return Missing(NOT_ADDITIVE)
    if isinstance(first, Rate):
        return _rate(first, populations, counts)
    if isinstance(first, Money):
        total = _sum([p.value for p in parts])  # type: ignore[attr-defined]
        return Missing(NOT_ADDITIVE) if total is None else replace(first, value=total)
    if isinstance(first, Count):
        total = _sum([p.value for p in parts])  # type: ignore[attr-defined]
        return Missing(NOT_ADDITIVE) if total is None else replace(first, value=int(total))
    if isinstance(first, Share):
        num = _sum([p.count for p in parts])  # type: ignore[attr-defined]
        den = _sum([p.denominator for p in parts])  # type: ignore[attr-defined]
        if num is None or den is None:
            return Missing(NOT_ADDITIVE)
        return replace(first, count=int(num), denominator=int(den))
    if isinstance(first, Breakdown):
        cells = _sum_cells([p.cells for p in parts])  # type: ignore[attr-defined]
        return Missing(NOT_ADDITIVE) if cells is None else replace(first, cells=cells)
    if isinstance(first, Table):
        rows: list[str] = []
        for p in parts:
            rows += [r for r in p.rows if r not in rows]  # type: ignore[attr-defined]
        summed = {
            r: _sum_cells([p.rows.get(r, {}) for p in parts])  # type: ignore[attr-defined]
            for r in rows
        }
        if any(v is None for v in summed.values()):
            return Missing(NOT_ADDITIVE)
        return replace(first, rows={r: v for r, v in summed.items() if v is not None})
    if isinstance(first, Days):
        return _days(parts) or Missing(NOT_ADDITIVE)  # type: ignore[arg-type]
    return Missing(NOT_ADDITIVE)


def _rate(
    first: Rate, populations: Sequence[int | None], counts: Sequence[Result | None]
) -> Result:
    if not counts or any(c is None or not isinstance(c, Count) for c in counts):
        return Missing(NOT_ADDITIVE)
    values = [c.value for c in counts]  # type: ignore[union-attr]
    if any(p is None for p in populations) or not all(_num(v) for v in values):
        return Missing("an under-18 population is unknown: no regional rate")
    population = sum(int(p) for p in populations if p is not None)
    if not population:
        return Missing("no under-18 population: no regional rate")
    total = sum(int(v) for v in values)
    return replace(first, value=round(total / population * PER, 1))


def additive(measure: Measure | None, result: Result) -> bool:
    """True when the region's figure of this result is the sum of its councils' (the identity
    the regional disclosure control links)."""
    return isinstance(result, Count | Breakdown | Table | Share | Money) and not isinstance(
        result, Rate
    )
