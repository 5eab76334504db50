"""Registers for the synthetic council, consistent with its simulated placements.

Foster carers are the households the simulation placed children with (occupancy on the as-of date
is the count of their open placements), children's homes and supported accommodation are the
settings it used (plus unused homes inside the council), adopters are the adoptive placements,
recruitment counts the carers' approvals and resignations by month. Costs, contracts, vacancies,
referrals, actions, targets and population complete the DATA folder (DESIGN.md "Registers").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sufficiency.synth.simulate import (
    ADOPTION,
    INHOUSE,
    KINSHIP,
    RES_EXT,
    RES_INHOUSE,
    SUPPORTED,
    YEAR,
    Simulation,
    days,
)

EPOCH = dt.date(1970, 1, 1)

#: Average weekly unit costs (GBP) in 2023-24, by placement type (seed 004 magnitudes).
WEEKLY_COST_2024: dict[str, float] = {
    "in_house_fostering": 520.0,
    "family_and_friends": 330.0,
    "ifa": 1_050.0,
    "other_public_fostering": 600.0,
    "in_house_residential": 4_900.0,
    "external_residential": 6_300.0,
    "secure": 8_500.0,
    "supported_accommodation": 1_900.0,
    "independent_living": 450.0,
    "residential_school": 5_200.0,
    "parent_and_child": 4_300.0,
    "placed_with_parents": 150.0,
    "placed_for_adoption": 400.0,
}
#: Cost growth a year (fees rose fastest in residential care).
COST_GROWTH = 0.06

DEREGISTRATION_REASONS = (
    "retired",
    "resigned",
    "change_of_circumstances",
    "transferred_to_ifa",
    "sgo_or_adoption_of_child",
    "standards_of_care",
)
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


def _date(day: int | None) -> str | None:
    """Days since epoch -> ISO date (registers accept ISO)."""
    if day is None or day < 0:
        return None
    return (EPOCH + dt.timedelta(days=int(day))).isoformat()


def _open_at(placements: list[tuple[int, int]], day: int) -> int:
    return sum(1 for s, e in placements if s <= day < e)


def build_registers(
    sim: Simulation,
    as_of: dt.date,
    years: list[int],
    population: dict[int, int],
    seed: int,
    la_code: str,
    la_name: str,
) -> dict[str, pl.DataFrame]:
    """Every register as a frame, ready to write as CSV."""
    rng = np.random.default_rng(seed + 7919)
    end = days(as_of)
    carers = _carers(sim, end, rng)
    homes = _homes(sim, end, rng, la_code, la_name)
    settings = _supported(sim, end, rng)
    referrals, outcomes = _referrals(sim, end, rng)
    return {
        "carers": carers,
        "homes": homes,
        "supported_accommodation": settings,
        "vacancies": _vacancies(sim, carers, homes, settings, end, rng),
        "contracts": _contracts(sim, end, rng, years),
        "costs": _costs(years),
        "recruitment": _recruitment(carers, end, rng),
        "adopters": _adopters(sim, end, rng),
        "referrals": referrals,
        "outcomes": outcomes,
        "actions": _actions(as_of),
        "targets": _targets(as_of, population, sim, end),
        "population": pl.DataFrame(
            {"year": list(population), "population_under_18": list(population.values())},
            schema={"year": pl.Int64, "population_under_18": pl.Int64},
        ),
    }


def _household_placements(sim: Simulation) -> dict[str, list[tuple[int, int]]]:
    plc = sim.placements.filter(
        pl.col("kind").is_in([INHOUSE, KINSHIP]) & pl.col("holder").is_not_null()
    )
    out: dict[str, list[tuple[int, int]]] = {}
    for h, s, e in zip(
        plc["holder"].to_list(), plc["start"].to_list(), plc["end"].to_list(), strict=True
    ):
        out.setdefault(str(h), []).append((int(s), int(e)))
    return out


def _carers(sim: Simulation, end: int, rng: np.random.Generator) -> pl.DataFrame:
    """Foster carer households: those the simulation used, plus new and assessing households."""
    used = _household_placements(sim)
    rows = []
    for c in sim.carers.iter_rows(named=True):
        hid = str(c["household_id"])
        pls = used.get(hid, [])
        kind = str(c["kind"])
        approved = int(c["approved"])
        if approved > end:
            continue
        last_end = max((e for _, e in pls), default=approved)
        occupied = _open_at(pls, end)
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
                "approved_date": _date(approved) if status != "reg24" else None,
                "deregistered_date": _date(dereg),
                "deregistration_reason": reason,
                "places": int(c["places"]),
                "occupied": occupied if status != "deregistered" else 0,
                "age_min": int(c["age_min"]),
                "age_max": int(c["age_max"]),
                "siblings": 1 if int(c["places"]) >= 2 and rng.random() < 0.5 else 0,
                "postcode": c["postcode"],
                "reg24_start": _date(reg24),
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
            _fresh_household(
                f"FN{i + 1:04d}", "approved", end - int(rng.integers(5, 200)), rng, extra_pcs
            )
        )
    for i in range(max(1, n_main // 15)):
        rows.append(_fresh_household(f"FA{i + 1:04d}", "in_assessment", None, rng, extra_pcs))
    return pl.DataFrame(rows, schema=_CARER_SCHEMA)


_CARER_SCHEMA = {
    "household_id": pl.Utf8,
    "status": pl.Utf8,
    "approval_types": pl.Utf8,
    "approved_date": pl.Utf8,
    "deregistered_date": pl.Utf8,
    "deregistration_reason": pl.Utf8,
    "places": pl.Int64,
    "occupied": pl.Int64,
    "age_min": pl.Int64,
    "age_max": pl.Int64,
    "siblings": pl.Int64,
    "postcode": pl.Utf8,
    "reg24_start": pl.Utf8,
}


def _fresh_household(
    hid: str, status: str, approved: int | None, rng: np.random.Generator, pcs: list[str]
) -> dict[str, object]:
    places = int(rng.choice([1, 2, 3], p=[0.4, 0.45, 0.15]))
    return {
        "household_id": hid,
        "status": status,
        "approval_types": "mainstream",
        "approved_date": _date(approved),
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


def _rating(rng: np.random.Generator) -> str:
    return str(
        rng.choice(
            ["outstanding", "good", "requires_improvement", "inadequate"],
            p=[0.16, 0.62, 0.18, 0.04],
        )
    )


def _homes(
    sim: Simulation, end: int, rng: np.random.Generator, la_code: str, la_name: str
) -> pl.DataFrame:
    """Children's homes (and other residential settings) the council used, plus unused local homes."""
    rows = []
    providers = [
        f"{n} Care Ltd"
        for n in (
            "Oakfield",
            "Riverside",
            "Beacon",
            "Hillcrest",
            "Meadow",
            "Cedar",
            "Horizon",
            "Willow",
            "Kestrel",
            "Lighthouse",
        )
    ]
    for i, h in enumerate(sim.homes.iter_rows(named=True)):
        inhouse = bool(h["in_house"])
        reg = int(h["registered"])
        rows.append(
            {
                "urn": h["urn"],
                "name": f"{'Council' if inhouse else 'Private'} {h['home_type'].replace('_', ' ')} {i + 1}",
                "provider": la_name
                if inhouse or h["sector"] == "local_authority"
                else providers[i % len(providers)],
                "sector": h["sector"],
                "local_authority": h["local_authority"],
                "postcode": h["postcode"],
                "places": int(h["places"]),
                "rating": _rating(rng) if end - reg > 200 else "not_yet_inspected",
                "rating_date": _date(end - int(rng.integers(30, 900))) if end - reg > 200 else None,
                "registered_date": _date(reg),
                "in_house": "yes" if inhouse else "no",
                "home_type": h["home_type"],
            }
        )
    used_inside = sum(
        1
        for h in sim.homes.iter_rows(named=True)
        if h["local_authority"] == la_code and not h["in_house"]
    )
    pcs = [
        h["postcode"] for h in sim.homes.iter_rows(named=True) if h["local_authority"] == la_code
    ] or [c for c in sim.carers["postcode"].to_list()[:50]]
    for j in range(max(2, 2 * used_inside)):
        reg = end - int(rng.integers(100, 5000))
        rows.append(
            {
                "urn": f"SC9{j:05d}",
                "name": f"Independent children's home {j + 1}",
                "provider": providers[(j + 3) % len(providers)],
                "sector": "private" if rng.random() < 0.85 else "voluntary",
                "local_authority": la_code,
                "postcode": pcs[int(rng.integers(0, len(pcs)))] if pcs else None,
                "places": int(rng.integers(1, 6)),
                "rating": _rating(rng),
                "rating_date": _date(end - int(rng.integers(30, 900))),
                "registered_date": _date(reg),
                "in_house": "no",
                "home_type": "childrens_home",
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None)


def _supported(sim: Simulation, end: int, rng: np.random.Generator) -> pl.DataFrame:
    plc = sim.placements.filter(pl.col("kind") == SUPPORTED)
    per = plc.group_by("URN").agg(
        ((pl.col("start") <= end) & (pl.col("end") > end)).sum().alias("occ"),
        pl.col("uasc").sum().alias("uasc"),
        pl.len().alias("used"),
    )
    occ = dict(zip(per["URN"].to_list(), per["occ"].to_list(), strict=True))
    uasc = dict(zip(per["URN"].to_list(), per["uasc"].to_list(), strict=True))
    used_n = dict(zip(per["URN"].to_list(), per["used"].to_list(), strict=True))
    reg_day = days(dt.date(2023, 10, 28))
    rows = []
    for i, st in enumerate(sim.settings.iter_rows(named=True)):
        used = int(used_n.get(st["urn"], 0))
        rows.append(
            {
                "provider": "Council supported accommodation"
                if st["provider_code"] == "PR1"
                else f"Supported living provider {i % 9 + 1}",
                "urn": st["urn"],
                "postcode": st["postcode"],
                "units": int(st["units"]),
                "occupied": min(occ.get(st["urn"], 0), int(st["units"])),
                "uasc_only": "yes"
                if used and uasc.get(st["urn"], 0) == used and used >= 3
                else "no",
                "registered_date": _date(max(int(st["registered"]), reg_day)),
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None)


def _vacancies(
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
        & pl.col("approval_types").str.contains("mainstream")
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
        sim.placements.filter(pl.col("kind") == 2)["PL_POST"].to_list()
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
                    "rating": _rating(rng),
                }
            )
    for h in homes.filter(pl.col("home_type") == "childrens_home").iter_rows(named=True):
        if rng.random() < 0.25:
            inhouse = h["in_house"] == "yes"
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
                    if s["uasc_only"] == "yes"
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
    avail = _date(end)
    out = [
        {"vacancy_id": f"V{i + 1:05d}", **r, "available_from": avail} for i, r in enumerate(rows)
    ]
    return pl.DataFrame(out, infer_schema_length=None).select(
        "vacancy_id",
        "provider_kind",
        "provider_id",
        "placement_type",
        "places",
        "available_from",
        "age_min",
        "age_max",
        "sex",
        "siblings",
        "needs_accepted",
        "postcode",
        "weekly_cost",
        "contract",
        "rating",
    )


def _contracts(
    sim: Simulation, end: int, rng: np.random.Generator, years: list[int]
) -> pl.DataFrame:
    start = _date(days(dt.date(min(years) - 1, 4, 1)))
    finish = _date(days(dt.date(max(years) + 2, 3, 31)))
    rows = [
        {
            "contract_id": "C001",
            "provider": "Oakfield Care Ltd",
            "kind": "block",
            "placement_type": "external_residential",
            "places": 4,
            "weekly_price": 5_600.0,
            "start": start,
            "end": finish,
        },
        {
            "contract_id": "C002",
            "provider": "West Midlands fostering framework",
            "kind": "framework",
            "placement_type": "ifa",
            "places": 0,
            "weekly_price": 980.0,
            "start": start,
            "end": finish,
        },
        {
            "contract_id": "C003",
            "provider": "Supported living provider 1",
            "kind": "block",
            "placement_type": "supported_accommodation",
            "places": 6,
            "weekly_price": 1_650.0,
            "start": start,
            "end": finish,
        },
        {
            "contract_id": "C004",
            "provider": "Regional children's homes framework",
            "kind": "framework",
            "placement_type": "external_residential",
            "places": 0,
            "weekly_price": 6_100.0,
            "start": start,
            "end": finish,
        },
    ]
    return pl.DataFrame(rows)


def _costs(years: list[int]) -> pl.DataFrame:
    rows = []
    for year in range(min(years) - 2, max(years) + 1):
        factor = (1 + COST_GROWTH) ** (year - 2024)
        for ptype, cost in WEEKLY_COST_2024.items():
            rows.append(
                {"placement_type": ptype, "year": year, "weekly_cost": round(cost * factor, 2)}
            )
    return pl.DataFrame(rows)


def _recruitment(carers: pl.DataFrame, end: int, rng: np.random.Generator) -> pl.DataFrame:
    """Monthly funnel: approvals and resignations from the carers register, enquiries before them."""
    main = carers.filter(pl.col("approval_types").str.contains("mainstream"))
    appr = main["approved_date"].drop_nulls().str.slice(0, 7).value_counts()
    dereg = main["deregistered_date"].drop_nulls().str.slice(0, 7).value_counts()
    a = dict(zip(appr[appr.columns[0]].to_list(), appr["count"].to_list(), strict=True))
    d = dict(zip(dereg[dereg.columns[0]].to_list(), dereg["count"].to_list(), strict=True))
    last = EPOCH + dt.timedelta(days=end)
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
    return pl.DataFrame(rows)


def _adopters(sim: Simulation, end: int, rng: np.random.Generator) -> pl.DataFrame:
    plc = sim.placements.filter((pl.col("kind") == ADOPTION) & (pl.col("start") <= end))
    rows = []
    for i, s in enumerate(plc["start"].to_list()):
        matched = int(s) - int(rng.integers(20, 70))
        rows.append(
            {
                "household_id": f"AD{i + 1:05d}",
                "approved_date": _date(matched - int(rng.integers(60, 420))),
                "matched_date": _date(matched),
                "placed_date": _date(int(s)),
                "withdrawn_date": None,
                "children_sought": int(rng.choice([1, 2], p=[0.8, 0.2])),
            }
        )
    n = len(rows)
    for j in range(max(2, n // 5)):
        approved = end - int(rng.integers(20, 500))
        rows.append(
            {
                "household_id": f"AW{j + 1:05d}",
                "approved_date": _date(approved),
                "matched_date": None,
                "placed_date": None,
                "withdrawn_date": _date(approved + int(rng.integers(60, 300)))
                if rng.random() < 0.2 and approved + 300 < end
                else None,
                "children_sought": int(rng.choice([1, 2], p=[0.75, 0.25])),
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None)


_TYPE_OF_KIND = {
    INHOUSE: "in_house_fostering",
    KINSHIP: "family_and_friends",
    2: "ifa",
    RES_INHOUSE: "in_house_residential",
    RES_EXT: "external_residential",
    SUPPORTED: "supported_accommodation",
    9: "secure",
    11: "other_public_fostering",
}


def _referrals(
    sim: Simulation, end: int, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One referral per placement started in the last year (the latest 5,000 at most)."""
    plc = (
        sim.placements.filter(
            (pl.col("start") > end - 365)
            & (pl.col("start") <= end)
            & pl.col("kind").is_in(list(_TYPE_OF_KIND))
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
        ptype = _TYPE_OF_KIND[int(r["kind"])]
        group = (
            "foster"
            if "fostering" in ptype or ptype in ("ifa", "family_and_friends")
            else ("supported" if ptype == "supported_accommodation" else "residential")
        )
        age = int((int(r["start"]) - int(r["dob"])) / YEAR)
        urgency = str(urg[i])
        rid = f"R{i + 1:05d}"
        needs = [NEEDS[j] for j in need_pick[i, : int(n_needs[i])]]
        if r["uasc"]:
            needs.append("uasc")
        refs.append(
            {
                "id": rid,
                "age": age,
                "sex": "M" if r["male"] else "F",
                "home_postcode": r["HOME_POST"],
                "school_postcode": r["HOME_POST"],
                "uasc": "yes" if r["uasc"] else "no",
                "disability": "yes" if disabled[i] else "no",
                "needed_by": _date(int(r["start"])),
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
                "referred_date": _date(
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
                "placed_date": _date(int(r["start"])),
                "placed_type": ptype,
                "decline_reason": None,
                "placed_postcode": r["PL_POST"],
            }
        )
    ref = (
        pl.DataFrame(refs, infer_schema_length=None)
        if refs
        else pl.DataFrame({"id": []}, schema={"id": pl.Utf8})
    )
    out = (
        pl.DataFrame(outs, infer_schema_length=None)
        if outs
        else pl.DataFrame({"referral_id": []}, schema={"referral_id": pl.Utf8})
    )
    return ref, out


def _actions(as_of: dt.date) -> pl.DataFrame:
    y = as_of.year
    rows = [
        (
            "A01",
            "fostering",
            "Grow in-house foster carers by 10 households a year through targeted recruitment",
            "15 more in-house places a year; fewer IFA placements",
            "Head of Fostering",
            f"{y + 1}-03-31",
            "in_progress",
        ),
        (
            "A02",
            "residential",
            "Open a small council children's home for children returning from distant placements",
            "4 local residential places",
            "Commissioning Manager",
            f"{y + 1}-09-30",
            "planned",
        ),
        (
            "A03",
            "permanence",
            "Targeted special guardianship support for children in long-term IFA placements",
            "6 SGOs a year",
            "Service Manager, Permanence",
            f"{y + 1}-03-31",
            "in_progress",
        ),
        (
            "A04",
            "supported_accommodation",
            "Block contract for registered supported accommodation in county for 16-17s",
            "More 16-17s housed locally",
            "Commissioning Manager",
            f"{y}-12-31",
            "in_progress",
        ),
        (
            "A05",
            "short_breaks",
            "Recommission foster care short breaks for disabled children",
            "288 nights a year met locally",
            "Disabled Children's Team Manager",
            f"{y + 1}-06-30",
            "planned",
        ),
    ]
    return pl.DataFrame(
        rows,
        schema=["action_id", "area", "activity", "expected_impact", "owner", "due", "status"],
        orient="row",
    )


def _targets(as_of: dt.date, population: dict[int, int], sim: Simulation, end: int) -> pl.DataFrame:
    rows = [
        {
            "measure_id": "cla_rate_per_10k",
            "baseline_date": as_of.isoformat(),
            "baseline": None,
            "target": 90.0,
            "target_date": f"{as_of.year + 3}-03-31",
            "direction": "down",
        },
        {
            "measure_id": "stability_three_plus",
            "baseline_date": as_of.isoformat(),
            "baseline": None,
            "target": 7.0,
            "target_date": f"{as_of.year + 2}-03-31",
            "direction": "down",
        },
        {
            "measure_id": "placed_over_20_miles",
            "baseline_date": as_of.isoformat(),
            "baseline": None,
            "target": 20.0,
            "target_date": f"{as_of.year + 3}-03-31",
            "direction": "down",
        },
    ]
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.Utf8,
            "baseline_date": pl.Utf8,
            "baseline": pl.Float64,
            "target": pl.Float64,
            "target_date": pl.Utf8,
            "direction": pl.Utf8,
        },
    )
