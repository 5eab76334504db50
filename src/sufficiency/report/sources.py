"""Adapters to the library results the statement lays out (one source of truth).

Each adapter imports its capability lazily and returns ``None`` when the capability is not there
yet (or has nothing to say for this data), so the statement shows a marked placeholder instead.
Nothing here computes a measure: it calls the measure catalogue, forecast, supply and matching.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset


class MeasuresUnavailable(RuntimeError):
    """The measure catalogue is not importable (the statement cannot be built without it)."""


@dataclass
class MeasureInfo:
    """Catalogue metadata the statement shows beside a value."""

    id: str
    title: str
    theme: str
    unit: str
    definition: str
    keys: tuple[str, ...] = ()
    source: str = ""


@dataclass
class YearValues:
    """``measures --json`` values for one 31 March (suppressed values are ``"c"``)."""

    at: dt.date
    values: dict[str, Any] = field(default_factory=dict)
    period: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.at.year

    def get(self, measure_id: str, *keys: str) -> Any:
        """The value of ``measure_id`` (optionally a key path into it), or None when absent."""
        value: Any = self.values.get(measure_id)
        for key in keys:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    def ref(self, measure_id: str, *keys: str) -> str:
        return ".".join((measure_id, *keys)) + "@" + self.at.isoformat()


def _measures_api() -> Any:
    try:
        return importlib.import_module("sufficiency.measures")
    except ImportError as exc:  # pragma: no cover - the package always exists
        raise MeasuresUnavailable(str(exc)) from exc


def catalogue_info() -> dict[str, MeasureInfo]:
    """Every registered measure's metadata (loads the theme modules first)."""
    api = _measures_api()
    loader = getattr(api, "load_catalogue", None)
    catalogue: Mapping[str, Any]
    if callable(loader):
        loaded = loader()
        if isinstance(loaded, Mapping):
            catalogue = loaded
        else:
            from sufficiency.measures.catalogue import CATALOGUE

            catalogue = CATALOGUE
    else:
        from sufficiency.measures.catalogue import CATALOGUE

        catalogue = CATALOGUE
    return {
        mid: MeasureInfo(
            id=m.id,
            title=m.title,
            theme=m.theme,
            unit=m.unit,
            definition=m.definition,
            keys=tuple(getattr(m, "keys", ()) or ()),
            source=str(getattr(m, "source", "") or ""),
        )
        for mid, m in catalogue.items()
    }


def measure_values(
    ds: Dataset, at: dt.date, *, suppress: bool, ids: Sequence[str] | None = None
) -> YearValues:
    """``results_json(compute(ds, at, ids), suppress)`` for one reference date."""
    api = _measures_api()
    compute = getattr(api, "compute", None)
    results_json = getattr(api, "results_json", None)
    if not callable(compute) or not callable(results_json):
        raise MeasuresUnavailable(
            "sufficiency.measures.compute / results_json are not available yet: the statement "
            "lays out the measure catalogue's results and cannot be built without them"
        )
    results = compute(ds, at, list(ids) if ids is not None else None)
    payload = results_json(results, suppress=suppress)
    return YearValues(
        at=at, values=dict(payload.get("measures", {})), period=dict(payload.get("period", {}))
    )


# ---------------------------------------------------------------------------------- registers
def register(ds: Dataset, name: str) -> pl.DataFrame | None:
    """A register frame, or None when the council did not supply it (or it is empty)."""
    frame = ds.register(name)
    if frame is None or frame.height == 0:
        return None
    return frame


