"""Published statistics for every English council, shipped in the package (no returns needed).

DfE children-looked-after figures (2016-2025) for each council, its region and England, the
DfE's 2025 statistical neighbours, ONS 0-17 population estimates and the code map, built from
``../shared/data/dfe/`` by ``scripts/build_benchmarks.py`` (Open Government Licence v3: show
``ATTRIBUTION`` wherever these figures appear). Pure functions over cached Parquet tables; this
package imports nothing else of ``sufficiency`` but the base code lists (``codes``), so every
layer above those may use it.
"""

from __future__ import annotations

from sufficiency.published.areas import (
    LA,
    LA_TYPES,
    Neighbour,
    UnknownArea,
    all_las,
    neighbours,
    resolve_la,
)
from sufficiency.published.comparators import (
    Comparison,
    Figure,
    MeasureInfo,
    NeighbourMean,
    comparators,
    comparison_series,
    comparison_year,
    measure_info,
    polarity,
    published_measures,
    published_years,
)
from sufficiency.published.credits import ATTRIBUTION, SYMBOLS
from sufficiency.published.population import PopulationEstimate, population_under_18

__all__ = [
    "ATTRIBUTION",
    "LA",
    "LA_TYPES",
    "SYMBOLS",
    "Comparison",
    "Figure",
    "MeasureInfo",
    "Neighbour",
    "NeighbourMean",
    "PopulationEstimate",
    "UnknownArea",
    "all_las",
    "comparators",
    "comparison_series",
    "comparison_year",
    "measure_info",
    "neighbours",
    "polarity",
    "population_under_18",
    "published_measures",
    "published_years",
    "resolve_la",
]
