"""Plain words for a match: why a vacancy is excluded, and one sentence per scoring component."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sufficiency.matching.config import COMPONENTS, ScoringConfig
from sufficiency.matching.evaluation import Evaluation
from sufficiency.matching.pool import GROUPS, LOCATION_BANDS, VacancyPool
from sufficiency.matching.scoring import culture_tokens

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


def _money(x: float) -> str:
    """Pounds, whole, with thousands separators."""
    return f"£{x:,.0f}"


def _plural(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless ``n`` is one."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def _fmt_miles(x: float) -> str:
    """Miles to one decimal, as the DfE rounds them."""
    return f"{x:.1f}"


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
        wanted = culture_tokens(r)
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
    """A ``kind:value`` culture token in words (``lang:polish`` -> ``language polish``)."""
    kind, _, value = token.partition(":")
    label = {"lang": "language", "faith": "faith", "culture": "culture"}[kind]
    return f"{label} {value.replace('_', ' ')}"
