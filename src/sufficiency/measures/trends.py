"""Trends (each count measure for every year end in the data) and benchmarks (registers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sufficiency.dataset import Dataset
from sufficiency.dates import same_day
from sufficiency.measures.catalogue import CATALOGUE, Period, measure
from sufficiency.measures.change import change
from sufficiency.measures.comparators import AREAS, comparator_for, comparators, read_comparators
from sufficiency.results import scalar

#: Themes whose count and rate measures the trends table follows year by year.
TREND_THEMES = ("population", "placements", "location", "stability", "time_in_care", "permanence")
#: Measures always shown in the benchmarks table, whether or not the register has them.
BENCHMARKED = ("cla_rate_per_10k", "stability_three_plus", "stability_long_term")
BENCHMARK_AREAS = AREAS


def year_ends(ds: Dataset, at: dt.date) -> list[dt.date]:
    """The reference date and the same day in each earlier year the data covers, ascending."""
    if ds.returns:
        first = min(ds.returns)
    else:
        earliest = ds.episodes.get_column("DECOM").min()
        first = earliest.year if isinstance(earliest, dt.date) else at.year
    first = max(first, at.year - 20)
    return [same_day(y, at) for y in range(first, at.year + 1) if same_day(y, at) <= at]


@measure(
    "trends",
    title="Trends: each count for every year end in the data",
    theme="trends",
    unit="table",
    definition=(
        "For every count and rate measure of the population, placements, location, stability, "
        "time in care and permanence themes: its value at the reference date and at the same "
        "date in each earlier year the data covers, with the change from the year before (in "
        "the measure's unit; percentage points for a share)."
    ),
    breakdowns=("year",),
)
def trends(ds: Dataset, period: Period) -> dict[str, Any]:
    ends = year_ends(ds, period.end)
    chosen = [
        m for m in CATALOGUE.values() if m.theme in TREND_THEMES and m.unit in ("count", "rate")
    ]
    out: dict[str, Any] = {}
    for m in chosen:
        series: dict[str, Any] = {}
        previous: float | int | str | None = None
        for end in ends:
            value = scalar(m.compute(ds, Period.year_ending(end)))
            series[str(end.year)] = {"value": value, "change": change(previous, value)}
            previous = value
        out[m.id] = series
    return out


@measure(
    "benchmarks",
    title="Benchmarks: the council beside region, statistical neighbours and England",
    theme="benchmarks",
    unit="table",
    definition=(
        "For the rate per 10,000, the stability measures, every measure the DfE publishes for "
        "each council (children looked after, starts and ceased and their rates, stability, "
        "care leavers, UASC, adoptions, placement groups) and every measure in "
        "registers/benchmarks.csv: the council's value at the reference date (a share as its "
        "percentage) beside England's, its region's and the mean of its ten statistical "
        "neighbours' published figures (DfE 2025 model; suppressed neighbours skipped) for that "
        "year, else the latest earlier published year, with that year and the source cited; "
        "registers/benchmarks.csv overrides and adds. The council's own published figure for "
        "that year (published_la) shows where its returns and the DfE's figures differ. "
        "Published figures: Department for Education and ONS, Open Government Licence v3.0."
    ),
    breakdowns=("area",),
    suppress=False,
    # the furthest back of the council's own figures it carries (long-term stability's)
    history_years=2.5,
)
def benchmarks(ds: Dataset, period: Period) -> dict[str, Any]:
    marks = comparators(ds)
    register_ids = {m.measure_id for m in read_comparators(ds.register("benchmarks"))}
    ids = list(BENCHMARKED)
    ids += [
        i
        for i in dict.fromkeys(m.measure_id for m in marks)
        if i not in ids and (i in CATALOGUE or i in register_ids)
    ]
    out: dict[str, Any] = {}
    for mid in ids:
        m = CATALOGUE.get(mid)
        la = scalar(m.compute(ds, period)) if m is not None else None
        found: dict[str, Any] = {}
        for area in BENCHMARK_AREAS:
            hit = comparator_for(marks, mid, period.end.year, area)
            if hit is not None:
                found[area] = {
                    "year": hit.year,
                    "value": hit.value,
                    "source": hit.source,
                    **hit.extra,
                }
        out[mid] = {
            "la": la,
            "year": period.end.year,
            "comparators": found,
            "published_la": published_figure(ds.profile.code, mid, period.end.year),
        }
    return out


def published_figure(la_code: str, measure_id: str, year: int) -> dict[str, Any] | None:
    """The council's own published figure for ``measure_id`` in ``year`` (else the latest
    earlier published year): ``{"year", "value", "symbol", "source"}``, or None."""
    from sufficiency import published

    if not la_code:
        return None
    try:
        comparison = published.comparators(la_code, measure_id, year)
    except published.UnknownArea:
        return None
    if comparison is None or comparison.published_la is None:
        return None
    figure = comparison.published_la
    return {
        "year": figure.year,
        "value": figure.value,
        "symbol": figure.symbol,
        "source": figure.source,
    }
