"""Fuzz round 6 (supply): figures that changed silently.

* a home's ``local_authority`` in lower case or left blank took the home out of "in the area"
  (supply_homes_in_area 20 homes -> 0, children placed inside 11 -> 0);
* provider names were matched with case counting between registers: ``OAKFIELD CARE LTD`` in
  contracts is ``Oakfield Care Ltd`` in homes (block contract utilisation 1 -> 0).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from tests.supply.conftest import MakeDs, Reg

from sufficiency.dataset import Dataset
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import Period, Share
from sufficiency.measures.unit_costs import cost_placements

AT = Period.year_ending(dt.date(2023, 3, 31))
STAFFS = "E10000028"


def ep(child: str, place: str, urn: str | None, decom: str = "2022-06-01") -> dict[str, object]:
    return {
        "CHILD": child,
        "DECOM": decom,
        "DEC": None,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR4",
        "URN": urn,
        "return_year": 2023,
    }


def value(id_: str, ds: Dataset) -> object:
    return load_catalogue()[id_].func(ds, AT)


def _homes(la: str | None) -> list[dict[str, object]]:
    """Two homes in Stafford (ST16) with ``la`` as their local_authority, one in Worcester."""
    return [
        {"urn": "SC000001", "places": 4, "local_authority": la, "postcode": "ST16 2LS"},
        {"urn": "SC000002", "places": 3, "local_authority": la, "postcode": "ST16 3AA"},
        {"urn": "SC000003", "places": 5, "local_authority": None, "postcode": "WR1 2HB"},
    ]


IN_AREA = {
    "homes": 2,
    "beds": 7,
    "children_in_homes": 3,
    "children_placed_inside": 2,
    "beds_per_child": 2.3,
    "share_placed_inside_pct": 66.7,
}


def test_a_council_code_in_lower_case_counts_its_homes_in_the_area(
    make_ds: MakeDs, reg: Reg
) -> None:
    eps = [ep("A", "K2", "SC000001"), ep("B", "K2", "SC000002"), ep("C", "K2", "SC000003")]
    ds = make_ds(eps, {"homes": reg("homes", _homes(STAFFS.lower()))})
    assert value("supply_homes_in_area", ds) == IN_AREA


def test_a_blank_council_is_the_council_of_the_homes_postcode(make_ds: MakeDs, reg: Reg) -> None:
    """Blank local_authority: the postcode's council (as a placement's PL_POST gives its
    pl_la), so the figures are those of the code written in full."""
    eps = [ep("A", "K2", "SC000001"), ep("B", "K2", "SC000002"), ep("C", "K2", "SC000003")]
    blank = make_ds(eps, {"homes": reg("homes", _homes(None))})
    given = make_ds(eps, {"homes": reg("homes", _homes(STAFFS))})
    assert value("supply_homes_in_area", blank) == IN_AREA
    assert value("supply_homes_in_area", given) == IN_AREA


def test_a_given_council_decides_over_the_postcode(make_ds: MakeDs, reg: Reg) -> None:
    """A code that disagrees with the postcode (warned at ingest) is the one counted."""
    homes = _homes(STAFFS)
    homes[2]["local_authority"] = STAFFS  # a Worcester postcode, Staffordshire's code
    eps = [ep("A", "K2", "SC000001"), ep("B", "K2", "SC000002"), ep("C", "K2", "SC000003")]
    ds = make_ds(eps, {"homes": reg("homes", homes)})
    got = value("supply_homes_in_area", ds)
    assert isinstance(got, dict)
    assert (got["homes"], got["beds"], got["children_placed_inside"]) == (3, 12, 3)


# ------------------------------------------------------------------ provider names
def test_provider_names_compare_ignoring_case_and_spaces() -> None:
    from sufficiency.schema.provider_names import provider_key

    names = pl.DataFrame({"p": ["Oakfield Care Ltd", " OAKFIELD  CARE LTD ", "oakfield care ltd"]})
    assert names.select(provider_key("p").n_unique()).item() == 1


def _contract(provider: str, kind: str = "block") -> dict[str, object]:
    return {
        "contract_id": f"C-{kind}",
        "provider": provider,
        "kind": kind,
        "placement_type": "external_residential",
        "places": 4,
        "start": "2022-04-01",
    }


def test_a_block_contract_matches_its_provider_whatever_the_case(make_ds: MakeDs, reg: Reg) -> None:
    homes = reg(
        "homes",
        [
            {"urn": "SC000001", "provider": "Oakfield Care Ltd", "places": 4},
            {"urn": "SC000002", "provider": "Beta Homes", "places": 4},
        ],
    )
    eps = [
        ep("A", "K2", "SC000001", decom="2022-05-01"),
        ep("B", "K2", "SC000002", decom="2022-05-01"),
    ]
    for written in ("Oakfield Care Ltd", "OAKFIELD CARE LTD", " oakfield  care ltd"):
        contracts = reg("contracts", [_contract(written)])
        ds = make_ds(eps, {"homes": homes, "contracts": contracts})
        assert value("supply_block_contract_utilisation", ds) == Share(1, 4), written
        assert value("supply_spot_share", ds) == Share(1, 2), written


def test_a_providers_fee_and_market_match_whatever_the_case(make_ds: MakeDs, reg: Reg) -> None:
    """The costs register's provider row prices the provider's homes; the homes and supported
    accommodation registers' spellings of one provider are one provider in the market and in
    the average fees (shown as the homes register first writes it)."""
    homes = reg("homes", [{"urn": "SC000001", "provider": "Oakfield Care Ltd", "places": 4}])
    supported = reg(
        "supported_accommodation",
        [{"provider": "OAKFIELD CARE LTD", "urn": "SC000009", "units": 4}],
    )
    costs = reg(
        "costs",
        [
            {"placement_type": "external_residential", "year": 2023, "weekly_cost": 7000},
            {
                "placement_type": "external_residential",
                "year": 2023,
                "weekly_cost": 4900,
                "provider": "oakfield care  LTD",
            },
        ],
    )
    eps = [
        ep("A", "K2", "SC000001", decom="2022-04-01"),
        ep("B", "K2", "SC000009", decom="2022-04-01"),
    ]
    ds = make_ds(eps, {"homes": homes, "supported_accommodation": supported, "costs": costs})
    assert value("supply_provider_market", ds) == {
        "Oakfield Care Ltd": {"children": 2, "nights": 2 * 365, "spend": 2 * 365 * 700},
    }
    assert value("supply_average_fees", ds) == {"Oakfield Care Ltd": {"2023": 4900.0}}
    frame = pl.DataFrame(
        {
            "placement_type": ["external_residential"] * 2,
            "urn": ["SC000001", None],
            "provider": ["OAKFIELD CARE LTD", "Other"],
        }
    )
    priced = cost_placements(frame, costs, 2023)
    assert priced.get_column("weekly_cost").to_list() == [4900.0, 7000.0]
