"""Children's homes and supported accommodation: the settings the simulation used, plus unused
independent homes inside the council."""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import days, iso_date
from sufficiency.synth.parameters import SA_REGISTRATION, SUPPORTED
from sufficiency.synth.simulate import Simulation


def rating(rng: np.random.Generator) -> str:
    """An Ofsted rating drawn with national shares."""
    return str(
        rng.choice(
            ["outstanding", "good", "requires_improvement", "inadequate"],
            p=[0.16, 0.62, 0.18, 0.04],
        )
    )


def build_homes(
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
                "rating": rating(rng) if end - reg > 200 else "not_yet_inspected",
                "rating_date": iso_date(end - int(rng.integers(30, 900)))
                if end - reg > 200
                else None,
                # a home the simulation first uses after the last return is registered by
                # then (a register holds no home opening years ahead: ingest names one)
                "registered_date": iso_date(min(reg, end)),
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
                "rating": rating(rng),
                "rating_date": iso_date(end - int(rng.integers(30, 900))),
                "registered_date": iso_date(reg),
                "in_house": "no",
                "home_type": "childrens_home",
            }
        )
    return register_frame("homes", rows)


def build_supported(sim: Simulation, end: int, rng: np.random.Generator) -> pl.DataFrame:
    """Supported accommodation settings the simulation used, with occupancy on ``end``."""
    plc = sim.placements.filter(pl.col("kind") == SUPPORTED)
    per = plc.group_by("URN").agg(
        ((pl.col("start") <= end) & (pl.col("end") > end)).sum().alias("occ"),
        pl.col("uasc").sum().alias("uasc"),
        pl.len().alias("used"),
    )
    occ = dict(zip(per["URN"].to_list(), per["occ"].to_list(), strict=True))
    uasc = dict(zip(per["URN"].to_list(), per["uasc"].to_list(), strict=True))
    used_n = dict(zip(per["URN"].to_list(), per["used"].to_list(), strict=True))
    reg_day = days(SA_REGISTRATION)
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
                "registered_date": iso_date(min(max(int(st["registered"]), reg_day), end)),
            }
        )
    return register_frame("supported_accommodation", rows)