def numeric(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A register column as Float64 (registers may be read as text)."""
    if column not in frame.columns:
        return pl.lit(None, dtype=pl.Float64).alias(column)
    return pl.col(column).cast(pl.Utf8).str.strip_chars().cast(pl.Float64, strict=False)


def text(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A register column as stripped text ('' when absent)."""
    if column not in frame.columns:
        return pl.lit("").alias(column)
    return pl.col(column).cast(pl.Utf8).str.strip_chars().fill_null("")


@dataclass
class Benchmark:
    """A comparator value from registers/benchmarks.csv."""

    measure_id: str
    year: int
    area: str
    value: float
    source: str


def benchmarks(ds: Dataset) -> list[Benchmark]:
    """The council's comparators (England, region, statistical neighbours) by measure and year."""
    frame = register(ds, "benchmarks")
    if frame is None:
        return []
    rows = frame.select(
        text(frame, "measure_id").alias("measure_id"),
        numeric(frame, "year").alias("year"),
        text(frame, "area").str.to_lowercase().alias("area"),
        numeric(frame, "value").alias("value"),
        text(frame, "source").alias("source"),
    ).drop_nulls(["year", "value"])
    return [
        Benchmark(r["measure_id"], int(r["year"]), r["area"], float(r["value"]), r["source"])
        for r in rows.iter_rows(named=True)
    ]


def benchmark_for(
    marks: Sequence[Benchmark], measure_id: str, year: int, area: str
) -> Benchmark | None:
    """The comparator for ``year``, else the latest earlier one (comparators lag a year)."""
    hits = [b for b in marks if b.measure_id == measure_id and b.area == area and b.year <= year]
    return max(hits, key=lambda b: b.year) if hits else None


# ---------------------------------------------------------------------- other capabilities
def _call(module: str, names: Sequence[str], *args: Any, **kwargs: Any) -> Any:
    """Call the first of ``names`` that ``module`` exports; None when none exists yet."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    for name in names:
        func = getattr(mod, name, None)
        if callable(func):
            return func(*args, **kwargs)
    return None


def to_plain(value: Any) -> Any:
    """A result object as plain JSON types (pydantic models, dataclasses, to_json methods)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    for attr in ("to_json", "model_dump", "to_dict"):
        method = getattr(value, attr, None)
        if callable(method):
            return to_plain(method())
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return to_plain(asdict(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def forecast_json(ds: Dataset, year: int) -> dict[str, Any] | None:
    """The baseline forecast in the ``forecast --json`` shape, or None when not available."""
    try:
        result = _call("sufficiency.forecast", ("run_forecast",), ds)
    except Exception as exc:  # a capability failing must not sink the statement
        return {"error": f"{type(exc).__name__}: {exc}"}
    plain = to_plain(result)
    if isinstance(plain, dict) and "scenarios" in plain:
        return plain
    return None


SUPPLY_REGISTERS = ("carers", "homes", "contracts")


def gap_json(
    ds: Dataset, year: int, forecast: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """The baseline sufficiency gap (``gap --json`` shape) for the three years after ``year``.

    Need comes from the forecast when it is available (keyed by placement type), else the
    supply module's trend. None when the council supplied no supply registers (carers, homes,
    contracts): a gap without capacity would read as if the council had no homes at all.
    """
    if not any(register(ds, n) is not None for n in SUPPLY_REGISTERS):
        return None
    try:
        from sufficiency.supply.gap import gap_for_dataset, need_from_forecast_json
    except ImportError:
        return None
    years = [year + 1, year + 2, year + 3]
    try:
        need = None
        source = None
        scenarios = (forecast or {}).get("scenarios") or {}
        if "baseline" in scenarios:
            cats = scenarios["baseline"].get("at_horizon", {}).get("by_category", {})
            from sufficiency.codes import PLACEMENT_TYPES

            if cats and set(cats) <= set(PLACEMENT_TYPES):
                need = need_from_forecast_json(forecast or {}, "baseline", years)
                source = "forecast"
        result = gap_for_dataset(ds, years, need=need, need_source=source)
    except Exception as exc:  # a capability failing must not sink the statement
        return {"error": f"{type(exc).__name__}: {exc}"}
    plain = to_plain(result)
    return plain if isinstance(plain, dict) and "years" in plain else None
