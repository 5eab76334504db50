"""Supply measures in the catalogue, on hand-built Datasets and registers."""

from __future__ import annotations

import datetime as dt

from tests.supply.conftest import MakeDs, Reg

from sufficiency.dataset import Dataset
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import Period, Share

AT = Period.year_ending(dt.date(2023, 3, 31))
STAFFS = "E10000028"


def ep(
    child: str,
    place: str,
    provider: str,
    urn: str | None = None,
    decom: str = "2022-06-01",
    dec: str | None = None,
) -> dict[str, object]:
    return {
        "CHILD": child,
        "DECOM": decom,
        "DEC": dec,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": provider,
        "URN": urn,
        "return_year": 2023,
    }


def value(id_: str, ds: Dataset) -> object:
    return load_catalogue()[id_].func(ds, AT)


def test_supply_measures_are_registered_with_theme_supply() -> None:
    ids = {m.id for m in load_catalogue().values() if m.theme == "supply"}
    assert ids == {
        "supply_carer_households",
        "supply_carer_places",
        "supply_carer_net_change",
        "supply_carer_utilisation",
        "supply_carers_by_approval_type",
        "supply_reg24",
        "supply_recruitment_funnel",
        "supply_recruitment_lag",
        "supply_homes_in_area",
        "supply_homes_good_or_outstanding",
        "supply_supported_accommodation",
        "supply_block_contract_utilisation",
        "supply_adopters_waiting",
        "supply_provider_market",
        "supply_average_fees",
        "supply_spot_share",
        "supply_framework_share",
    }


def test_measures_are_none_without_registers(make_ds: MakeDs) -> None:
    ds = make_ds([ep("A", "U4", "PR1")])
    assert value("supply_carer_households", ds) is None
    assert value("supply_homes_in_area", ds) is None


def test_staffordshire_beds_in_county_vs_children_placed_there(make_ds: MakeDs, reg: Reg) -> None:
    """113 children in children's homes, 41 of them in homes inside the county (36%), and
    396 beds in the county's homes: 3.5 beds per child (Staffordshire 2023-26)."""
    homes = [
        {
            "urn": f"IN{i}",
            "places": 4,
            "local_authority": STAFFS,
            "registered_date": "2015-01-01",
            "rating": "good" if i < 30 else "inadequate",
        }
        for i in range(99)
    ]
    homes += [
        {"urn": f"OUT{i}", "places": 5, "local_authority": "E10000015", "rating": "outstanding"}
        for i in range(20)
    ]
    homes += [
        {"urn": "SHUT", "places": 6, "local_authority": STAFFS, "closed_date": "2022-01-01"},
        {"urn": "NEW", "places": 6, "local_authority": STAFFS, "registered_date": "2023-06-01"},
    ]
    eps = [ep(f"C{i}", "K2", "PR4", f"IN{i % 99}") for i in range(41)]
    eps += [ep(f"D{i}", "K2", "PR4", f"OUT{i % 20}") for i in range(72)]
    eps += [ep("E1", "U4", "PR4"), ep("E2", "K2", "PR4", "IN1", dec="2023-03-31")]
    ds = make_ds(eps, {"homes": reg("homes", homes)})
    assert value("supply_homes_in_area", ds) == {
        "homes": 99,
        "beds": 396,
        "children_in_homes": 113,
        "children_placed_inside": 41,
        "beds_per_child": 3.5,
        "share_placed_inside_pct": 36.3,
    }
    # Good/outstanding: children in IN0..IN29 (30 of the 41 inside) plus all 72 outside.
    assert value("supply_homes_good_or_outstanding", ds) == Share(30 + 72, 113)


def test_carer_measures(make_ds: MakeDs, reg: Reg) -> None:
    carers = reg(
        "carers",
        [
            {
                "household_id": "A",
                "status": "approved",
                "approval_types": "mainstream;short_breaks",
                "approved_date": "2022-05-01",
                "places": 3,
                "occupied": 3,
            },
            {
                "household_id": "B",
                "status": "approved",
                "approval_types": "parent_and_child",
                "approved_date": "2019-05-01",
                "places": 2,
                "occupied": 1,
            },
            {
                "household_id": "C",
                "status": "deregistered",
                "approval_types": "mainstream",
                "approved_date": "2019-05-01",
                "deregistered_date": "2022-09-01",
                "places": 2,
            },
            {
                "household_id": "D",
                "status": "deregistered",
                "approval_types": "mainstream",
                "approved_date": "2019-05-01",
                "deregistered_date": "2022-10-01",
                "places": 1,
            },
        ],
    )
    ds = make_ds([ep("A", "U4", "PR1")], {"carers": carers})
    assert value("supply_carer_households", ds) == 2
    assert value("supply_carer_places", ds) == 5
    assert value("supply_carer_net_change", ds) == {
        "start": 3,
        "approvals": 1,
        "deregistrations": 2,
        "end": 2,
        "net": -1,
    }
    assert value("supply_carer_utilisation", ds) == Share(4, 5)
    assert value("supply_carers_by_approval_type", ds) == {
        "mainstream": 1,
        "kinship": 0,
        "short_breaks": 1,
        "parent_and_child": 1,
        "supported_lodgings": 0,
        "emergency": 0,
    }


