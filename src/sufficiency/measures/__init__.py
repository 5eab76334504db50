"""The needs-analysis measure catalogue: load it, compute it, serialise it (DESIGN.md).

``load_catalogue()`` imports every module named in the ``sufficiency.measures`` entry points
(each registers its measures with ``@measure``): the theme modules here and the supply and
home-finding measures the analyses above register the same way.
``compute(ds, at)`` evaluates measures for the year ending on ``at``; ``results_json`` gives the
``measures --json`` document, suppressed unless told otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import Any

from sufficiency.measures.catalogue import (
    CATALOGUE,
    Measure,
    MeasureResults,
    Period,
    Share,
    measure,
    one_run,
    to_jsonable,
)

#: The entry-point group naming every module that registers measures (pyproject.toml): the
#: analyses above this package (supply, matching) add theirs without this package naming them.
MEASURE_MODULES_GROUP = "sufficiency.measures"
#: Display order of themes (others follow in registration order).
THEMES: tuple[str, ...] = (
    "population",
    "placements",
    "location",
    "stability",
    "time_in_care",
    "permanence",
    "care_leavers",
    "short_breaks",
    "send",
    "early_help",
    "costs",
    "supply",
    "home_finding",
    "matching",
    "trends",
    "benchmarks",
)
THEME_TITLES: dict[str, str] = {
    "population": "Children looked after",
    "placements": "Placements",
    "location": "Location and distance",
    "stability": "Stability",
    "time_in_care": "Time in care and leaving care",
    "permanence": "Permanence and adoption",
    "care_leavers": "Care leavers",
    "short_breaks": "Disabled children and short breaks",
    "send": "Special educational needs and disabilities",
    "early_help": "Early help and edge of care",
    "costs": "Costs",
    "supply": "Supply",
    "home_finding": "Home finding",
    "matching": "Home finding",
    "trends": "Trends",
    "benchmarks": "Benchmarks",
}


@functools.cache
def _measure_modules() -> tuple[str, ...]:
    """The measure modules the installed packages name, read once per process (reading entry
    points scans every installed package's metadata: milliseconds on each web page)."""
    return tuple(sorted(ep.value for ep in entry_points(group=MEASURE_MODULES_GROUP)))


def load_catalogue() -> dict[str, Measure]:
    """Import every measure module and return the catalogue (id -> Measure) in theme order."""
    modules = _measure_modules()
    if not modules:
        raise RuntimeError(
            f"no '{MEASURE_MODULES_GROUP}' entry points: the package is not installed "
            "(run `make demo` or `pip install -e .`)"
        )
    for module in modules:
        importlib.import_module(module)
    order = {t: i for i, t in enumerate(THEMES)}
    ranked = sorted(
        enumerate(CATALOGUE.values()), key=lambda im: (order.get(im[1].theme, len(order)), im[0])
    )
    return {m.id: m for _, m in ranked}


def compute(
    ds: Any,
    at: dt.date,
    ids: Iterable[str] | None = None,
    progress: Callable[[str], object] | None = None,
) -> MeasureResults:
    """Evaluate measures (all, or ``ids``) for the year ending on ``at``.

    ``progress`` is called with each measure id once it is computed. Raises KeyError naming
    any unknown id and the ids that exist.
    """
    catalogue = load_catalogue()
    wanted = list(catalogue) if ids is None else list(ids)
    unknown = [i for i in wanted if i not in catalogue]
    if unknown:
        raise KeyError(
            f"unknown measure id(s): {', '.join(unknown)}; known ids: {', '.join(catalogue)}"
        )
    period = Period.year_ending(at)
    values = {}
    with one_run():  # trends and benchmarks reuse the values computed before them
        for i in wanted:
            values[i] = catalogue[i].compute(ds, period)
            if progress is not None:
                progress(i)
    return MeasureResults(la=ds.profile.code, at=at, period=period, values=values)


def suppressed(results: MeasureResults, small_max: int | None = None) -> MeasureResults:
    """The same results with small numbers suppressed across all of them (counts from 1 to
    ``small_max``, the council's threshold; the DfE's 5 unless given)."""
    from sufficiency.disclosure import SMALL_MAX
    from sufficiency.measures.suppression import suppress_results

    values = suppress_results(results.values, load_catalogue(), small_max or SMALL_MAX)
    return MeasureResults(la=results.la, at=results.at, period=results.period, values=values)


def results_json(results: MeasureResults, suppress: bool = True) -> dict[str, Any]:
    """The ``measures --json`` document: ``{"la", "at", "period": {"start", "end"},
    "measures": {ID: VALUE}}``, small numbers suppressed unless ``suppress`` is False (each
    measure's own: a published output is protected together, ``report.protected_date``)."""
    if suppress:
        results = suppressed(results)
    return {
        "la": results.la,
        "at": results.at.isoformat(),
        "period": results.period.to_json(),
        "measures": {k: to_jsonable(v) for k, v in results.values.items()},
    }


__all__ = [
    "CATALOGUE",
    "THEMES",
    "Measure",
    "MeasureResults",
    "Period",
    "Share",
    "compute",
    "load_catalogue",
    "measure",
    "results_json",
    "suppressed",
]
