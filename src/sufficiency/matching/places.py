"""Where a referral's postcodes are (home, school, preferred area, areas to avoid), and how far
each vacancy is from them in miles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sufficiency.geo.distance import KM_PER_MILE
from sufficiency.matching.pool import Location, VacancyPool, locate
from sufficiency.matching.referral import Referral, ReferralError


def miles_between(
    e1: np.ndarray | float, n1: np.ndarray | float, e2: float, n2: float
) -> np.ndarray:
    """Straight-line miles between OS grid references, to one decimal (DfE guidance formula)."""
    raw = np.sqrt((np.asarray(e1) - e2) ** 2 + (np.asarray(n1) - n2) ** 2) / 1000.0 / KM_PER_MILE
    return np.floor(raw * 10.0 + 0.5) / 10.0


def distance_from(pool: VacancyPool, loc: Location | None) -> np.ndarray:
    """Miles from ``loc`` to every vacancy (NaN everywhere when ``loc`` is unknown)."""
    if loc is None:
        return np.full(pool.size, np.nan)
    return miles_between(pool.easting, pool.northing, loc[0], loc[1])


@dataclass
class ReferralPlaces:
    """Where the referral's postcodes are (None = unknown)."""

    home: Location | None
    school: Location | None
    preferred: Location | None
    avoid: list[Location]


def referral_postcodes(referral: Referral) -> list[str]:
    """Every postcode a referral names: home, school, areas to avoid, preferred location."""
    wanted = [p for p in (referral.child.home_postcode, referral.child.school_postcode) if p]
    wanted += [a.postcode for a in referral.avoid_areas]
    if referral.preferred_location:
        wanted.append(referral.preferred_location.postcode)
    return wanted


def resolve_places(
    referral: Referral, locations: dict[str, Location] | None = None
) -> ReferralPlaces:
    """Locate the referral's postcodes; an exclusion-zone postcode that cannot be found is an error
    (the rule could not protect the child)."""
    locs = locations if locations is not None else locate(referral_postcodes(referral))
    return places_from(referral, locs)


def places_from(referral: Referral, locs: dict[str, Location]) -> ReferralPlaces:
    """Referral places from an already-built postcode table."""
    avoid: list[Location] = []
    for i, area in enumerate(referral.avoid_areas):
        loc = locs.get(area.postcode)
        if loc is None:
            raise ReferralError(
                f"avoid_areas[{i}].postcode",
                f"postcode {area.postcode} was not found, so the exclusion zone cannot be checked",
            )
        avoid.append(loc)
    c = referral.child
    return ReferralPlaces(
        home=locs.get(c.home_postcode) if c.home_postcode else None,
        school=locs.get(c.school_postcode) if c.school_postcode else None,
        preferred=(
            locs.get(referral.preferred_location.postcode) if referral.preferred_location else None
        ),
        avoid=avoid,
    )
