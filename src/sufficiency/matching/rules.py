"""The hard rules: each a named mask over the vacancy pool (True = the vacancy is excluded)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sufficiency.matching.places import ReferralPlaces, distance_from
from sufficiency.matching.pool import GROUPS, RATINGS, SEXES, VacancyPool
from sufficiency.matching.referral import Referral

#: Hard rules in the order they are checked; an excluded vacancy is reported under the first.
RULES: tuple[str, ...] = (
    "suitability",
    "registration",
    "capacity",
    "sibling_capacity",
    "age",
    "sex",
    "needs",
    "availability",
    "rating",
    "exclusion_zone",
)

RULE_TITLES: dict[str, str] = {
    "suitability": "Type suits the child (no unsuitable group)",
    "registration": "Children's homes and supported accommodation registered with Ofsted",
    "capacity": "Enough places free for the child and siblings",
    "sibling_capacity": "Takes the number of siblings to be placed together",
    "age": "Child's age within the vacancy's age range",
    "sex": "Sex restriction of the home, if any",
    "needs": "Every need of the child is one the provider accepts",
    "availability": "Available by the date the child needs a home",
    "rating": "Ofsted rating not inadequate",
    "exclusion_zone": "Outside every area the child must be kept away from",
}


@dataclass
class RuleChecks:
    """Every rule's mask over the pool, and what the reasons need to explain them."""

    fails: dict[str, np.ndarray]  # rule -> bool mask (True = excluded by that rule)
    feasible: np.ndarray
    avoid_dist: list[np.ndarray]  # miles from each area to avoid
    needs_idx: list[int]
    missing_needs: list[str]  # needs no vacancy in the pool accepts


def check_rules(pool: VacancyPool, referral: Referral, places: ReferralPlaces) -> RuleChecks:
    """Apply every hard rule to the whole pool."""
    v = pool.size
    child = referral.child
    fails: dict[str, np.ndarray] = {}
    # -- suitability: a group the referral marks unsuitable is excluded
    unsuitable = np.zeros(v, dtype=bool)
    for gi, g in enumerate(GROUPS):
        if referral.level(g) == "unsuitable":
            unsuitable |= pool.group == gi
    fails["suitability"] = unsuitable
    fails["registration"] = pool.must_register & ~pool.registered
    together = referral.siblings_together_required and referral.siblings > 0
    needed = referral.places_needed if together else 1
    fails["capacity"] = pool.places < needed
    sib_short = np.asarray(pool.sibling_capacity < referral.siblings)
    fails["sibling_capacity"] = sib_short if together else np.zeros(v, dtype=bool)
    fails["age"] = (child.age < pool.age_min) | (child.age > pool.age_max)
    child_sex = SEXES.index(child.sex) if child.sex in SEXES else -1
    fails["sex"] = (pool.sex_code != 0) & (pool.sex_code != child_sex)
    needs = referral.required_needs
    needs_idx = [pool.needs_vocab[n] for n in needs if n in pool.needs_vocab]
    missing_everywhere = [n for n in needs if n not in pool.needs_vocab]
    if missing_everywhere:
        fails["needs"] = np.ones(v, dtype=bool)
    elif needs_idx:
        fails["needs"] = ~np.asarray(pool.needs_matrix[:, needs_idx].all(axis=1))
    else:
        fails["needs"] = np.zeros(v, dtype=bool)
    needed_by = np.datetime64(referral.needed_by, "D")
    fails["availability"] = ~np.isnat(pool.available_from) & (pool.available_from > needed_by)
    fails["rating"] = pool.rating_code == RATINGS.index("inadequate")
    zone = np.zeros(v, dtype=bool)
    avoid_dist: list[np.ndarray] = []
    for area, loc in zip(referral.avoid_areas, places.avoid, strict=True):
        d = distance_from(pool, loc)
        avoid_dist.append(d)
        zone |= np.isnan(d) | (d < area.min_miles)
    fails["exclusion_zone"] = zone
    excluded = np.zeros(v, dtype=bool)
    for mask in fails.values():
        excluded |= mask
    return RuleChecks(
        fails=fails,
        feasible=~excluded,
        avoid_dist=avoid_dist,
        needs_idx=needs_idx,
        missing_needs=missing_everywhere,
    )
