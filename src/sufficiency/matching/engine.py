"""Match one referral against the whole vacancy pool: hard rules, then weighted scores.

Everything is vectorised over the pool (numpy arrays of :class:`VacancyPool`). Each hard rule is
a named mask with a plain-words reason for every vacancy it excludes; each scoring component is
a named array of points with a plain-words reason for every option. Reasons are written only
when a result is turned into JSON, so ranking many referrals (batch allocation) stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.matching.config import COMPONENTS, ScoringConfig
from sufficiency.matching.pool import (
    CONTRACTS,
    GROUPS,
    LOCATION_BANDS,
    RATINGS,
    SEXES,
    Location,
    VacancyPool,
    locate,
)
from sufficiency.matching.referral import Referral, ReferralError

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

GROUP_WORDS = {
    "foster": "foster care",
    "residential": "residential care",
    "supported": "supported accommodation",
}
CONTRACT_WORDS = {
    "in_house": "in-house provision",
    "block": "a block contract",
    "framework": "a framework contract",
    "spot": "a spot purchase",
}
RATING_WORDS = {
    "outstanding": "rated outstanding by Ofsted",
    "good": "rated good by Ofsted",
    "requires_improvement": "rated requires improvement by Ofsted",
    "not_yet_inspected": "not yet inspected by Ofsted",
    "inadequate": "rated inadequate by Ofsted",
}
BAND_WORDS = {
    "inside": "inside the council's area",
    "neighbouring": "in a neighbouring council's area",
    "distant": "outside the council's area and its neighbours",
    "unknown": "location unknown",
}


def miles_between(
    e1: np.ndarray | float, n1: np.ndarray | float, e2: float, n2: float
) -> np.ndarray:
    """Straight-line miles between OS grid references, to one decimal (DfE guidance formula)."""
    raw = np.sqrt((np.asarray(e1) - e2) ** 2 + (np.asarray(n1) - n2) ** 2) / 1000.0 / 1.6093
    return np.floor(raw * 10.0 + 0.5) / 10.0


def _money(x: float) -> str:
    return f"£{x:,.0f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _fmt_miles(x: float) -> str:
    return f"{x:.1f}"


@dataclass
class ReferralPlaces:
    """Where the referral's postcodes are (None = unknown)."""

    home: Location | None
    school: Location | None
    preferred: Location | None
    avoid: list[Location]


def resolve_places(
    referral: Referral, locations: dict[str, Location] | None = None
) -> ReferralPlaces:
    """Locate the referral's postcodes; an exclusion-zone postcode that cannot be found is an error
    (the rule could not protect the child)."""
    wanted = [p for p in (referral.child.home_postcode, referral.child.school_postcode) if p]
    wanted += [a.postcode for a in referral.avoid_areas]
    if referral.preferred_location:
        wanted.append(referral.preferred_location.postcode)
    locs = locations if locations is not None else locate(wanted)
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


@dataclass
class Evaluation:
    """Rule masks and component points of one referral over the whole pool (arrays of len V)."""

    referral: Referral
    places: ReferralPlaces
    fails: dict[str, np.ndarray]  # rule -> bool mask (True = excluded by that rule)
    feasible: np.ndarray
    points: dict[str, np.ndarray]  # component -> points (0 where infeasible too)
    score: np.ndarray  # total points, -inf where infeasible
    # arrays kept for the words
    dist_home: np.ndarray
    dist_school: np.ndarray
    dist_pref: np.ndarray
    avoid_dist: list[np.ndarray]
    needs_idx: list[int]
    missing_needs: list[str]


def _distance(pool: VacancyPool, loc: Location | None) -> np.ndarray:
    if loc is None:
        return np.full(pool.size, np.nan)
    return miles_between(pool.easting, pool.northing, loc[0], loc[1])


