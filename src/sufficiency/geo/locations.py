"""Where a placement is relative to the council: location band, distance and its precision.

``enrich_locations`` reports the coarser precision of the two postcodes in ``location_precision``
so a measure can keep only exact distances when it needs to.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sufficiency.geo.authorities import current_codes
from sufficiency.geo.distance import distance_band_expr, distance_miles_expr
from sufficiency.geo.lookup import resolve_normalised
from sufficiency.geo.postcodes import as_expr, normalise_postcode


def location_band_expr(upper_la: pl.Expr | str, la_code: str, neighbours: Sequence[str]) -> pl.Expr:
    """inside (the LA), neighbouring (a neighbour), distant (elsewhere), unknown (no LA)."""
    la = as_expr(upper_la)
    if not la_code:  # no council code (no la.toml): nothing can be placed relative to it
        return pl.lit("unknown")
    own = list(current_codes(la_code))
    near = [c for code in neighbours for c in current_codes(code) if c not in own]
    return (
        pl.when(la.is_null())
        .then(pl.lit("unknown"))
        .when(la.is_in(own))
        .then(pl.lit("inside"))
        .when(la.is_in(near))
        .then(pl.lit("neighbouring"))
        .otherwise(pl.lit("distant"))
    )


_PRECISION_RANK = {"postcode": 0, "sector": 1, "district": 2}


def enrich_locations(
    frame: pl.DataFrame,
    la_code: str,
    neighbours: Sequence[str],
    home_col: str = "HOME_POST",
    placement_col: str = "PL_POST",
) -> pl.DataFrame:
    """Add pl_la, location_band, distance_miles, distance_band and location_precision.

    pl_la is the upper-tier LA of the placement postcode; location_band compares it with the
    council and its neighbours (a placement in Wales, Scotland, Northern Ireland, the Channel
    Islands or the Isle of Man is outside it: ``distant``); distance_miles is the DfE straight
    line between the two postcodes, given only when both are full postcodes the directory
    locates, as the DfE derivation gives it (null for a sector or district - its centroid
    could be miles out -, for the Channel Islands and the Isle of Man, which have no grid
    reference, and between Northern Ireland, whose grid references are on the Irish grid, and
    Great Britain); location_precision is the coarser of the two postcodes' precision
    (``postcode``, ``sector``, ``district``; null if either is unknown). Only distinct postcodes
    are looked up, so a million rows cost little more than a thousand.
    """
    added = ["pl_la", "location_band", "distance_miles", "distance_band", "location_precision"]
    base = frame.drop([c for c in added if c in frame.columns])
    raw_values = (
        pl.concat(
            [
                base.get_column(home_col).cast(pl.String).unique(),
                base.get_column(placement_col).cast(pl.String).unique(),
            ]
        )
        .drop_nulls()
        .unique()
    )
    lookup = pl.DataFrame({"raw": raw_values}).with_columns(
        normalise_postcode("raw").alias("postcode")
    )
    located = resolve_normalised(lookup.get_column("postcode").drop_nulls().unique())
    rank = pl.col("precision").replace_strict(_PRECISION_RANK, return_dtype=pl.Int8)
    table = lookup.join(
        located.with_columns(rank.alias("rank")), on="postcode", how="inner"
    ).select("raw", "easting", "northing", "upper_la", "rank")
    home = table.select(
        pl.col("raw").alias("__home_raw"),
        pl.col("easting").alias("__he"),
        pl.col("northing").alias("__hn"),
        pl.col("rank").alias("__hr"),
        pl.col("upper_la").str.starts_with("N").alias("__hni"),
    )
    place = table.select(  # what the placement's LA alone decides, worked out per postcode
        pl.col("raw").alias("__pl_raw"),
        pl.col("easting").alias("__pe"),
        pl.col("northing").alias("__pn"),
        pl.col("upper_la").alias("pl_la"),
        pl.col("rank").alias("__pr"),
        pl.col("upper_la").str.starts_with("N").alias("__pni"),
        location_band_expr("upper_la", la_code, neighbours).alias("location_band"),
    )
    # a placement postcode the directory does not locate: the band of no LA
    unlocated = location_band_expr(pl.lit(None, pl.String), la_code, neighbours)
    names = {v: k for k, v in _PRECISION_RANK.items()}
    worst = pl.max_horizontal("__hr", "__pr")
    # Northern Ireland's grid references are on the Irish grid: no distance across the sea.
    # Full postcodes only (the DfE derivation matches the full postcode; a centroid is not it).
    distance = (
        pl.when(
            (pl.col("__hni") == pl.col("__pni")) & (pl.col("__hr") == 0) & (pl.col("__pr") == 0)
        )
        .then(distance_miles_expr("__he", "__hn", "__pe", "__pn"))
        .otherwise(pl.lit(None, dtype=pl.Float64))
    )
    return (
        base.with_columns(
            pl.col(home_col).cast(pl.String).alias("__home_raw"),
            pl.col(placement_col).cast(pl.String).alias("__pl_raw"),
        )
        .join(home, on="__home_raw", how="left", maintain_order="left")
        .join(place, on="__pl_raw", how="left", maintain_order="left")
        .with_columns(
            pl.col("location_band").fill_null(unlocated),
            distance.alias("distance_miles"),
        )
        .with_columns(
            distance_band_expr("distance_miles").alias("distance_band"),
            pl.when(pl.col("__hr").is_null() | pl.col("__pr").is_null())
            .then(pl.lit(None, dtype=pl.String))
            .otherwise(worst.replace_strict(names, return_dtype=pl.String))
            .alias("location_precision"),
        )
        .select(*base.columns, *added)  # the working columns dropped
    )
