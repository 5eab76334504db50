"""The children behind the supply measures' counts (supply.behind, assembled by
measures.behind.cohorts()): exactly the children each cell counts, on a hand-made council."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.supply.conftest import MakeDs, Reg

from sufficiency.dataset import Dataset
from sufficiency.measures import behind, compute
from sufficiency.measures.behind import COUNT, DENOMINATOR, NUMERATOR
from sufficiency.supply.behind import SUPPLY_COHORTS

AT = dt.date(2023, 3, 31)
STAFFS = "E10000028"


def ep(child: str, place: str, urn: str | None = None, **more: object) -> dict[str, object]:
    """An episode of the 2023 return placed by an agency (PR4) on 1 June 2022 unless ``more``
    says otherwise (DECOM, DEC, RNE, PLACE_PROVIDER)."""
    base = {"CHILD": child, "DECOM": "2022-06-01", "DEC": None, "RNE": "S", "LS": "C2"}
    where = {"PLACE": place, "PLACE_PROVIDER": "PR4", "URN": urn, "CIN": "N1"}
    return base | where | {"return_year": 2023} | more


@pytest.fixture
def council(make_ds: MakeDs, reg: Reg) -> Dataset:
    """Three children in children's homes at the year end (two inside the county, two in
    homes rated good or outstanding), one who left a home in the year, one fostered by an
    agency in two placements started in the year and one fostered in house."""
    homes = reg(
        "homes",
        [
            {"urn": "IN1", "provider": "Acme", "places": 4, "local_authority": STAFFS,
             "rating": "good"},
            {"urn": "IN2", "provider": "Beta", "places": 2, "local_authority": STAFFS,
             "rating": "inadequate"},
            {"urn": "OUT1", "provider": "Gamma", "places": 5, "local_authority": "E10000015",
             "rating": "outstanding"},
        ],
    )  # fmt: skip
    contracts = reg(
        "contracts",
        [
            {"contract_id": "B1", "provider": "Acme", "kind": "block",
             "placement_type": "external_residential", "places": 2, "start": "2022-04-01"},
            {"contract_id": "F1", "provider": "Regional fostering framework",
             "kind": "framework", "placement_type": "ifa", "start": "2022-04-01"},
        ],
    )  # fmt: skip
    eps = [
        ep("H1", "K2", "IN1"),  # inside, good, Acme's block contract
        ep("H2", "K2", "IN2"),  # inside, inadequate, spot
        ep("H3", "K2", "OUT1"),  # outside, outstanding, spot
        ep("E2", "K2", "OUT1", DECOM="2022-04-01", DEC="2022-08-01"),  # left: spot
        ep("F1", "U4", DECOM="2022-05-01", DEC="2022-09-01"),  # two IFA starts
        ep("F1", "U5", DECOM="2022-09-01", RNE="P"),
        ep("A", "U4", PLACE_PROVIDER="PR1", DECOM="2021-01-01"),  # in house: not bought
    ]
    return make_ds(eps, {"homes": homes, "contracts": contracts})


def _ids(ds: Dataset, mid: str, row: str = COUNT, column: str = COUNT) -> list[str]:
    return behind.children_behind(ds, mid, AT, row, column).get_column("CHILD").to_list()


def test_every_supply_cell_lists_exactly_the_children_it_counts(council: Dataset) -> None:
    results = compute(council, AT, ids=list(SUPPLY_COHORTS)).values
    checked = 0
    for mid, result in results.items():
        cohort = SUPPLY_COHORTS[mid]
        counts = {
            behind.keys_of(result, p): v for p, v, role in result.leaves() if role == "children"
        }
        listed = behind.listed_cells(mid, result)
        assert listed and set(listed) <= set(counts), mid
        assert {k for k in counts if not {*k} & {*cohort.unlisted}} == set(listed), mid
        for keys in listed:
            assert behind.counted_behind(council, mid, AT, *keys) == counts[keys], (mid, keys)
            children = len(_ids(council, mid, *keys))
            assert children == counts[keys] or (cohort.events and children < counts[keys])
            checked += 1
    assert checked == 2 + 2 + 5 + 2 + 2  # homes, ratings, five providers, two shares


def test_the_children_behind_known_supply_cells(council: Dataset) -> None:
    assert _ids(council, "supply_homes_in_area", "children_in_homes") == ["H1", "H2", "H3"]
    assert _ids(council, "supply_homes_in_area", "children_placed_inside") == ["H1", "H2"]
    good = "supply_homes_good_or_outstanding"
    assert _ids(council, good, column=NUMERATOR) == ["H1", "H3"]
    assert _ids(council, good, column=DENOMINATOR) == ["H1", "H2", "H3"]
    market = "supply_provider_market"
    assert _ids(council, market, "Gamma", "children") == ["E2", "H3"]
    assert _ids(council, market, "unknown", "children") == ["F1"]
    assert _ids(council, market, "in_house", "children") == ["A"]
    assert _ids(council, "supply_spot_share", column=NUMERATOR) == ["E2", "H2", "H3"]


def test_a_share_of_placements_lists_each_child_once(council: Dataset) -> None:
    """F1 started two agency placements in the year, both through the framework: the share
    counts the placements, the list names F1 once."""
    framework = "supply_framework_share"
    assert _ids(council, framework, column=NUMERATOR) == ["F1"]
    assert behind.counted_behind(council, framework, AT, column=NUMERATOR) == 2
    assert _ids(council, framework, column=DENOMINATOR) == ["E2", "F1", "H1", "H2", "H3"]
    assert behind.counted_behind(council, framework, AT, column=DENOMINATOR) == 6


def test_a_providers_nights_and_spend_do_not_link(council: Dataset) -> None:
    market = "supply_provider_market"
    result = compute(council, AT, ids=[market]).values[market]
    rows = list(result.to_json())
    assert behind.cell_at(result, rows.index("Gamma"), 1, market) == ("Gamma", "children")
    assert behind.cell_at(result, rows.index("Gamma"), 2, market) is None  # nights
    assert {c for _, c in behind.listed_positions(market, result)} == {1}
    with pytest.raises(ValueError, match="'nights' counts children but cannot list them"):
        behind.children_behind(council, market, AT, "Gamma", "nights")


def test_the_supply_cohorts_join_every_other_packages(council: Dataset) -> None:
    assert all(behind.cohorts()[mid] is cohort for mid, cohort in SUPPLY_COHORTS.items())
    assert behind.drillable("supply_spot_share") and behind.drillable("cla_count")
    assert not behind.drillable("supply_block_contract_utilisation")  # places, not children
    with pytest.raises(KeyError, match="no identifier of the child"):
        behind.children_behind(council, "matched_first_time", AT)
