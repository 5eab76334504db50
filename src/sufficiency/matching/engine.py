"""Match referrals against the whole vacancy pool: hard rules, then weighted scores, ranked.

``match_referral`` ranks the pool for one referral and keeps what its JSON needs; ``evaluate_many``
evaluates a batch with one postcode look-up (batch allocation ranks from those). The rules are
``matching.rules``, the components ``matching.scoring``, their words ``matching.reasons``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sufficiency.matching.config import COMPONENTS, ScoringConfig
from sufficiency.matching.evaluation import Evaluation, evaluate
from sufficiency.matching.places import places_from, referral_postcodes, resolve_places
from sufficiency.matching.pool import Location, VacancyPool, locate
from sufficiency.matching.reasons import exclusion_reason, option_reasons
from sufficiency.matching.referral import Referral
from sufficiency.matching.rules import RULES


@dataclass
class MatchResult:
    """One referral's ranked options and the vacancies excluded, with reasons."""

    pool: VacancyPool
    evaluation: Evaluation
    config: ScoringConfig
    order: np.ndarray  # indices of options, best first

    @property
    def referral(self) -> Referral:
        """The referral matched."""
        return self.evaluation.referral

    @property
    def option_ids(self) -> list[str]:
        """Vacancy ids of the options, best first."""
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
        locations = locate([p for r in refs for p in referral_postcodes(r)])
    return [evaluate(pool, r, cfg, places_from(r, locations)) for r in refs]
