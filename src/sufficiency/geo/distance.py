"""Straight-line distance between OS grid references in miles, and its bands (DfE guidance)."""

from __future__ import annotations

import polars as pl

from sufficiency.geo.postcodes import as_expr

#: The DfE conversion from kilometres to miles (SSDA903 guidance; the 903 validator uses it too).
KM_PER_MILE = 1.6093


def distance_miles_expr(
    e1: pl.Expr | str, n1: pl.Expr | str, e2: pl.Expr | str, n2: pl.Expr | str
) -> pl.Expr:
    """Straight-line miles between two grid references, the DfE way:
    sqrt(dE^2 + dN^2) / 1000 / 1.6093, rounded to one decimal. Null if any input is null."""
    de = (as_expr(e1) - as_expr(e2)).cast(pl.Float64)
    dn = (as_expr(n1) - as_expr(n2)).cast(pl.Float64)
    return ((de * de + dn * dn).sqrt() / 1000.0 / KM_PER_MILE).round(1)


def distance_band_expr(miles: pl.Expr | str) -> pl.Expr:
    """Distance band of (already rounded) miles: up_to_20 (<= 20.0), over_20_under_100,
    100_plus (>= 100.0), unknown (null)."""
    m = as_expr(miles)
    return (
        pl.when(m.is_null())
        .then(pl.lit("unknown"))
        .when(m <= 20.0)
        .then(pl.lit("up_to_20"))
        .when(m >= 100.0)
        .then(pl.lit("100_plus"))
        .otherwise(pl.lit("over_20_under_100"))
    )
