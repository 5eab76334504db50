"""Adapters to the library results the statement lays out (one source of truth).

Nothing here computes a measure: it calls the measure catalogue, forecast and supply, and
returns ``None`` (or the reason) when the data cannot support a section, which the statement
then shows as a marked placeholder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from sufficiency.dates import year_end
from sufficiency.results import Missing, Result
from sufficiency.supply.capacity import CAPACITY_REGISTERS

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.forecast import ForecastResult, Scenario
    from sufficiency.measures.catalogue import Measure
    from sufficiency.supply.gap import GapScenario


@dataclass
class YearValues:
    """``measures --json`` values for one 31 March (suppressed values are ``"c"``)."""

    at: dt.date
    values: dict[str, Any] = field(default_factory=dict)
    period: dict[str, str] = field(default_factory=dict)
    #: The typed results behind ``values`` (suppressed as ``values`` are).
    results: dict[str, Result] = field(default_factory=dict)

    def result(self, measure_id: str) -> Result:
        """The typed result of ``measure_id`` (``Missing`` when it was not computed)."""
        return self.results.get(measure_id) or Missing()

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


def catalogue_info() -> dict[str, Measure]:
    """Every registered measure (id -> Measure, its metadata beside its function)."""
    from sufficiency.measures import load_catalogue

    return load_catalogue()


def measure_results(
    ds: Dataset, at: dt.date, ids: Sequence[str] | None = None
) -> dict[str, Result]:
    """The typed results of ``compute(ds, at, ids)``, unsuppressed (the truth the disclosure
    step works from)."""
    from sufficiency.measures import compute

    return dict(compute(ds, at, list(ids) if ids is not None else None).values)


def year_values(at: dt.date, results: Mapping[str, Result]) -> YearValues:
    """One reference date's results as the statement reads them (JSON values beside the typed
    results, suppressed or not as given)."""
    from sufficiency.measures.catalogue import Period, to_jsonable

    return YearValues(
        at=at,
        values={k: to_jsonable(v) for k, v in results.items()},
        period=Period.year_ending(at).to_json(),
        results=dict(results),
    )


def measure_values(
    ds: Dataset, at: dt.date, *, suppress: bool, ids: Sequence[str] | None = None
) -> YearValues:
    """``compute(ds, at, ids)`` for one reference date, each result's own suppression applied
    when ``suppress`` (single-date use; the statement protects all its years together)."""
    from sufficiency.measures.suppression import suppress_results

    results = measure_results(ds, at, ids)
    if suppress:
        results = suppress_results(results, small_max=ds.profile.small_count_max)
    return year_values(at, results)


# ---------------------------------------------------------------------------------- registers
def register(ds: Dataset, name: str) -> pl.DataFrame | None:
    """A register frame, or None when the council did not supply it (or it is empty)."""
    frame = ds.register(name)
    if frame is None or frame.height == 0:
        return None
    return frame


# ---------------------------------------------------------------------- other capabilities
@dataclass(frozen=True)
class ComparedAreas:
    """The areas the statement compares the council with, by name: its region, the DfE's
    statistical neighbours (2025 model) and the councils la.toml names as neighbouring (a
    reader can check a comparison only knowing what it is with)."""

    region: str = ""
    statistical_neighbours: tuple[str, ...] = ()
    neighbouring: tuple[str, ...] = ()


def compared_areas(ds: Dataset) -> ComparedAreas:
    """``ComparedAreas`` of the council (names as the DfE writes them; a code no council has
    is shown as given)."""
    from sufficiency import published

    def name(code: str) -> str:
        try:
            return published.resolve_la(code).name
        except published.UnknownArea:
            return code

    neighbouring = tuple(name(c) for c in ds.profile.neighbours)
    try:
        la = published.resolve_la(ds.profile.code)
    except published.UnknownArea:
        return ComparedAreas(ds.profile.region, (), neighbouring)
    return ComparedAreas(
        la.region_name, tuple(n.la.name for n in published.neighbours(la.code)), neighbouring
    )


def baseline_forecast(
    ds: Dataset, year: int, scenarios: Sequence[Scenario] = ()
) -> ForecastResult | str:
    """The forecast made at 31 March ``year`` (the baseline, and each of ``scenarios`` beside
    it), or why it cannot be made (e.g. no episodes to learn from). A statement for an earlier
    year than the data's latest forecasts from its own 31 March: from the latest, its figures
    were protected by the wrong year's counts (a type hidden this year printed in last year's
    statement's forecast, its first month the hidden count)."""
    from sufficiency.forecast import ScenarioError, run_forecast

    try:
        return run_forecast(ds, scenarios=list(scenarios), as_at=year_end(year))
    except ScenarioError:
        raise  # the council's scenario file is wrong: say so, never a statement without it
    except ValueError as exc:
        return str(exc)


#: The registers the gap reads capacity from: a gap without any would read as no homes at all.
SUPPLY_REGISTERS = tuple(CAPACITY_REGISTERS)


def gap_json(
    ds: Dataset,
    year: int,
    forecast: ForecastResult | None,
    scenario: str = "baseline",
    settings: GapScenario | None = None,
) -> dict[str, Any] | None:
    """The sufficiency gap (``gap --json`` shape) of the forecast's ``scenario`` (baseline by
    default) for the three years after ``year``: ``supply.gap.scenario_gap``, the one rule
    ``sufficiency gap --scenario`` gives too.

    Need comes from that scenario's forecast when it serves (keyed by placement type), else the
    supply module's trend. ``settings`` are the scenario file's capacity and recruitment
    changes (its planned moves are already in the forecast's need, so they are not applied
    twice). None when the council supplied no supply registers (carers, homes, contracts): a
    gap without capacity would read as if the council had no homes at all.
    """
    from sufficiency.supply.gap import scenario_gap

    if not any(register(ds, n) is not None for n in SUPPLY_REGISTERS):
        return None
    # why a forecast could not serve is not written: the statement says so where it forecasts
    result, _ = scenario_gap(ds, [year + 1, year + 2, year + 3], forecast, scenario, settings)
    return result.to_json()
