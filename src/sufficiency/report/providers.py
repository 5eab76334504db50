"""Providers in published outputs: never by name, only by sector (commercially sensitive).

The ``supply_provider_market`` measure gives children, nights and spend by named provider. In
publish mode and to viewers it is shown by sector instead: a provider counts in the sector most
of its homes are registered in (registers/homes ``sector``), supported accommodation providers
form their own group, and the council's own and unknown providers stay as they are.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from sufficiency.disclosure import is_number
from sufficiency.results import Result, Table
from sufficiency.schema.provider_names import provider_key, provider_keys

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sufficiency.dataset import Dataset

MARKET = "supply_provider_market"
#: Sector keys in display order, with their titles.
SECTOR_TITLES: dict[str, str] = {
    "in_house": "In-house (the council's own)",
    "local_authority": "Other local authorities",
    "private": "Private providers",
    "voluntary": "Voluntary and third sector providers",
    "supported_accommodation": "Supported accommodation providers",
    "other": "Other providers",
    "unknown": "Provider not known",
}


def provider_sectors(ds: Dataset) -> dict[str, str]:
    """Provider (:func:`provider_key`) -> sector: the sector of most of its homes in
    registers/homes, whatever the spelling of each row; providers only in
    registers/supported_accommodation are ``supported_accommodation``."""
    out: dict[str, str] = {}
    homes = ds.register("homes")
    if homes is not None and {"provider", "sector"} <= set(homes.columns):
        votes: dict[str, Counter[str]] = {}
        for provider, sector in homes.select(provider_key(), "sector").iter_rows():
            if provider:
                key = str(sector or "other").strip().lower().replace(" ", "_")
                votes.setdefault(provider, Counter())[key] += 1
        for provider, count in votes.items():
            best = max(sorted(count), key=lambda s: count[s])
            out[provider] = best if best in SECTOR_TITLES else "other"
    supported = ds.register("supported_accommodation")
    if supported is not None and "provider" in supported.columns:
        for provider in supported.select(provider_key()).to_series().to_list():
            if provider and provider not in out:
                out[provider] = "supported_accommodation"
    return out


def by_sector(result: Result, sectors: dict[str, str]) -> Result:
    """The provider market summed by sector (children, nights and spend; a child placed with
    two providers of a sector counts for each, as in the measure)."""
    if not isinstance(result, Table):
        return result
    rows: dict[str, dict[str, Any]] = {}
    keys = provider_keys(result.rows)
    for (provider, cells), named in zip(result.rows.items(), keys, strict=True):
        key = provider if provider in ("in_house", "unknown") else sectors.get(named, "other")
        row = rows.setdefault(key, {})
        for column, value in cells.items():
            if is_number(value):
                row[column] = row.get(column, 0) + value
            else:
                row.setdefault(column, value)
    ordered = {k: rows[k] for k in SECTOR_TITLES if k in rows}
    return Table(ordered, unit=result.unit, children=result.children)


def provider_names(ds: Dataset) -> set[str]:
    """Every provider name in the council's registers as written (none may appear in a
    published output; :func:`names_among` finds them in other spellings too)."""
    names: set[str] = set()
    for register in ("homes", "supported_accommodation"):
        frame = ds.register(register)
        if frame is not None and "provider" in frame.columns:
            names |= {str(n).strip() for n in frame.get_column("provider").drop_nulls()}
    return {n for n in names if n and n != ds.profile.name}


def names_among(shown: Iterable[str], names: Iterable[str]) -> set[str]:
    """The texts of ``shown`` that are one of ``names`` in any spelling (:func:`provider_key`)."""
    shown = list(shown)
    keys = set(provider_keys(names))
    return {text for text, key in zip(shown, provider_keys(shown), strict=True) if key in keys}
