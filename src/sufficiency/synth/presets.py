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
