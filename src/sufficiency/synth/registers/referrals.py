"""Referrals for a home and their outcomes: one per placement started in the last year."""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.dates import age_on
from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import date_of, iso_date
from sufficiency.synth.parameters import (
    IFA,
    INHOUSE,
    KINSHIP,
    OTHERPUB,
    RES_EXT,
    RES_INHOUSE,
    SECURE,
    SUPPORTED,
)
from sufficiency.synth.registers.costs import WEEKLY_COST_2024
from sufficiency.synth.simulate import Simulation

NEEDS = (
    "self_harm",
    "sexual_exploitation",
    "criminal_exploitation",
    "substance_misuse",
    "missing",
    "violence",
    "disability",
    "parent_and_child",
    "uasc",
    "emergency",
)


TYPE_OF_KIND = {
    INHOUSE: "in_house_fostering",
    KINSHIP: "family_and_friends",
    IFA: "ifa",
    RES_INHOUSE: "in_house_residential",
    RES_EXT: "external_residential",
    SUPPORTED: "supported_accommodation",
    SECURE: "secure",
    OTHERPUB: "other_public_fostering",
}


def build_referrals(
    sim: Simulation, end: int, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One referral per placement started in the last year (the latest 5,000 at most)."""
    plc = (
        sim.placements.filter(
            (pl.col("start") > end - 365)
            & (pl.col("start") <= end)
            & pl.col("kind").is_in(list(TYPE_OF_KIND))
        )
        .join(sim.periods.select("pid", "cidx"), on="pid", how="left")
        .join(sim.children.select("cidx", "male"), on="cidx", how="left")
        .sort("start", "pid")
        .tail(5000)
    )
    n = plc.height
    urg = np.array(["today", "under_5_days", "later"])[
        np.searchsorted([0.35, 0.7], rng.random(n), side="right")
    ]
    n_needs = rng.integers(0, 3, n)
    need_pick = rng.permuted(np.tile(np.arange(6), (max(n, 1), 1)), axis=1)
    sib = np.searchsorted([0.8, 0.95], rng.random(n), side="right")
    disabled = rng.random(n) < 0.05
    lead = rng.integers(1, 30, n)
    refs, outs = [], []
    for i, r in enumerate(plc.iter_rows(named=True)):
        ptype = TYPE_OF_KIND[int(r["kind"])]
        group = (
            "foster"
            if "fostering" in ptype or ptype in ("ifa", "family_and_friends")
            else ("supported" if ptype == "supported_accommodation" else "residential")
        )
        age = age_on(date_of(int(r["dob"])), date_of(int(r["start"])))
        urgency = str(urg[i])
        rid = f"R{i + 1:05d}"
        needs = [NEEDS[j] for j in need_pick[i, : int(n_needs[i])]]
        if r["uasc"]:
            needs.append("uasc")
        refs.append(
            {
                "referral_id": rid,
                "age": age,
                "sex": "M" if r["male"] else "F",
                "home_postcode": r["HOME_POST"],
                "school_postcode": r["HOME_POST"],
                "uasc": "yes" if r["uasc"] else "no",
                "disability": "yes" if disabled[i] else "no",
                "needed_by": iso_date(int(r["start"])),
                "urgency": urgency,
                "siblings": int(sib[i]),
                "requested_type": "in_house_fostering" if group == "foster" and age < 16 else ptype,
                "suitability_foster": "preferred"
                if group == "foster"
                else ("unsuitable" if age >= 16 and group == "supported" else "suitable"),
                "suitability_residential": "preferred"
                if group == "residential"
                else ("unsuitable" if age < 8 else "suitable"),
                "suitability_supported": "preferred"
                if group == "supported"
                else ("unsuitable" if age < 16 else "suitable"),
                "needs": ";".join(needs),
                "budget_weekly": round(WEEKLY_COST_2024.get(ptype, 1000.0) * 1.2, 2),
                "referred_date": iso_date(
                    int(r["start"]) - (0 if urgency == "today" else int(lead[i]))
                ),
            }
        )
        outs.append(
            {
                "referral_id": rid,
                "vacancy_id": None,
                "offered": "yes",
                "accepted": "yes",
                "placed_date": iso_date(int(r["start"])),
                "placed_type": ptype,
                "decline_reason": None,
                "placed_postcode": r["PL_POST"],
            }
        )
    return register_frame("referrals", refs), register_frame("outcomes", outs)
