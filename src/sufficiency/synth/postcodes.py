"""Real postcodes for the synthetic council: inside the LA, in its neighbours, and further away.

The postcode directory, upper-tier mapping and neighbour rule are ``sufficiency.geo``'s (one rule,
one place); this module only chooses the three pools the generator draws from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

#: Neighbours are LAs with a postcode within this distance of one of the council's (geo's rule).
NEIGHBOUR_KM = 0.75
#: Distant placements are this many miles or more from the council's centre, and at most ...
DISTANT_MIN_MILES = 25.0
DISTANT_MAX_MILES = 160.0


@lru_cache(maxsize=1)
def upper_tier_names() -> dict[str, str]:
    """Upper-tier LA code -> name (2021 names, from qlacref_authorities)."""
    import qlacref_authorities

    return {str(r["UTLA21CD"]): str(r["UTLA21NM"]) for r in qlacref_authorities.records}


@dataclass(frozen=True)
class Geography:
    """Postcode pools for one council, each with columns postcode, upper_la, easting, northing."""

    code: str
    neighbours: tuple[str, ...]
    inside: pl.DataFrame
    neighbouring: pl.DataFrame
    distant: pl.DataFrame
    centre: tuple[float, float]


#: For a council with no neighbour that close (an island: the Isle of Wight across the Solent,
#: the Isles of Scilly), the nearest within each of these in turn.
ACROSS_WATER_KM = (5.0, 15.0, 50.0)


def neighbours_of(code: str) -> tuple[str, ...]:
    """English upper-tier LAs bordering ``code`` (geo's rule at ``NEIGHBOUR_KM``), or for an
    island, those nearest across the water (``ACROSS_WATER_KM``)."""
    from sufficiency.geo import neighbouring_las

    for km in (NEIGHBOUR_KM, *ACROSS_WATER_KM):
        found = tuple(c for c in neighbouring_las(code, within_km=km) if c.startswith("E"))
        if found:
            return found
    return ()


def _former_council(code: str) -> str | None:
    """What a council abolished since 2019 (whose postcodes now carry its successors' codes)
    is, and its successors; None for any other code."""
    from sufficiency.published.areas import former_council

    former = former_council(code)
    return None if former is None else f"{former}; synthesise one of those"


@lru_cache(maxsize=4)
def geography(code: str) -> Geography:
    """Build the postcode pools for ``code`` (raises ValueError for an unknown LA code)."""
    from sufficiency.geo import distance_miles_expr, postcodes_in_la, postcodes_outside
    from sufficiency.profile import COUNCIL_CODE

    if re.match(COUNCIL_CODE, code) is None:  # the sufficiency duty is England's
        raise ValueError(
            f"{code} is not an English upper-tier LA code: expected E06, E08, E09 or E10 and "
            "six digits (e.g. E06000019 for Herefordshire)"
        )
    former = _former_council(code)
    if former is not None:  # its 2026 returns would be a council that no longer exists
        raise ValueError(former)
    inside = postcodes_in_la(code).with_columns(pl.lit(code).alias("upper_la"))
    if inside.height == 0:
        raise ValueError(
            f"no postcodes found for LA code {code}: expected an English upper-tier LA code "
            "(e.g. E06000019 for Herefordshire)"
        )
    neighbours = neighbours_of(code)
    cx = round(float(inside["easting"].mean()))  # type: ignore[arg-type]
    cy = round(float(inside["northing"].mean()))  # type: ignore[arg-type]
    # only councils the DfE's 2021 list knows: its validator cannot place postcodes of newer
    # unitaries (Somerset, North Yorkshire, Cumberland ...) in an LA (rule 169)
    known = list(upper_tier_names())
    outside = postcodes_outside([code]).filter(pl.col("upper_la").is_in(known))
    neighbouring = outside.filter(pl.col("upper_la").is_in(list(neighbours)))
    miles = distance_miles_expr("easting", "northing", pl.lit(cx), pl.lit(cy))
    distant = outside.filter(
        ~pl.col("upper_la").is_in(list(neighbours))
        & miles.is_between(DISTANT_MIN_MILES, DISTANT_MAX_MILES)
    )
    cols = ["postcode", "upper_la", "easting", "northing"]
    return Geography(
        code,
        neighbours,
        inside.select(cols),
        neighbouring.select(cols),
        distant.select(cols),
        (float(cx), float(cy)),
    )
