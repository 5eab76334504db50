"""One referral against the whole pool: the hard rules' masks and the components' points.

Everything is vectorised over the pool (numpy arrays of :class:`VacancyPool`). Reasons are
written only when a result is turned into JSON (``matching.reasons``), so ranking many referrals
(batch allocation) stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sufficiency.matching.config import ScoringConfig
from sufficiency.matching.places import ReferralPlaces
from sufficiency.matching.pool import VacancyPool
from sufficiency.matching.referral import Referral
from sufficiency.matching.rules import check_rules
from sufficiency.matching.scoring import score_components


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


def evaluate(
    pool: VacancyPool, referral: Referral, config: ScoringConfig, places: ReferralPlaces
) -> Evaluation:
    """Apply every hard rule and every scoring component to the whole pool."""
    rules = check_rules(pool, referral, places)
    scored = score_components(pool, referral, config, places)
    return Evaluation(
        referral=referral,
        places=places,
        fails=rules.fails,
        feasible=rules.feasible,
        points=scored.points,
        score=np.where(rules.feasible, scored.total, -np.inf),
        dist_home=scored.dist_home,
        dist_school=scored.dist_school,
        dist_pref=scored.dist_pref,
        avoid_dist=rules.avoid_dist,
        needs_idx=rules.needs_idx,
        missing_needs=rules.missing_needs,
    )
