"""What we know of real councils, for sizing a synthetic one (seed documents' magnitudes).

Only identity-level facts live here (region, under-18 population, children looked after, share
of separated migrant children); everything else about the synthetic council is simulated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    """Size and mix of a council, from its published figures."""

    name: str
    region: str
    population_under_18: int
    cla: int
    uasc_share: float
    #: Shares of non-UASC entrants by age band (<1, 1-4, 5-9, 10-15, 16-17); None = England's.
    entry_age_p: tuple[float, ...] | None = None


#: Herefordshire: ~410 CLA in 2023 at 113 per 10,000 (seed 000); 38 UASC of ~415 (seed 000 12.1).
#: Hertfordshire: 978 CLA in 2024, 16% separated migrant children (seed 004).
#: Staffordshire: ~1,300 CLA (seed 002 magnitudes).
PRESETS: dict[str, Preset] = {
    "E06000019": Preset("Herefordshire", "West Midlands", 36_300, 410, 0.09),
    # Hertfordshire's children in care are older than England's: 37% aged 16-17 (seed 004)
    "E10000015": Preset(
        "Hertfordshire",
        "East of England",
        264_000,
        978,
        0.16,
        entry_age_p=(0.10, 0.09, 0.12, 0.38, 0.31),
    ),
    "E10000028": Preset("Staffordshire", "West Midlands", 186_000, 1_300, 0.08),
}

#: England: children looked after per 10,000 under-18s (2023), for councils without a preset.
ENGLAND_RATE_PER_10K = 71.0
ENGLAND_UASC_SHARE = 0.07
#: Under-18s per live postcode, a rough national average used when no preset is known.
UNDER_18_PER_POSTCODE = 7.5
#: The fewest children looked after a synthetic council has unless asked for fewer: enough for
#: its publish-mode statement to be protected by suppression (the City of London had 7 in 2024,
#: and 20 or 60 children left most seeds' statements with figures a reader could work out).
MIN_CHILDREN = 120
#: The most a synthetic council may have (more than all of England's): a slip of a few zeros
#: would run for hours and fill the memory.
MAX_CHILDREN = 100_000


def published_preset(code: str) -> Preset | None:
    """A council sized from the figures shipped with the product: its region, the DfE's latest
    children looked after (England's rate where the DfE printed a symbol), their share of
    unaccompanied asylum seekers (else England's) and the ONS's under-18s for that year; None
    for a code the DfE does not know or a council without an estimate."""
    from sufficiency.published.areas import UnknownArea, resolve_la
    from sufficiency.published.comparators import comparison_series
    from sufficiency.published.population import population_under_18

    try:
        la = resolve_la(code)
    except UnknownArea:
        return None
    figures = {
        m: {c.year: c.published_la.value for c in comparison_series(la.code, m) if c.published_la}
        for m in ("cla_count", "uasc_count")
    }
    counted = [y for y, v in figures["cla_count"].items() if v]
    year = max(counted or figures["cla_count"] or [0])
    estimate = population_under_18(la.code, year) if year else None
    if estimate is None:
        return None
    cla = figures["cla_count"].get(year) or estimate.value * ENGLAND_RATE_PER_10K / 10_000
    uasc = figures["uasc_count"].get(year)
    return Preset(
        la.name,
        la.region_name,
        estimate.value,
        max(1, round(cla)),
        uasc / cla if uasc is not None and counted else ENGLAND_UASC_SHARE,
    )
