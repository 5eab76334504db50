"""Child-level lists behind the catalogue's measures, for the council's own analysts only.

Each list is the cohort its measure counts (so its length is the measure's count): the internal
statement prints it; publish mode never does.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.common import placements_on

#: ``placed_over_100_miles`` counts distances of 100.0 miles or more (DESIGN.md).
FAR_MILES = 100.0


def placed_at_least(ds: Dataset, at: dt.date, miles: float = FAR_MILES) -> pl.DataFrame:
    """Children looked after on ``at`` (short breaks left out) whose placement is ``miles`` or
    more from home: CHILD, placement_type, placement_start, distance_miles, pl_la; farthest
    first, then by child id."""
    return (
        placements_on(ds, at)
        .filter(pl.col("distance_miles") >= miles)
        .select("CHILD", "placement_type", "placement_start", "distance_miles", "pl_la")
        .sort(["distance_miles", "CHILD"], descending=[True, False])
    )