def evaluate(
    pool: VacancyPool, referral: Referral, config: ScoringConfig, places: ReferralPlaces
) -> Evaluation:
    """Apply every hard rule and every scoring component to the whole pool."""
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
        d = _distance(pool, loc)
        avoid_dist.append(d)
        zone |= np.isnan(d) | (d < area.min_miles)
    fails["exclusion_zone"] = zone
    excluded = np.zeros(v, dtype=bool)
    for mask in fails.values():
        excluded |= mask
    feasible = ~excluded

    # -- scoring components
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

    dist_home = _distance(pool, places.home)
    dist_school = _distance(pool, places.school)
    pts["distance_home"] = decay(dist_home, w("distance_home"))
    pts["distance_school"] = decay(dist_school, w("distance_school"))
    band_share = np.array([config.location_points.get(b, 0.0) for b in LOCATION_BANDS])
    pts["location"] = w("location") * band_share[pool.location_band]
    dist_pref = np.full(v, np.nan)
    if referral.preferred_location is None:
        pts["preferred_location"] = np.full(v, w("preferred_location"))
    else:
        dist_pref = _distance(pool, places.preferred)
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
    wanted = _culture_tokens(referral)
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
    score = np.where(feasible, np.round(total, 2), -np.inf)
    return Evaluation(
        referral=referral,
        places=places,
        fails=fails,
        feasible=feasible,
        points=pts,
        score=score,
        dist_home=dist_home,
        dist_school=dist_school,
        dist_pref=dist_pref,
        avoid_dist=avoid_dist,
        needs_idx=needs_idx,
        missing_needs=missing_everywhere,
    )


def _culture_tokens(referral: Referral) -> list[str]:
    from sufficiency.matching.referral import _norm_token

    c = referral.child
    out: list[str] = []
    if c.language:
        out.append(f"lang:{_norm_token(c.language)}")
    if c.faith:
        out.append(f"faith:{_norm_token(c.faith)}")
    if c.culture:
        out.append(f"culture:{_norm_token(c.culture)}")
    return out


# ---------------------------------------------------------------------------------- words
def exclusion_reason(pool: VacancyPool, ev: Evaluation, rule: str, i: int) -> str:
    """Plain words for why vacancy ``i`` fails ``rule`` for this referral."""
    r = ev.referral
    child = r.child
    if rule == "suitability":
        g = GROUPS[int(pool.group[i])]
        return f"{GROUP_WORDS[g]} is marked unsuitable for this child ({pool.placement_type[i]})"
    if rule == "registration":
        return f"not registered with Ofsted: {pool.registration_note[i]}"
    if rule == "capacity":
        together = r.siblings_together_required and r.siblings > 0
        if together:
            return (
                f"{_plural(int(pool.places[i]), 'place')} free; {r.places_needed} needed for "
                f"the child and {_plural(r.siblings, 'sibling')}"
            )
        return "no places free"
    if rule == "sibling_capacity":
        return (
            f"takes up to {_plural(int(pool.sibling_capacity[i]), 'sibling')}; the child has "
            f"{r.siblings} to live with"
        )
    if rule == "age":
        return (
            f"takes ages {int(pool.age_min[i])} to {int(pool.age_max[i])}; the child is {child.age}"
        )
    if rule == "sex":
        only = "boys" if pool.sex[i] == "M" else "girls"
        if child.sex == "U":
            return f"takes {only} only and the child's sex is not recorded"
        return f"takes {only} only"
    if rule == "needs":
        accepted = {t for t, k in pool.needs_vocab.items() if pool.needs_matrix[i, k]}
        missing = [n for n in r.required_needs if n not in accepted]
        return "does not accept: " + ", ".join(m.replace("_", " ") for m in missing)
    if rule == "availability":
        avail = str(pool.available_from[i])
        return f"available from {avail}, after the date needed ({r.needed_by.isoformat()})"
    if rule == "rating":
        return "rated inadequate by Ofsted"
    if rule == "exclusion_zone":
        for area, d in zip(r.avoid_areas, ev.avoid_dist, strict=True):
            if np.isnan(d[i]):
                return (
                    f"location unknown, so the {_fmt_miles(area.min_miles)} mile exclusion "
                    f"zone around {area.postcode} cannot be checked"
                )
            if d[i] < area.min_miles:
                return (
                    f"{_fmt_miles(float(d[i]))} miles from {area.postcode}, inside the "
                    f"{_fmt_miles(area.min_miles)} mile exclusion zone"
                )
    return rule


