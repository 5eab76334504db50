"""Trends (each count measure for every year end in the data) and benchmarks (registers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.catalogue import CATALOGUE, Period, Share, measure

#: Themes whose count and rate measures the trends table follows year by year.
TREND_THEMES = ("population", "placements", "location", "stability", "time_in_care", "permanence")
#: Measures always shown in the benchmarks table, whether or not the register has them.
BENCHMARKED = ("cla_rate_per_10k", "stability_three_plus", "stability_long_term")
BENCHMARK_AREAS = ("england", "region", "statistical_neighbours")


def _same_day(year: int, at: dt.date) -> dt.date:
    try:
        return at.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, at.month, 28)


def year_ends(ds: Dataset, at: dt.date) -> list[dt.date]:
    """The reference date and the same day in each earlier year the data covers, ascending."""
    if ds.returns:
        first = min(ds.returns)
    else:
        earliest = ds.episodes.get_column("DECOM").min()
        first = earliest.year if isinstance(earliest, dt.date) else at.year
    first = max(first, at.year - 20)
    return [_same_day(y, at) for y in range(first, at.year + 1) if _same_day(y, at) <= at]


def scalar(value: Any) -> float | int | None:
    """The headline number of a measure value: a Share's percentage, a number as it is."""
    if isinstance(value, Share):
        return value.pct
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    return None


@measure(
    "trends",
    title="Trends: each count for every year end in the data",
    theme="trends",
    unit="table",
    definition=(
        "For every count and rate measure of the population, placements, location, stability, "
        "time in care and permanence themes: its value at the reference date and at the same "
        "date in each earlier year the data covers, with the change from the year before."
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
        previous: float | int | None = None
        for end in ends:
            value = scalar(m.compute(ds, Period.year_ending(end)))
            change = None
            if value is not None and previous is not None:
                change = (
                    round(value - previous, 1) if isinstance(value, float) else value - previous
                )
            series[str(end.year)] = {"value": value, "change": change}
            previous = value
        out[m.id] = series
    return out


def _benchmark_rows(ds: Dataset) -> pl.DataFrame | None:
    bench = ds.register("benchmarks")
    if (
        bench is None
        or not bench.height
        or not {"measure_id", "year", "area", "value"} <= set(bench.columns)
    ):
        return None
    return bench.select(
        pl.col("measure_id").cast(pl.Utf8).str.strip_chars(),
        pl.col("year").cast(pl.Int32, strict=False),
        pl.col("area").cast(pl.Utf8).str.strip_chars(),
        pl.col("value").cast(pl.Float64, strict=False),
        (pl.col("source") if "source" in bench.columns else pl.lit(None))
        .cast(pl.Utf8)
        .alias("source"),
    ).filter(pl.col("year").is_not_null() & pl.col("value").is_not_null())


@measure(
    "benchmarks",
    title="Benchmarks: the council beside region, statistical neighbours and England",
    theme="benchmarks",
    unit="table",
    definition=(
        "For the rate per 10,000, the stability measures and every other measure in "
        "registers/benchmarks.csv: the council's value at the reference date (a share as its "
        "percentage) beside each comparator area's latest figure for a year up to the year of "
        "the reference date, with that year and the source cited."
    ),
    breakdowns=("area",),
    suppress=False,
)
def benchmarks(ds: Dataset, period: Period) -> dict[str, Any]:
    rows = _benchmark_rows(ds)
    ids = list(BENCHMARKED)
    if rows is not None:
        ids += [
            i
            for i in rows.get_column("measure_id").unique(maintain_order=True).to_list()
            if i not in ids
        ]
    out: dict[str, Any] = {}
    for mid in ids:
        m = CATALOGUE.get(mid)
        la = scalar(m.compute(ds, period)) if m is not None else None
        comparators: dict[str, Any] = {}
        if rows is not None:
            mine = rows.filter((pl.col("measure_id") == mid) & (pl.col("year") <= period.end.year))
            for area in BENCHMARK_AREAS:
                hit = mine.filter(pl.col("area") == area).sort("year")
                if hit.height:
                    year, value, source = hit.select("year", "value", "source").row(-1)
                    comparators[area] = {"year": year, "value": value, "source": source}
        out[mid] = {"la": la, "year": period.end.year, "comparators": comparators}
    return out


def shipped_benchmarks() -> pl.DataFrame:
    """The benchmarks shipped for the demo council (seed 000's West Midlands, statistical
    neighbour and England figures, and England figures from seed 003), as registers/benchmarks
    reads them: measure_id, year, area, value, source. Copy into a council's registers."""
    from importlib.resources import files

    text = (files("sufficiency.measures") / "data" / "benchmarks.csv").read_text(encoding="utf-8")
    import io

    return pl.read_csv(
        io.StringIO(text),
        schema={
            "measure_id": pl.Utf8,
            "year": pl.Int32,
            "area": pl.Utf8,
            "value": pl.Float64,
            "source": pl.Utf8,
        },
    )
