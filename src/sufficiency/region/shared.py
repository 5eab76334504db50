"""The Dataset a share rebuilds: the council's own placement geography kept (issue 21).

A share cuts postcodes to sectors, from which no DfE distance can be worked out and a sector's
centroid may fall in the wrong council. So the council works out each placement's upper-tier
LA, location band, distance and its band from its full postcodes before the data leaves it
(``geography_of``), ships them in ``returns/geography.csv``, and ``SharedDataset.placements``
puts them back in place of what the sectors would give: every location and distance measure of
a share equals the council's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from sufficiency.dataset import Dataset

#: The placement geography a share carries, one row per placement (CHILD, start).
GEOGRAPHY_SCHEMA: dict[str, Any] = {
    "CHILD": pl.String,
    "start": pl.Date,
    "pl_la": pl.String,
    "location_band": pl.String,
    "distance_miles": pl.Float64,
    "distance_band": pl.String,
    "location_precision": pl.String,
}
GEOGRAPHY_COLUMNS = tuple(c for c in GEOGRAPHY_SCHEMA if c not in ("CHILD", "start"))


def geography_of(ds: Dataset) -> pl.DataFrame:
    """Each placement's geography worked out from the council's full postcodes."""
    return ds.placements.select(list(GEOGRAPHY_SCHEMA))


@dataclass(frozen=True)
class SharedDataset(Dataset):
    """A Dataset rebuilt from a share, with the council's placement geography (may be None)."""

    geography: pl.DataFrame | None = None

    @cached_property
    def placements(self) -> pl.DataFrame:
        base = super().placements
        if self.geography is None:
            return base
        geo = self.geography.select([_typed(c, t) for c, t in GEOGRAPHY_SCHEMA.items()]).unique(
            ["CHILD", "start"], keep="first"
        )
        return base.drop(list(GEOGRAPHY_COLUMNS)).join(
            geo, on=["CHILD", "start"], how="left", maintain_order="left"
        )


def with_geography(ds: Dataset, geography: pl.DataFrame | None) -> SharedDataset:
    """``ds`` as a SharedDataset carrying ``geography``."""
    fields = {name: getattr(ds, name) for name in ds.__dataclass_fields__}
    return SharedDataset(**fields, geography=geography)


def _typed(column: str, dtype: Any) -> pl.Expr:
    """A geography column as its type (dates read from ISO text)."""
    if dtype == pl.Date:
        return pl.col(column).cast(pl.String).str.to_date(strict=False).alias(column)
    return pl.col(column).cast(dtype).alias(column)