def option_reasons(pool: VacancyPool, ev: Evaluation, config: ScoringConfig, i: int) -> list[str]:
    """One plain sentence per scoring component (components with weight 0 are left out)."""
    r = ev.referral
    out: list[str] = []
    words: dict[str, Callable[[], str]] = {}
    ptype = str(pool.placement_type[i])
    g = int(pool.group[i])
    gname = GROUPS[g] if g >= 0 else None

    def requested() -> str:
        if r.requested_type is None:
            return "no placement type requested"
        if ptype == r.requested_type:
            return f"the requested type ({ptype})"
        if gname is not None and gname == r.requested_group:
            return f"{GROUP_WORDS[gname]} as requested, but {ptype} not {r.requested_type}"
        return f"not the requested type ({r.requested_type} requested, this is {ptype})"

    def suitability() -> str:
        if gname is None:
            return f"{ptype} is outside the foster / residential / supported groups"
        level = r.level(gname)
        return f"{GROUP_WORDS[gname]} is {level} for this child"

    def dist(d: float, what: str, given: bool) -> str:
        if not given:
            return f"no {what} postcode given"
        if np.isnan(d):
            return f"distance from {what} unknown"
        return f"{_fmt_miles(d)} miles from the child's {what}"

    def preferred() -> str:
        p = r.preferred_location
        if p is None:
            return "no preferred location given"
        d = float(ev.dist_pref[i])
        if np.isnan(d):
            return f"distance from the preferred location ({p.postcode}) unknown"
        inside = "within" if d <= p.within_miles else "beyond"
        return (
            f"{_fmt_miles(d)} miles from the preferred location {p.postcode}, {inside} "
            f"{_fmt_miles(p.within_miles)} miles"
        )

    def cost() -> str:
        c = float(pool.weekly_cost[i])
        b = r.budget_weekly
        if np.isnan(c):
            return "weekly cost not known"
        if b is None or b <= 0:
            return f"{_money(c)} a week; no budget given"
        if c <= b:
            return f"{_money(c)} a week, within the {_money(b)} budget"
        return f"{_money(c)} a week, {_money(c - b)} over the {_money(b)} budget"

    def skills() -> str:
        needs = list(r.required_needs)
        if not needs:
            return "no specific needs listed"
        if not pool.has_skills:
            return "accepts every need listed (no skills recorded to compare)"
        have = [
            n
            for n in needs
            if n in pool.skills_vocab and pool.skills_matrix[i, pool.skills_vocab[n]]
        ]
        if len(have) == len(needs):
            return "skilled and experienced in every need listed"
        if not have:
            return "no recorded skills in the needs listed"
        return f"skilled in {len(have)} of {len(needs)} needs: " + ", ".join(
            h.replace("_", " ") for h in have
        )

    def culture() -> str:
        wanted = _culture_tokens(r)
        if not wanted:
            return "no language, faith or culture needs given"
        have = [
            t
            for t in wanted
            if t in pool.culture_vocab and pool.culture_matrix[i, pool.culture_vocab[t]]
        ]
        missing = [t for t in wanted if t not in have]
        parts = []
        if have:
            parts.append("matches " + ", ".join(_culture_words(t) for t in have))
        if missing:
            parts.append("does not list " + ", ".join(_culture_words(t) for t in missing))
        return "; ".join(parts)

    def siblings() -> str:
        if r.siblings == 0:
            return "no siblings to place"
        if pool.places[i] >= r.places_needed and pool.sibling_capacity[i] >= r.siblings:
            return f"can take the child with {_plural(r.siblings, 'sibling')} together"
        return f"cannot take all {r.siblings} siblings together"

    contract = str(pool.contract[i])
    rating = str(pool.rating[i])
    band = LOCATION_BANDS[int(pool.location_band[i])]
    words = {
        "requested_type": requested,
        "suitability": suitability,
        "distance_home": lambda: dist(
            float(ev.dist_home[i]), "home", r.child.home_postcode is not None
        ),
        "distance_school": lambda: dist(
            float(ev.dist_school[i]), "school", r.child.school_postcode is not None
        ),
        "location": lambda: BAND_WORDS[band],
        "preferred_location": preferred,
        "contract": lambda: CONTRACT_WORDS.get(contract, "contract tier not known"),
        "rating": lambda: RATING_WORDS.get(
            rating, "no Ofsted rating (foster carer)" if not rating else f"rating {rating}"
        ),
        "cost": cost,
        "skills": skills,
        "culture": culture,
        "siblings_together": siblings,
    }
    for name in COMPONENTS:
        if config.weight(name) <= 0:
            continue
        pts = float(ev.points[name][i])
        out.append(
            f"{words[name]()} ({name.replace('_', ' ')}: {pts:g} of {config.weight(name):g} points)"
        )
    return out


