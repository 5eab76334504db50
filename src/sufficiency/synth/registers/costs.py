"""Unit costs by placement type and year, and the council's block and framework contracts."""

from __future__ import annotations

import polars as pl

from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import iso_date, return_year

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


def build_costs(years: list[int]) -> pl.DataFrame:
    """Weekly cost of every placement type in every year, growing from 2023-24 by COST_GROWTH."""
    rows = []
    for year in range(min(years) - 2, max(years) + 1):
        factor = (1 + COST_GROWTH) ** (year - 2024)
        for ptype, cost in WEEKLY_COST_2024.items():
            rows.append(
                {"placement_type": ptype, "year": year, "weekly_cost": round(cost * factor, 2)}
            )
    return register_frame("costs", rows)


def build_contracts(years: list[int], region: str, supported: pl.DataFrame) -> pl.DataFrame:
    """The council's block and framework contracts, running over the whole window (its
    fostering framework its region's: a council in Cornwall is in no West Midlands one; its
    supported accommodation block with a provider of ``supported``'s settings, none without
    one: a contract naming a provider no register holds is warned of)."""
    start = iso_date(return_year(min(years))[0])
    finish = iso_date(return_year(max(years) + 2)[1])
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
            "provider": f"{region} fostering framework",
            "kind": "framework",
            "placement_type": "ifa",
            "places": 0,
            "weekly_price": 980.0,
            "start": start,
            "end": finish,
        },
        {
            "contract_id": "C003",
            "provider": _block_provider(supported),
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
    return register_frame("contracts", [r for r in rows if r["provider"]])


def _block_provider(supported: pl.DataFrame) -> str:
    """The supported accommodation provider the block contract is with: the first, else any
    external provider of the register ("" when it has none)."""
    external = [
        str(p)
        for p in supported.get_column("provider").unique(maintain_order=True)
        if p and p != "Council supported accommodation"
    ]
    first = "Supported living provider 1"
    return first if first in external else (external[0] if external else "")
