"""A council's published figure beside England, its region and its statistical neighbours.

One rule picks the year: the figures for the year asked, else the latest earlier year the DfE
has published (publications lag the council's own return by a year), never a later one; every
figure carries its own year and source. The statistical neighbours' figure is the simple mean of
the ten neighbours' published values for that year, suppressed or missing ones skipped, with the
number used and each neighbour's figure; it is rounded half up to one decimal place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import polars as pl

from sufficiency.published.areas import LA, neighbours, resolve_la
from sufficiency.published.tables import table

ENGLAND = "E92000001"
SN_SOURCE = (
    "DfE, Children's Services Statistical Neighbour Benchmarking Tool (2025 model): simple "
    "mean of the neighbours' published figures"
)


@dataclass(frozen=True)
class MeasureInfo:
    """What a shipped measure is: the DfE's title, unit (count, rate, percent, months), LAIT
    code, polarity (up: higher is better, down, neutral; None when the DfE gives none) and how it
    compares with our catalogue measure of the same id."""

    measure_id: str
    title: str
    unit: str
    lait_code: str | None
    polarity: str | None
    polarity_published: str | None
    note: str
    first_year: int
    last_year: int

    def to_json(self) -> dict[str, Any]:
        """The measure's description as JSON."""
        return {
            "measure_id": self.measure_id,
            "title": self.title,
            "unit": self.unit,
            "lait_code": self.lait_code,
            "polarity": self.polarity,
            "note": self.note,
            "first_year": self.first_year,
            "last_year": self.last_year,
        }


@dataclass(frozen=True)
class Figure:
    """One published figure: ``value`` (None when the DfE printed ``symbol`` instead: c, z, x,
    k, - ...) for an area and year, with its numerator and denominator where published."""

    area_code: str
    area_name: str
    area_type: str
    year: int
    value: float | None
    symbol: str | None
    source: str
    count: int | None = None
    denominator: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The figure as JSON: year, value, source first (the benchmarks comparator shape)."""
        return {
            "year": self.year,
            "value": self.value,
            "source": self.source,
            "symbol": self.symbol,
            "area_code": self.area_code,
            "area_name": self.area_name,
            "count": self.count,
            "denominator": self.denominator,
        }


@dataclass(frozen=True)
class NeighbourMean:
    """The statistical neighbours' mean for a year: ``used`` of ``of`` neighbours published a
    number; ``neighbours`` holds each one's figure (value None when not published) by rank."""

    year: int
    value: float | None
    used: int
    of: int
    neighbours: tuple[Figure, ...]
    source: str = SN_SOURCE

    def to_json(self) -> dict[str, Any]:
        """The mean as JSON, with each neighbour's figure."""
        return {
            "year": self.year,
            "value": self.value,
            "source": self.source,
            "used": self.used,
            "of": self.of,
            "neighbours": [f.to_json() for f in self.neighbours],
        }


@dataclass(frozen=True)
class Comparison:
    """A measure for one council and one published year: its own published figure, England,
    its region and its statistical neighbours. ``requested_year`` is the year asked for (None for
    the latest); ``year`` the published year used (earlier when publication lags)."""

    measure: MeasureInfo
    la: LA
    year: int
    requested_year: int | None
    published_la: Figure | None
    england: Figure | None
    region: Figure | None
    statistical_neighbours: NeighbourMean | None

    @property
    def lags(self) -> bool:
        """True when the figures are from an earlier year than the one asked for."""
        return self.requested_year is not None and self.year != self.requested_year

    def comparators_json(self) -> dict[str, Any]:
        """``{"england"|"region"|"statistical_neighbours": {"year", "value", "source", ...}}``:
        the ``comparators`` object of the benchmarks measure, for the areas that have a row."""
        out: dict[str, Any] = {}
        if self.england is not None:
            out["england"] = self.england.to_json()
        if self.region is not None:
            out["region"] = self.region.to_json()
        if self.statistical_neighbours is not None:
            out["statistical_neighbours"] = self.statistical_neighbours.to_json()
        return out

    def to_json(self) -> dict[str, Any]:
        """The comparison as JSON: the council's published figure and the comparators."""
        return {
            "measure_id": self.measure.measure_id,
            "year": self.year,
            "requested_year": self.requested_year,
            "published_la": None if self.published_la is None else self.published_la.to_json(),
            "comparators": self.comparators_json(),
        }


@cache
def _measures() -> dict[str, MeasureInfo]:
    return {r["measure_id"]: MeasureInfo(**r) for r in table("measures").iter_rows(named=True)}


def published_measures() -> tuple[MeasureInfo, ...]:
    """Every measure shipped with published figures, in the build script's order."""
    return tuple(_measures().values())


def measure_info(measure_id: str) -> MeasureInfo | None:
    """The shipped measure with this id, or None."""
    return _measures().get(measure_id)


def polarity(measure_id: str) -> str | None:
    """ "up" (higher is better), "down" or "neutral" as the DfE's LAIT dictionary publishes it;
    None for a measure not shipped or one the dictionary does not describe."""
    info = measure_info(measure_id)
    return None if info is None else info.polarity


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


