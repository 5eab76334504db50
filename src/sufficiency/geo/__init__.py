"""Postcodes -> OS grid references and upper-tier LA; location bands and distances (DESIGN.md).

A low layer: it reads the offline postcode and authorities packages and nothing of ours above it.

* ``postcodes``: canonical postcode text and its shapes (full, sector, district);
* ``packages``, ``msgpack_reader``, ``directory``: the postcode files, read into memory once;
* ``authorities``: lower- to upper-tier LA codes, and successors of reorganised councils;
* ``lookup``: locate postcodes as returns hold them (full, sector or district);
* ``distance``: the DfE straight-line miles and distance bands;
* ``locations``: location band, distance and precision of each placement;
* ``areas``: real postcodes inside or outside councils, and a council's neighbours.
"""

from __future__ import annotations

from sufficiency.geo.areas import neighbouring_las, postcodes_in_la, postcodes_outside
from sufficiency.geo.authorities import (
    SUCCESSOR_CODES,
    current_codes,
    upper_tier_expr,
    upper_tier_map,
)
from sufficiency.geo.directory import clear_cache
from sufficiency.geo.distance import KM_PER_MILE, distance_band_expr, distance_miles_expr
from sufficiency.geo.locations import enrich_locations, location_band_expr
from sufficiency.geo.lookup import postcode_table, resolve_postcodes
from sufficiency.geo.packages import postcode_data_dir
from sufficiency.geo.postcodes import normalise_postcode, postcode_text

__all__ = [
    "KM_PER_MILE",
    "SUCCESSOR_CODES",
    "clear_cache",
    "current_codes",
    "distance_band_expr",
    "distance_miles_expr",
    "enrich_locations",
    "location_band_expr",
    "neighbouring_las",
    "normalise_postcode",
    "postcode_data_dir",
    "postcode_table",
    "postcode_text",
    "postcodes_in_la",
    "postcodes_outside",
    "resolve_postcodes",
    "upper_tier_expr",
    "upper_tier_map",
]
