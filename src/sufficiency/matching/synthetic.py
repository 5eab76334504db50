"""Synthetic vacancy pools and referrals (seeded) for benchmarks, property tests and demos.

Locations are grid references scattered around a centre with an upper-tier LA code drawn from
three areas, so no postcode lookup is needed. No real child or provider data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sufficiency.matching.referral import Referral

TYPES = (
    "in_house_fostering",
    "ifa",
    "external_residential",
    "in_house_residential",
    "supported_accommodation",
)
KIND_OF_TYPE = {
    "in_house_fostering": "in_house_carer",
    "ifa": "ifa",
    "external_residential": "children_home",
    "in_house_residential": "children_home",
    "supported_accommodation": "supported_accommodation",
}
NEEDS = ("self_harm", "missing", "criminal_exploitation", "disability", "dol_order")
LAS = ("E06000019", "E10000034", "E10000028")  # own, neighbour, distant
CENTRE = (350000.0, 250000.0)


def vacancies_frame(n: int, seed: int = 0, places_max: int = 3) -> pl.DataFrame:
    """A vacancies register of ``n`` rows (the DESIGN.md columns, plus easting/northing/la)."""
    rng = np.random.default_rng(seed)
    types = rng.choice(TYPES, n)
    ratings = np.where(
        np.isin(types, ("in_house_fostering", "ifa")),
        "",
        rng.choice(["outstanding", "good", "requires_improvement", "inadequate"], n),
    )
    needs = [
        ";".join(rng.choice(NEEDS, int(rng.integers(0, len(NEEDS) + 1)), replace=False))
        for _ in range(n)
    ]
    start = dt.date(2024, 5, 1)
    return pl.DataFrame(
        {
            "vacancy_id": [f"V{i:05d}" for i in range(n)],
            "provider_kind": [KIND_OF_TYPE[t] for t in types],
            "provider_id": [f"P{i:05d}" for i in range(n)],
            "placement_type": types,
            "places": rng.integers(1, places_max + 1, n).astype(str),
            "available_from": [
                (start + dt.timedelta(days=int(d))).isoformat() for d in rng.integers(0, 60, n)
            ],
            "age_min": rng.integers(0, 12, n).astype(str),
            "age_max": rng.integers(12, 19, n).astype(str),
            "sex": rng.choice(["any", "any", "M", "F"], n),
            "siblings": rng.integers(0, 3, n).astype(str),
            "needs_accepted": needs,
            "postcode": [""] * n,
            "easting": (CENTRE[0] + rng.normal(0, 40000, n)).round(0).astype(str),
            "northing": (CENTRE[1] + rng.normal(0, 40000, n)).round(0).astype(str),
            "la": rng.choice(LAS, n),
            "weekly_cost": rng.integers(400, 7000, n).astype(str),
            "contract": rng.choice(["in_house", "block", "framework", "spot"], n),
            "rating": ratings,
            "registered": ["yes"] * n,
        }
    )


def referrals(
    n: int, seed: int = 0, sibling_share: float = 0.15, urgent_share: float = 0.3
) -> tuple[list[Referral], dict[str, tuple[float, float, str | None]]]:
    """``n`` referrals and the locations of their (invented) postcodes."""
    rng = np.random.default_rng(seed + 1)
    refs: list[Referral] = []
    locations: dict[str, tuple[float, float, str | None]] = {}
    for i in range(n):
        home = f"ZZ{i % 90 + 10} {i % 9}AA"
        locations[home] = (
            CENTRE[0] + float(rng.normal(0, 20000)),
            CENTRE[1] + float(rng.normal(0, 20000)),
            LAS[0],
        )
        urgency = (
            "today" if rng.random() < urgent_share else str(rng.choice(["under_5_days", "later"]))
        )
        siblings = int(rng.integers(1, 3)) if rng.random() < sibling_share else 0
        k = int(rng.integers(0, 3))
        refs.append(
            Referral.model_validate(
                {
                    "id": f"R{i:04d}",
                    "child": {
                        "age": int(rng.integers(0, 18)),
                        "sex": str(rng.choice(["M", "F"])),
                        "home_postcode": home,
                    },
                    "needed_by": (
                        dt.date(2024, 5, 1) + dt.timedelta(days=int(rng.integers(0, 90)))
                    ).isoformat(),
                    "urgency": urgency,
                    "siblings": siblings,
                    "requested_type": str(rng.choice(TYPES)),
                    "suitability": {"supported": "unsuitable"} if rng.random() < 0.5 else {},
                    "needs": list(rng.choice(NEEDS, k, replace=False)),
                    "budget_weekly": float(rng.integers(800, 6000)),
                }
            )
        )
    return refs, locations