def test_recruitment_funnel_in_the_period(make_ds: MakeDs, reg: Reg) -> None:
    rec = reg(
        "recruitment",
        [
            {"month": "2022-03", "enquiries": 100, "approvals": 50},
            {"month": "2022-04", "enquiries": 30, "applications": 6, "approvals": 1},
            {"month": "2023-03", "enquiries": 34, "applications": 4, "approvals": 3},
        ],
    )
    ds = make_ds([ep("A", "U4", "PR1")], {"recruitment": rec})
    assert value("supply_recruitment_funnel", ds) == {
        "months": 2,
        "enquiries": 64,
        "applications": 10,
        "assessments_started": 0,
        "approvals": 4,
        "deregistrations": 0,
        "applications_per_enquiry_pct": 15.6,
        "assessments_started_per_enquiry_pct": 0.0,
        "approvals_per_enquiry_pct": 6.2,
        # no carers register: nothing to reconcile with
        "carers_register_approvals": None,
        "carers_register_connected_person_approvals": None,
        "carers_register_mainstream_approvals": None,
        "approvals_difference": None,
        "carers_register_deregistrations": None,
        "carers_register_connected_person_deregistrations": None,
        "carers_register_mainstream_deregistrations": None,
        "deregistrations_difference": None,
    }


def test_contracts_market_and_adopters(make_ds: MakeDs, reg: Reg) -> None:
    homes = reg(
        "homes",
        [
            {"urn": "SC1", "provider": "Acme", "places": 3},
            {"urn": "SC2", "provider": "Acme", "places": 3},
            {"urn": "SC3", "provider": "Beta", "places": 4},
        ],
    )
    contracts = reg(
        "contracts",
        [
            {
                "contract_id": "B1",
                "provider": "Acme",
                "kind": "block",
                "placement_type": "external_residential",
                "places": 4,
                "start": "2022-04-01",
            },
            {
                "contract_id": "B2",
                "provider": "Beta",
                "kind": "block",
                "placement_type": "external_residential",
                "places": 2,
                "start": "2022-04-01",
                "end": "2023-03-31",
            },
            # IFA placements are bought through a framework (with many providers); none
            # start here, so it routes nothing
            {
                "contract_id": "F1",
                "provider": "Regional fostering framework",
                "kind": "framework",
                "placement_type": "ifa",
                "start": "2022-04-01",
            },
        ],
    )
    costs = reg(
        "costs",
        [
            {"placement_type": "external_residential", "year": 2023, "weekly_cost": 7000},
            {
                "placement_type": "external_residential",
                "year": 2023,
                "weekly_cost": 4900,
                "provider": "Acme",
            },
        ],
    )
    adopters = reg(
        "adopters",
        [
            {"household_id": "X", "approved_date": "2022-01-01"},
            {"household_id": "Y", "approved_date": "2022-01-01", "matched_date": "2023-02-01"},
            {"household_id": "Z", "approved_date": "2023-04-01"},
        ],
    )
    eps = [
        ep("A1", "K2", "PR4", "SC1", decom="2022-04-01"),
        ep("A2", "K2", "PR4", "SC2", decom="2022-04-01", dec="2022-04-15"),
        ep("B1", "K2", "PR4", "SC3", decom="2022-05-01"),
        ep("B2", "K2", "PR4", "SC3", decom="2022-05-01"),
        ep("B3", "K2", "PR4", "SC3", decom="2022-05-01"),
        ep("N1", "K2", "PR4", "SC9", decom="2023-03-01", dec="2023-03-08"),
    ]
    ds = make_ds(
        eps, {"homes": homes, "contracts": contracts, "costs": costs, "adopters": adopters}
    )
    # Acme: 1 child placed of 4 block places; Beta: 3 placed, capped at its 2 places.
    assert value("supply_block_contract_utilisation", ds) == Share(1 + 2, 6)
    # Every start is covered by a block contract except N1 (provider unknown).
    assert value("supply_spot_share", ds) == Share(1, 6)
    assert value("supply_framework_share", ds) == Share(0, 6)
    assert value("supply_adopters_waiting", ds) == 1
    assert value("supply_provider_market", ds) == {
        "Beta": {"children": 3, "nights": 3 * 335, "spend": 3 * 335 * 1000},
        "Acme": {"children": 2, "nights": 365 + 14, "spend": ((365 + 14) * 700)},
        "unknown": {"children": 1, "nights": 7, "spend": 7000},
    }
    assert value("supply_average_fees", ds) == {"Acme": {"2023": 4900.0}}


def test_placements_bought_through_a_framework_are_not_spot_purchased(
    make_ds: MakeDs, reg: Reg
) -> None:
    """A framework contract covers its placement type whoever the provider: IFA placements
    started while it is active are bought through it; a block contract with the provider
    comes first; the rest are spot-purchased."""
    homes = reg("homes", [{"urn": "SC1", "provider": "Acme", "places": 3}])
    contracts = reg(
        "contracts",
        [
            {
                "contract_id": "F1",
                "provider": "Regional fostering framework",
                "kind": "framework",
                "placement_type": "ifa",
                "weekly_price": 980,
                "start": "2022-04-01",
                "end": "2022-12-31",
            },
            {
                "contract_id": "F2",
                "provider": "Regional homes framework",
                "kind": "framework",
                "placement_type": "external_residential",
                "start": "2022-04-01",
            },
            {
                "contract_id": "B1",
                "provider": "Acme",
                "kind": "block",
                "placement_type": "external_residential",
                "places": 2,
                "start": "2022-04-01",
            },
        ],
    )
    eps = [
        ep("F1", "U4", "PR4", None, decom="2022-05-01"),  # framework
        ep("F2", "U5", "PR5", None, decom="2022-11-30"),  # framework
        ep("S1", "U4", "PR4", None, decom="2023-01-15"),  # after F1 ended: spot
        ep("R1", "K2", "PR4", "SC1", decom="2022-06-01"),  # Acme's block contract
        ep("R2", "K2", "PR4", "SC7", decom="2022-06-01"),  # framework (not Acme's home)
    ]
    ds = make_ds(eps, {"homes": homes, "contracts": contracts})
    assert value("supply_framework_share", ds) == Share(3, 5)
    assert value("supply_spot_share", ds) == Share(1, 5)
