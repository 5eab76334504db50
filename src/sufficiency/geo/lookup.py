"""Locate postcodes as the returns hold them: grid reference, upper-tier LA and precision.

The DfE's derivation (the 903 validator) matches the full postcode only; anything else is
unknown. Returns and case-management extracts often hold shortened postcodes, so we also accept:

* a full postcode (``HR1 2HX``): exact match, precision ``postcode``; a full postcode that the
  directory does not hold (typo, invented) is ``unknown`` — the directory keeps terminated
  postcodes, so a miss is not an old postcode;
* a postcode sector (``HR1 2``: outward code, space, one digit — LIIA's data-minimised form —
  or ``HR1 2H`` with one letter lost): the centroid (mean grid reference) of the sector's
  postcodes and the upper-tier LA holding most of them, precision ``sector`` (a sector is
  typically under a mile or two across);
* a postcode district (``HR1``): the same at district level, precision ``district`` (a few miles
  across: distances near a band edge can fall either side).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from sufficiency.geo.directory import area_centroids, directory_rows
from sufficiency.geo.postcodes import DISTRICT_RE, FULL_RE, SECTOR_RE, normalise_postcode


def postcode_table(postcodes: Iterable[str | None]) -> pl.DataFrame:
    """Grid reference and LA of each known full postcode (normalised; unknown ones absent).

    Columns: postcode, easting (Int64), northing (Int64), laua (lower tier), upper_la.
    """
    wanted = (
        pl.DataFrame({"raw": list(postcodes)}, schema={"raw": pl.String})
        .select(normalise_postcode("raw").alias("postcode"))
        .drop_nulls()
        .unique(maintain_order=True)
        .with_columns(pl.col("postcode").str.replace_all(" ", "", literal=True).alias("key"))
    )
    directory = directory_rows(wanted.get_column("key"))
    found = wanted.join(directory, on="key", how="inner", maintain_order="left")
    return found.select("postcode", "easting", "northing", "laua", "upper_la")


def resolve_postcodes(postcodes: Iterable[str | None]) -> pl.DataFrame:
    """Locate postcodes as returns hold them: full postcodes exactly, sectors and districts at
    their centroid (see this module's docstring).

    Columns: postcode (normalised input), easting, northing, upper_la, precision
    (``postcode`` / ``sector`` / ``district``); postcodes that cannot be located are absent.
    """
    wanted = (
        pl.DataFrame({"raw": list(postcodes)}, schema={"raw": pl.String})
        .select(normalise_postcode("raw").alias("postcode"))
        .drop_nulls()
        .unique(maintain_order=True)
    )
    return resolve_normalised(wanted.get_column("postcode"))


def resolve_normalised(postcodes: pl.Series) -> pl.DataFrame:
    """``resolve_postcodes`` for an already-normalised, de-duplicated Series."""
    frame = pl.DataFrame({"postcode": postcodes}).with_columns(
        pl.col("postcode").str.replace_all(" ", "", literal=True).alias("key"),
        pl.when(pl.col("postcode").str.replace_all(" ", "", literal=True).str.contains(FULL_RE))
        .then(pl.lit("postcode"))
        .when(pl.col("postcode").str.contains(SECTOR_RE))
        .then(pl.lit("sector"))
        .when(pl.col("postcode").str.contains(DISTRICT_RE))
        .then(pl.lit("district"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("precision"),
    )
    frame = frame.with_columns(
        pl.when(pl.col("precision") == "sector")
        .then(pl.col("postcode").str.extract(r"^(\S+ [0-9])", 1))
        .otherwise(pl.col("postcode"))
        .alias("area")
    )
    out_cols = ["postcode", "easting", "northing", "upper_la", "precision"]
    asked_full = frame.filter(pl.col("precision") == "postcode")
    full = asked_full.join(
        directory_rows(asked_full.get_column("key")).select(
            "key", "easting", "northing", "upper_la"
        ),
        on="key",
        how="inner",
        maintain_order="left",
    )
    parts = [full.select(out_cols)]
    short = frame.filter(pl.col("precision").is_in(["sector", "district"]))
    for level in ("sector", "district"):
        asked = short.filter(pl.col("precision") == level)
        if asked.height:
            wanted = asked.get_column("key").str.head(1).unique().to_list()
            centroids = area_centroids(wanted, level).rename({"area": "__area"})
            parts.append(
                asked.join(centroids, left_on="area", right_on="__area", how="inner").select(
                    out_cols
                )
            )
    return pl.concat(parts, how="vertical")
