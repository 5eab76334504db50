"""The scoring components: each a named array of points over the vacancy pool (DESIGN.md match)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.matching.config import COMPONENTS, ScoringConfig
from sufficiency.matching.places import ReferralPlaces, distance_from
from sufficiency.matching.pool import CONTRACTS, GROUPS, LOCATION_BANDS, RATINGS, VacancyPool
from sufficiency.matching.referral import Referral, _norm_token


@dataclass
class ComponentPoints:
    """Points of every component over the pool, their rounded total, and the distances used."""

    points: dict[str, np.ndarray]  # component -> points, rounded to 2 decimals
    total: np.ndarray  # sum of the components, rounded to 2 decimals
    dist_home: np.ndarray
    dist_school: np.ndarray
    dist_pref: np.ndarray


def culture_tokens(referral: Referral) -> list[str]:
    """The child's language, faith and culture as ``kind:value`` tokens the pool is keyed by."""
    c = referral.child
    out: list[str] = []
    if c.language:
        out.append(f"lang:{_norm_token(c.language)}")
    if c.faith:
        out.append(f"faith:{_norm_token(c.faith)}")
    if c.culture:
        out.append(f"culture:{_norm_token(c.culture)}")
    return out


def score_components(
    pool: VacancyPool, referral: Referral, config: ScoringConfig, places: ReferralPlaces
) -> ComponentPoints:
    """Every scoring component's points for every vacancy (feasible or not)."""
    v = pool.size
    w = config.weight
    pts: dict[str, np.ndarray] = {}
    rgroup = referral.requested_group
    if referral.requested_type is None:
        pts["requested_type"] = np.full(v, 0.0)
    else:
        same_type = pool.type_code == PLACEMENT_TYPES.index(referral.requested_type)
        same_group = (
            np.asarray(pool.group == GROUPS.index(rgroup)) if rgroup else np.zeros(v, dtype=bool)
        )
        pts["requested_type"] = np.where(
            same_type,
            w("requested_type"),
            np.where(same_group, w("requested_type") * config.requested_group_share, 0.0),
        )
    pref = np.zeros(v, dtype=bool)
    for gi, g in enumerate(GROUPS):
        if referral.level(g) == "preferred":
            pref |= pool.group == gi
    pts["suitability"] = np.where(pref, w("suitability"), 0.0)

    span = max(config.distance_zero_miles - config.distance_full_miles, 1e-9)

    def decay(d: np.ndarray, weight: float) -> np.ndarray:
        share = np.clip((config.distance_zero_miles - d) / span, 0.0, 1.0)
        return np.where(np.isnan(d), 0.0, weight * share)

    dist_home = distance_from(pool, places.home)
    dist_school = distance_from(pool, places.school)
    pts["distance_home"] = decay(dist_home, w("distance_home"))
    pts["distance_school"] = decay(dist_school, w("distance_school"))
    band_share = np.array([config.location_points.get(b, 0.0) for b in LOCATION_BANDS])
    pts["location"] = w("location") * band_share[pool.location_band]
    dist_pref = np.full(v, np.nan)
    if referral.preferred_location is None:
        pts["preferred_location"] = np.full(v, w("preferred_location"))
    else:
        dist_pref = distance_from(pool, places.preferred)
        within = ~np.isnan(dist_pref) & (dist_pref <= referral.preferred_location.within_miles)
        pts["preferred_location"] = np.where(within, w("preferred_location"), 0.0)
    # code -1 (unknown) indexes the trailing 0.0
    contract_share = np.array([config.contract_points.get(c, 0.0) for c in CONTRACTS] + [0.0])
    pts["contract"] = w("contract") * contract_share[pool.contract_code]
    rating_share = np.array([config.rating_points.get(r, 0.0) for r in RATINGS] + [0.0])
    pts["rating"] = w("rating") * rating_share[pool.rating_code]
    budget = referral.budget_weekly
    if budget is None or budget <= 0:
        pts["cost"] = np.zeros(v)
    else:
        over = np.maximum(pool.weekly_cost - budget, 0.0) / budget
        share = np.clip(1.0 - over / config.over_budget_zero, 0.0, 1.0)
        pts["cost"] = np.where(np.isnan(pool.weekly_cost), 0.0, w("cost") * share)
    child_needs = list(referral.required_needs)
    if not child_needs:
        pts["skills"] = np.full(v, w("skills"))
    elif pool.has_skills:
        idx = [pool.skills_vocab[n] for n in child_needs if n in pool.skills_vocab]
        met = pool.skills_matrix[:, idx].sum(axis=1) if idx else np.zeros(v)
        pts["skills"] = w("skills") * met / len(child_needs)
    else:
        pts["skills"] = np.full(v, w("skills"))
    wanted = culture_tokens(referral)
    if not wanted:
        pts["culture"] = np.full(v, w("culture"))
    else:
        idx = [pool.culture_vocab[t] for t in wanted if t in pool.culture_vocab]
        met = pool.culture_matrix[:, idx].sum(axis=1) if idx else np.zeros(v)
        pts["culture"] = w("culture") * met / len(wanted)
    if referral.siblings == 0:
        pts["siblings_together"] = np.full(v, w("siblings_together"))
    else:
        can = (pool.places >= referral.places_needed) & (pool.sibling_capacity >= referral.siblings)
        pts["siblings_together"] = np.where(can, w("siblings_together"), 0.0)
    for name in COMPONENTS:
        pts[name] = np.round(pts[name], 2)
    total = np.zeros(v)
    for name in COMPONENTS:
        total = total + pts[name]
    return ComponentPoints(
        points=pts,
        total=np.round(total, 2),
        dist_home=dist_home,
        dist_school=dist_school,
        dist_pref=dist_pref,
    )
