"""The Dataset a share rebuilds: the council's own placement geography kept (issue 21).

A share cuts postcodes to sectors, from which no DfE distance can be worked out and a sector's
centroid may fall in the wrong council. So the council works out each placement's upper-tier
LA, location band, distance and its band from its full postcodes before the data leaves it
(``geography_of``), ships them in ``returns/geography.csv``, and ``SharedDataset.placements``
puts them back in place of what the sectors would give: every location and distance measure of
a share equals the council's own.

A share also carries what the council's own publications show (``Publication``): the region's
disclosure control hides in a council's column whatever the council hides itself and knows what
it shows, so that the regional statement beside a council's own gives nothing away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
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
class Publication:
    """What a council's own published outputs show of one date's measures: each figure by its
    reference (``measures.identities.ref``), None where hidden, and the measures withheld whole."""

    figures: Mapping[str, float | None]
    withheld: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SharedDataset(Dataset):
    """A Dataset rebuilt from a share, with the council's placement geography (may be None) and
    its own publications by date (none known: empty)."""

    geography: pl.DataFrame | None = None
    published: Mapping[dt.date, Publication] = field(default_factory=dict)

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


def publication_at(ds: Dataset, at: dt.date) -> Publication | None:
    """What the council's own outputs publish at ``at``, when its share says (else None)."""
    return ds.published.get(at) if isinstance(ds, SharedDataset) else None


def with_geography(
    ds: Dataset,
    geography: pl.DataFrame | None,
    published: Mapping[dt.date, Publication] | None = None,
) -> SharedDataset:
    """``ds`` (a plain Dataset) as a SharedDataset carrying ``geography`` and ``published``."""
    fields = {name: getattr(ds, name) for name in Dataset.__dataclass_fields__}
    return SharedDataset(**fields, geography=geography, published=dict(published or {}))


def _typed(column: str, dtype: Any) -> pl.Expr:
    """A geography column as its type (dates read from ISO text)."""
    if dtype == pl.Date:
        return pl.col(column).cast(pl.String).str.to_date(strict=False).alias(column)
    return pl.col(column).cast(dtype).alias(column)
