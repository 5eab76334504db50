"""Places free on the as-of date: in-house carers, agency carers, homes, supported settings."""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import iso_date
from sufficiency.synth.parameters import IFA
from sufficiency.synth.registers.costs import WEEKLY_COST_2024
from sufficiency.synth.registers.homes import rating
from sufficiency.synth.registers.referrals import NEEDS
from sufficiency.synth.simulate import Simulation


def build_vacancies(
    sim: Simulation,
    carers: pl.DataFrame,
    homes: pl.DataFrame,
    settings: pl.DataFrame,
    end: int,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Places free on the as-of date: in-house carers, agency carers, homes, supported settings."""
    rows: list[dict[str, object]] = []
    free = carers.filter(
        (pl.col("status") == "approved")
        & pl.col("approval_types").list.contains("mainstream")
        & (pl.col("places") > pl.col("occupied"))
    )
    for c in free.iter_rows(named=True):
        rows.append(
            {
                "provider_kind": "in_house_carer",
                "provider_id": c["household_id"],
                "placement_type": "in_house_fostering",
                "places": int(c["places"]) - int(c["occupied"]),
                "age_min": c["age_min"],
                "age_max": c["age_max"],
                "sex": "any",
                "siblings": c["siblings"],
                "needs_accepted": ";".join(
                    rng.choice(NEEDS[:6], size=int(rng.integers(0, 3)), replace=False).tolist()
                ),
                "postcode": c["postcode"],
                "weekly_cost": WEEKLY_COST_2024["in_house_fostering"],
                "contract": "in_house",
                "rating": None,
            }
        )
    agencies = sim.agencies.filter(pl.col("kind") == "ifa")
    ifa_posts = (
        sim.placements.filter(pl.col("kind") == IFA)["PL_POST"].to_list()
        or carers["postcode"].to_list()
    )
    for a in agencies.iter_rows(named=True):
        for _ in range(int(rng.integers(0, 4))):
            rows.append(
                {
                    "provider_kind": "ifa",
                    "provider_id": a["urn"],
                    "placement_type": "ifa",
                    "places": int(rng.integers(1, 3)),
                    "age_min": int(rng.choice([0, 5, 11])),
                    "age_max": 18,
                    "sex": "any",
                    "siblings": int(rng.integers(0, 2)),
                    "needs_accepted": ";".join(
                        rng.choice(NEEDS[:7], size=int(rng.integers(0, 4)), replace=False).tolist()
                    ),
                    "postcode": ifa_posts[int(rng.integers(0, len(ifa_posts)))],
                    "weekly_cost": round(WEEKLY_COST_2024["ifa"] * rng.uniform(0.85, 1.25), 2),
                    "contract": "framework" if rng.random() < 0.7 else "spot",
                    "rating": rating(rng),
                }
            )
    for h in homes.filter(pl.col("home_type") == "childrens_home").iter_rows(named=True):
        if rng.random() < 0.25:
            inhouse = bool(h["in_house"])
            rows.append(
                {
                    "provider_kind": "children_home",
                    "provider_id": h["urn"],
                    "placement_type": "in_house_residential" if inhouse else "external_residential",
                    "places": 1,
                    "age_min": 8,
                    "age_max": 17,
                    "sex": str(rng.choice(["any", "M", "F"], p=[0.7, 0.15, 0.15])),
                    "siblings": 0,
                    "needs_accepted": ";".join(
                        rng.choice(NEEDS[:7], size=int(rng.integers(1, 5)), replace=False).tolist()
                    ),
                    "postcode": h["postcode"],
                    "weekly_cost": round(
                        WEEKLY_COST_2024[
                            "in_house_residential" if inhouse else "external_residential"
                        ]
                        * rng.uniform(0.8, 1.4),
                        2,
                    ),
                    "contract": "in_house"
                    if inhouse
                    else str(rng.choice(["block", "framework", "spot"], p=[0.15, 0.35, 0.5])),
                    "rating": h["rating"],
                }
            )
    for s in settings.iter_rows(named=True):
        if int(s["units"]) > int(s["occupied"]) and rng.random() < 0.5:
            rows.append(
                {
                    "provider_kind": "supported_accommodation",
                    "provider_id": s["urn"],
                    "placement_type": "supported_accommodation",
                    "places": int(s["units"]) - int(s["occupied"]),
                    "age_min": 16,
                    "age_max": 17,
                    "sex": "any",
                    "siblings": 0,
                    "needs_accepted": "uasc"
                    if s["uasc_only"]
                    else ";".join(
                        rng.choice(NEEDS[:5], size=int(rng.integers(0, 3)), replace=False).tolist()
                    ),
                    "postcode": s["postcode"],
                    "weekly_cost": round(
                        WEEKLY_COST_2024["supported_accommodation"] * rng.uniform(0.8, 1.3), 2
                    ),
                    "contract": str(rng.choice(["block", "spot"], p=[0.4, 0.6])),
                    "rating": None,
                }
            )
    avail = iso_date(end)
    out = [
        {"vacancy_id": f"V{i + 1:05d}", **r, "available_from": avail} for i, r in enumerate(rows)
    ]
    return register_frame("vacancies", out)
