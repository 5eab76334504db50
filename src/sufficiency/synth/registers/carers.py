"""Foster carer households and the recruitment funnel, from the households the simulation used.

Occupancy on the as-of date is the count of a household's open placements; kinship households
still in their first 16 weeks are under Regulation 24; unused households resign or retire.
Recruitment counts the carers' approvals and resignations by month, with enquiries before them.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import date_of, iso_date
from sufficiency.synth.parameters import INHOUSE, KINSHIP
from sufficiency.synth.simulate import Simulation

DEREGISTRATION_REASONS = (
    "retired",
    "resigned",
    "change_of_circumstances",
    "transferred_to_ifa",
    "sgo_or_adoption_of_child",
    "standards_of_care",
)


def open_at(placements: list[tuple[int, int]], day: int) -> int:
    """How many of (start, end) placements are open on ``day``."""
    return sum(1 for s, e in placements if s <= day < e)


def household_placements(sim: Simulation) -> dict[str, list[tuple[int, int]]]:
    """(start, end) of every in-house and kinship placement, by household id."""
    plc = sim.placements.filter(
        pl.col("kind").is_in([INHOUSE, KINSHIP]) & pl.col("holder").is_not_null()
    )
    out: dict[str, list[tuple[int, int]]] = {}
    for h, s, e in zip(
        plc["holder"].to_list(), plc["start"].to_list(), plc["end"].to_list(), strict=True
    ):
        out.setdefault(str(h), []).append((int(s), int(e)))
    return out


def build_carers(sim: Simulation, end: int, rng: np.random.Generator) -> pl.DataFrame:
    """Foster carer households: those the simulation used, plus new and assessing households
    (a typed carers register)."""
    used = household_placements(sim)
    rows = []
    for c in sim.carers.iter_rows(named=True):
        hid = str(c["household_id"])
        pls = used.get(hid, [])
        kind = str(c["kind"])
        approved = int(c["approved"])
        if approved > end:
            continue
        last_end = max((e for _, e in pls), default=approved)
        occupied = open_at(pls, end)
        status, dereg, reason, reg24 = "approved", None, None, None
        if kind == "kinship":
            first = min((s for s, _ in pls), default=approved)
            if occupied and end - first < 16 * 7:
                status, reg24 = "reg24", first
            elif not occupied and last_end <= end:
                status = "deregistered"
                dereg = min(last_end + int(rng.integers(1, 60)), end)
                reason = (
                    "sgo_or_adoption_of_child" if rng.random() < 0.6 else "change_of_circumstances"
                )
        elif kind == "mainstream" and not occupied and last_end < end - 240:
            d = last_end + int(rng.integers(30, 240))
            if d <= end:
                status, dereg = "deregistered", d
                reason = str(rng.choice(DEREGISTRATION_REASONS[:4] + DEREGISTRATION_REASONS[5:]))
        types = {
            "mainstream": ["mainstream"],
            "kinship": ["kinship"],
            "short_breaks": ["short_breaks"],
        }[kind]
        if kind == "mainstream":
            r = rng.random()
            if r < 0.15:
                types.append("emergency")
            elif r < 0.22:
                types.append("parent_and_child")
            elif r < 0.32:
                types.append("short_breaks")
            elif r < 0.38:
                types.append("supported_lodgings")
        rows.append(
            {
                "household_id": hid,
                "status": status,
                "approval_types": ";".join(types),
                "approved_date": iso_date(approved) if status != "reg24" else None,
                "deregistered_date": iso_date(dereg),
                "deregistration_reason": reason,
                "places": int(c["places"]),
                "occupied": occupied if status != "deregistered" else 0,
                "age_min": int(c["age_min"]),
                "age_max": int(c["age_max"]),
                "siblings": 1 if int(c["places"]) >= 2 and rng.random() < 0.5 else 0,
                "postcode": c["postcode"],
                "reg24_start": iso_date(reg24),
            }
        )
    # households approved recently and not yet used, and some in assessment
    n_main = sum(
        1
        for r in rows
        if r["approval_types"].startswith("mainstream") and r["status"] == "approved"
    )
    extra_pcs = sim.carers.filter(pl.col("kind") == "mainstream")["postcode"].to_list() or [
        "HR1 1AA"
    ]
    for i in range(max(1, n_main // 12)):
        rows.append(
            fresh_household(
                f"FN{i + 1:04d}", "approved", end - int(rng.integers(5, 200)), rng, extra_pcs
            )
        )
    for i in range(max(1, n_main // 15)):
        rows.append(fresh_household(f"FA{i + 1:04d}", "in_assessment", None, rng, extra_pcs))
    return register_frame("carers", rows)


def fresh_household(
    hid: str, status: str, approved: int | None, rng: np.random.Generator, pcs: list[str]
) -> dict[str, object]:
    """A mainstream household the simulation never placed with (new, or in assessment)."""
    places = int(rng.choice([1, 2, 3], p=[0.4, 0.45, 0.15]))
    return {
        "household_id": hid,
        "status": status,
        "approval_types": "mainstream",
        "approved_date": iso_date(approved),
        "deregistered_date": None,
        "deregistration_reason": None,
        "places": places,
        "occupied": 0,
        "age_min": 0,
        "age_max": 18,
        "siblings": 1 if places >= 2 else 0,
        "postcode": pcs[int(rng.integers(0, len(pcs)))],
        "reg24_start": None,
    }


def build_recruitment(carers: pl.DataFrame, end: int, rng: np.random.Generator) -> pl.DataFrame:
    """Monthly funnel: approvals and resignations of the households the funnel recruits (all but
    connected persons, as ``supply.carers`` reconciles them) from the carers register, enquiries
    before them."""
    from sufficiency.supply.carers import connected_person_only

    main = carers.filter(~connected_person_only())
    appr = main["approved_date"].drop_nulls().dt.strftime("%Y-%m").value_counts()
    dereg = main["deregistered_date"].drop_nulls().dt.strftime("%Y-%m").value_counts()
    a = dict(zip(appr[appr.columns[0]].to_list(), appr["count"].to_list(), strict=True))
    d = dict(zip(dereg[dereg.columns[0]].to_list(), dereg["count"].to_list(), strict=True))
    last = date_of(end)
    months = []
    y, m = last.year - 5, last.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    rows = []
    for i, month in enumerate(months):
        ahead = months[min(i + 7, len(months) - 1)]
        future = a.get(ahead, 0)
        rows.append(
            {
                "month": month,
                "enquiries": int(rng.poisson(16 * max(future, 0.6))),
                "applications": int(rng.poisson(4 * max(future, 0.4))),
                "assessments_started": int(rng.poisson(1.6 * max(future, 0.4))),
                "approvals": int(a.get(month, 0)),
                "deregistrations": int(d.get(month, 0)),
            }
        )
    return register_frame("recruitment", rows)