def _culture_words(token: str) -> str:
    kind, _, value = token.partition(":")
    label = {"lang": "language", "faith": "faith", "culture": "culture"}[kind]
    return f"{label} {value.replace('_', ' ')}"


# ---------------------------------------------------------------------------------- result
@dataclass
class MatchResult:
    """One referral's ranked options and the vacancies excluded, with reasons."""

    pool: VacancyPool
    evaluation: Evaluation
    config: ScoringConfig
    order: np.ndarray  # indices of options, best first

    @property
    def referral(self) -> Referral:
        return self.evaluation.referral

    @property
    def option_ids(self) -> list[str]:
        return [str(x) for x in self.pool.ids[self.order]]

    def excluded_rules(self) -> list[tuple[int, list[str]]]:
        """(vacancy index, failing rules in RULES order) for every excluded vacancy."""
        fails = self.evaluation.fails
        idx = np.nonzero(~self.evaluation.feasible)[0]
        out: list[tuple[int, list[str]]] = []
        stacked = np.stack([fails[r] for r in RULES]) if self.pool.size else np.zeros((0, 0))
        for i in idx:
            out.append((int(i), [RULES[k] for k in np.nonzero(stacked[:, i])[0]]))
        return out

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        """DESIGN.md shape: referral, options (best first) and excluded (first failing rule)."""
        pool, ev = self.pool, self.evaluation
        order = self.order if top is None else self.order[:top]
        options = []
        for i in order:
            ii = int(i)
            options.append(
                {
                    "vacancy_id": str(pool.ids[ii]),
                    "score": float(ev.score[ii]),
                    "components": {
                        name: float(ev.points[name][ii])
                        for name in COMPONENTS
                        if self.config.weight(name) > 0
                    },
                    "reasons": option_reasons(pool, ev, self.config, ii),
                    "placement_type": str(pool.placement_type[ii]),
                    "provider_id": str(pool.provider_id[ii]),
                }
            )
        excluded = []
        for i, rules in self.excluded_rules():
            excluded.append(
                {
                    "vacancy_id": str(pool.ids[i]),
                    "rule": rules[0],
                    "reason": exclusion_reason(pool, ev, rules[0], i),
                    "rules": rules,
                }
            )
        return {
            "referral": self.referral.id,
            "options": options,
            "excluded": excluded,
            "notes": list(pool.notes),
        }


def rank(pool: VacancyPool, ev: Evaluation) -> np.ndarray:
    """Feasible vacancy indices, best score first, ties by vacancy id."""
    idx = np.nonzero(ev.feasible)[0]
    if idx.size == 0:
        return idx
    keys = np.lexsort((pool.ids[idx].astype(str), -ev.score[idx]))
    return idx[keys]


def match_referral(
    pool: VacancyPool,
    referral: Referral,
    config: ScoringConfig | None = None,
    locations: dict[str, Location] | None = None,
) -> MatchResult:
    """Rank the pool for one referral (raises ReferralError when an exclusion zone is unknown)."""
    cfg = config or ScoringConfig()
    places = resolve_places(referral, locations)
    ev = evaluate(pool, referral, cfg, places)
    return MatchResult(pool=pool, evaluation=ev, config=cfg, order=rank(pool, ev))


def evaluate_many(
    pool: VacancyPool,
    referrals: Iterable[Referral],
    config: ScoringConfig | None = None,
    locations: dict[str, Location] | None = None,
) -> list[Evaluation]:
    """Evaluate many referrals, locating all their postcodes in one look-up."""
    cfg = config or ScoringConfig()
    refs = list(referrals)
    if locations is None:
        wanted: list[str] = []
        for r in refs:
            wanted += [p for p in (r.child.home_postcode, r.child.school_postcode) if p]
            wanted += [a.postcode for a in r.avoid_areas]
            if r.preferred_location:
                wanted.append(r.preferred_location.postcode)
        locations = locate(wanted)
    return [evaluate(pool, r, cfg, places_from(r, locations)) for r in refs]
