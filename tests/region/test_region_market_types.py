"""The regional market and gap read placement types as each council's own outputs do (truth1
findings 5, 6 and 8), on the conftest's three synthetic councils (seeds 1-3, 120 children,
2024-2025 returns). Each council's fostering service has one URN for its in-house foster
carers (41, 46 and 43 children on 31 March 2025) and its family and friends carers (16, 19
and 26); each buys independent fostering and children's home places through a framework (£980
and £6,100 a week)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl

from sufficiency.codes import COMMISSIONED_TYPES
from sufficiency.supply.capacity import Framework
from sufficiency.supply.gap import gap_for_dataset, looked_after_by_type

AT = dt.date(2025, 3, 31)
Region = Any  # the conftest's Region


def test_capacity_against_need_covers_the_gaps_commissioned_types(region: Region) -> None:
    """Before, family and friends (61), placed for adoption (11) and placed with parents (6)
    were shortfalls too, places no council buys: 78 of the 203 places short."""
    from sufficiency.region.market import capacity_against_need

    table = capacity_against_need(region.originals, AT)
    assert table == {
        "external_residential": {"need": 35.0, "capacity": 12.0, "shortfall": 23.0},
        "ifa": {"need": 90.0, "capacity": 0.0, "shortfall": 90.0},
        "in_house_fostering": {"need": 130.0, "capacity": 171.0, "shortfall": 0.0},
        "in_house_residential": {"need": 10.0, "capacity": 26.0, "shortfall": 0.0},
        "other_public_fostering": {"need": 3.0, "capacity": 0.0, "shortfall": 3.0},
        "parent_and_child": {"need": 2.0, "capacity": 0.0, "shortfall": 2.0},
        "residential_school": {"need": 2.0, "capacity": 0.0, "shortfall": 2.0},
        "supported_accommodation": {"need": 23.0, "capacity": 18.0, "shortfall": 5.0},
    }
    # the types each council's own gap of the day's children has, together
    own: set[str] = set()
    for ds in region.originals.values():
        gap = gap_for_dataset(ds, [AT.year], need={AT.year: looked_after_by_type(ds, AT)})
        own |= set(gap.years[0].by_type)
    assert set(table) == own and own <= set(COMMISSIONED_TYPES)


def test_homes_by_type_counts_each_child_under_its_own_placement_type(region: Region) -> None:
    """Before, the fostering services' homes held 191 "in-house fostering" children (the 61 in
    family and friends care among them) at a mean £486.88 a week."""
    from sufficiency.region.market import homes_by_type, homes_by_urn

    by_type = homes_by_type(region.originals, AT)
    assert by_type["in_house_fostering"] == {
        "homes": 3,
        "shared": 0,
        "children": 41 + 46 + 43,
        "weekly_cost": 551.2,  # the costs registers' in-house fostering rate for 2024-25
    }
    assert by_type["family_and_friends"] == {
        "homes": 3,
        "shared": 0,
        "children": 16 + 19 + 26,
        "weekly_cost": 349.8,
    }
    # every type's children in homes are its children looked after with a URN (all, here)
    looked_after = {t: 0 for t in by_type}
    for ds in region.originals.values():
        for t, n in looked_after_by_type(ds, AT).items():
            looked_after[t] = looked_after.get(t, 0) + n
    assert {t: r["children"] for t, r in by_type.items()} == {
        t: n
        for t, n in looked_after.items()
        if t != "placed_with_parents"  # no URN
    }
    fostering = next(h for h in homes_by_urn(region.originals, AT) if h["children"] == 69)
    assert fostering["placement_type"] == "in_house_fostering"
    assert fostering["children_by_type"] == {"family_and_friends": 26, "in_house_fostering": 43}


def test_the_regional_gap_buys_through_the_frameworks_every_member_has(region: Region) -> None:
    """Before, the regional gap bought every place spot (``framework: false``) though every
    member buys these two types through a framework."""
    from sufficiency.region.outlook import regional_frameworks

    deals, warnings = regional_frameworks(region.originals, [2026, 2027])
    both = {
        "external_residential": Framework(weekly_price=6100.0, places=None),
        "ifa": Framework(weekly_price=980.0, places=None),
    }
    assert deals == {2026: both, 2027: both} and warnings == []
    # the contracts end on 31 March 2027: none active at 31 March 2028
    assert regional_frameworks(region.originals, [2028]) == ({2028: {}}, [])
    # a member without an IFA framework: the region buys those places spot and says why
    councils = dict(region.originals)
    ds = councils["E06000051"]
    contracts = ds.register("contracts")
    kept = contracts.filter(
        ~((pl.col("kind") == "framework") & (pl.col("placement_type") == "ifa"))
    )
    councils["E06000051"] = dataclasses.replace(ds, registers={**ds.registers, "contracts": kept})
    deals, warnings = regional_frameworks(councils, [2026])
    assert deals == {2026: {"external_residential": both["external_residential"]}}
    assert warnings == [
        "ifa: only E06000019, E10000034 of the members buy through a framework; the regional "
        "gap counts its places short as bought spot"
    ]


def test_types_hidden_without_the_needs_breakdown_are_read_from_every_type() -> None:
    """A run without ``cla_by_placement_type`` hides the small types of all its children looked
    after, not only of capacity against need's commissioned types: 3 children in family and
    friends care (and, one alone being worked out from the total, the next smallest) stay hidden
    in the forecast though capacity against need no longer lists them."""
    from types import SimpleNamespace

    from sufficiency.report.regional import market_hidden_types

    run = SimpleNamespace(
        measures=SimpleNamespace(to_json=lambda: {"measures": {"cla_count": {"region": 100}}}),
        market={
            "capacity_against_need": {
                "ifa": {"need": 90.0, "capacity": 0.0, "shortfall": 90.0},
                "in_house_fostering": {"need": 7.0, "capacity": 9.0, "shortfall": 0.0},
            }
        },
        looked_after={"family_and_friends": 3.0, "ifa": 90.0, "in_house_fostering": 7.0},
    )
    assert market_hidden_types(run, 5) == {"family_and_friends", "in_house_fostering"}  # type: ignore[arg-type]