#: The columns of a published value that make its Figure, in the Figure's order.
FIGURE_COLUMNS = (
    "area_code",
    "area_name",
    "area_type",
    "year",
    "value",
    "symbol",
    "source",
    "count",
    "denominator",
)


@cache
def _area_rows(area_code: str) -> dict[tuple[str, int], tuple[Any, ...]]:
    """(measure id, year) -> one area's published row (FIGURE_COLUMNS), read once a process:
    a council's comparisons read a dozen areas (itself, England, its region, its neighbours), so
    only their rows of the ~35,000 are made Python values (column by column, the fastest way)."""
    rows = table("values").filter(pl.col("area_code") == area_code)
    ids, years = (rows.get_column(c).to_list() for c in ("measure_id", "year"))
    columns = [rows.get_column(c).to_list() for c in FIGURE_COLUMNS]
    return dict(zip(zip(ids, years, strict=True), zip(*columns, strict=True), strict=True))


def _figure(measure_id: str, year: int, area_code: str) -> Figure | None:
    """One area's published figure of a measure and year, None when the area has none."""
    row = _area_rows(area_code).get((measure_id, year))
    if row is None:
        return None
    code, name, area_type, year, value, symbol, source, count, denominator = row
    return Figure(
        code, name, area_type, year, value, symbol, source, _int(count), _int(denominator)
    )


@cache
def _years_published() -> dict[str, tuple[int, ...]]:
    """Measure id -> the years with at least one published number, latest first."""
    years = (
        table("values")
        .filter(pl.col("value").is_not_null())
        .group_by("measure_id")
        .agg(pl.col("year").unique().sort(descending=True))
    )
    return {m: tuple(ys) for m, ys in years.iter_rows()}


@cache
def published_parts(measure_id: str) -> tuple[bool, bool]:
    """Whether the DfE's latest release of a percentage prints its count, and its denominator,
    beside it for councils (the care leavers' and stability files do; LAIT's shares do not)."""
    year = comparison_year(measure_id)
    rows = table("values").filter(
        pl.col("measure_id") == measure_id, pl.col("year") == year, pl.col("area_type") == "la"
    )
    return (
        rows.get_column("count").is_not_null().any(),
        rows.get_column("denominator").is_not_null().any(),
    )


def published_years(measure_id: str) -> tuple[int, ...]:
    """The years (31 March) with at least one published number for the measure, latest first."""
    return _years_published().get(measure_id, ())


def comparison_year(measure_id: str, year: int | None = None) -> int | None:
    """The published year to compare with ``year``: that year, else the latest earlier one
    (the latest of all when ``year`` is None); None when nothing is published by then."""
    usable = [y for y in published_years(measure_id) if year is None or y <= year]
    return max(usable) if usable else None


def mean_half_up(values: list[float]) -> float | None:
    """The simple mean rounded half up to one decimal place; None for no values."""
    if not values:
        return None
    mean = Decimal(repr(sum(values))) / Decimal(len(values))
    return float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _neighbour_mean(la: LA, measure_id: str, year: int) -> NeighbourMean | None:
    sns = neighbours(la.code)
    if not sns:
        return None
    figures = tuple(
        _figure(measure_id, year, n.la.code)
        or Figure(n.la.code, n.la.name, "la", year, None, None, "not published")
        for n in sns
    )
    numbers = [f.value for f in figures if f.value is not None]
    return NeighbourMean(
        year=year,
        value=mean_half_up(numbers),
        used=len(numbers),
        of=len(figures),
        neighbours=figures,
    )


def comparators(
    la_code: str | int | LA, measure_id: str, year: int | None = None
) -> Comparison | None:
    """The council's published figure, England, its region and its statistical neighbours' mean
    for ``measure_id`` in ``year`` (31 March; else the latest earlier published year; the latest
    when None). None when the measure is not shipped or nothing is published by ``year``.
    Raises ``UnknownArea`` for a code no council has."""
    la = la_code if isinstance(la_code, LA) else resolve_la(la_code)
    info = measure_info(measure_id)
    used = comparison_year(measure_id, year)
    if info is None or used is None:
        return None
    return Comparison(
        measure=info,
        la=la,
        year=used,
        requested_year=year,
        published_la=_figure(measure_id, used, la.code),
        england=_figure(measure_id, used, ENGLAND),
        region=_figure(measure_id, used, la.region_code),
        statistical_neighbours=_neighbour_mean(la, measure_id, used),
    )


def comparison_series(la_code: str | int, measure_id: str) -> tuple[Comparison, ...]:
    """``comparators`` for every published year of the measure up to the council's abolition,
    latest first. Before a council was created, England, its region and its statistical
    neighbours are there and its own figure is not: a predecessor's figures are its own, never
    spliced in (Cumberland's 2021 is England's and the North West's, beside no Cumberland)."""
    la = resolve_la(la_code)
    years = (y for y in published_years(measure_id) if la.last_year is None or y <= la.last_year)
    out = (comparators(la, measure_id, y) for y in years)
    return tuple(c for c in out if c is not None)
