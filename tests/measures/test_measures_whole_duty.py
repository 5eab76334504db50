"""Known answers for the wider duty's measures (issue 19), from hand-made returns and registers
that reproduce the seed figures: seed 000 §10 (overnight short breaks), §6.4 (84 reunification
plans: 28 left care, 29 placed with parents, 27 in foster care), §6.3 (27 children diverted),
§11 (care leavers to 25) and the adoption scorecard thresholds of seed 003."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from tests.measures.conftest import AT, child, episode, make_ds, run

from sufficiency.dataset import Dataset
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import Period
from sufficiency.measures.suppression import suppress_result
from sufficiency.schema import register_frame


# ------------------------------------------------------------------ short breaks, seed 000 §10
def _short_break_registers() -> dict[str, pl.DataFrame]:
    """Foster: 10 children assessed for 288 nights, 6 of them agreed 144 nights by a sleepover
    scheme of five households, 4 unmet; residential: 10 children, 264 nights, all agreed by one
    provider just outside the border at £700 a night; foster nights £130."""
    rows: list[dict[str, Any]] = []
    for i in range(6):
        rows.append(_package(f"F{i}", "foster", 24, 24, "SCHEME"))
    for i in range(4):
        rows.append(_package(f"U{i}", "foster", 36, 0, None))
    for i in range(4):
        rows.append(_package(f"R{i}", "residential", 24, 24, "RES"))
    for i in range(6):
        rows.append(_package(f"S{i}", "residential", 28, 28, "RES"))
    rows.append({"child_id": "N0", "need_type": "autism", "ehcp": True})  # no package
    provision = [
        {
            "provision_id": "SCHEME",
            "provider": "Sleepover scheme",
            "short_break_type": "foster",
            "nights_available": 144,
            "unit_cost": 130,
            "households": 5,
            "in_area": True,
        },
        {
            "provision_id": "RES",
            "provider": "Residential short breaks",
            "short_break_type": "residential",
            "nights_available": 264,
            "unit_cost": 700,
            "beds": 3,
            "in_area": False,
            "emergency_bed": True,
        },
    ]
    return {
        "disabled_children": register_frame("disabled_children", rows),
        "short_break_provision": register_frame("short_break_provision", provision),
    }


def _package(
    cid: str, kind: str, assessed: int, agreed: int, provision: str | None
) -> dict[str, Any]:
    return {
        "child_id": cid,
        "need_type": "complex_health",
        "ehcp": True,
        "short_break_type": kind,
        "nights_assessed": assessed,
        "nights_agreed": agreed,
        "provision_id": provision,
    }


@pytest.fixture(scope="module")
def short_breaks_ds() -> Dataset:
    return make_ds(
        [child("C1", "2012-01-01")],
        [episode("C1", "2023-01-01")],
        registers=_short_break_registers(),
    )


def test_short_break_demand_and_supply_reproduce_seed_000_section_10(
    short_breaks_ds: Dataset,
) -> None:
    got = run(short_breaks_ds, "short_breaks_demand_supply")
    assert got == {
        "foster": {
            "children_assessed": 10,
            "nights_assessed": 288,
            "children_agreed": 6,
            "nights_agreed": 144,
            "children_unmet": 4,
            "nights_unmet": 144,
            "nights_available": 144,
            "unit_cost": 130.0,
            "cost_of_agreed": 18_720.0,
        },
        "residential": {
            "children_assessed": 10,
            "nights_assessed": 264,
            "children_agreed": 10,
            "nights_agreed": 264,
            "children_unmet": 0,
            "nights_unmet": 0,
            "nights_available": 264,
            "unit_cost": 700.0,
            "cost_of_agreed": 184_800.0,
        },
    }


def test_unmet_short_breaks_of_four_children_are_suppressed_with_their_nights(
    short_breaks_ds: Dataset,
) -> None:
    m = load_catalogue()["short_breaks_demand_supply"]
    shown = suppress_result(m.compute(short_breaks_ds, Period.year_ending(AT)), m).to_json()
    assert shown["foster"]["children_unmet"] == "c"
    assert shown["foster"]["nights_unmet"] == "c"
    assert shown["foster"]["cost_of_agreed"] == "c"
    assert shown["foster"]["unit_cost"] == 130.0  # a price, not tied to the children
    assert shown["residential"]["nights_assessed"] == 264  # nothing small there


def test_short_break_provision_counts_areas_and_emergency_beds(short_breaks_ds: Dataset) -> None:
    assert run(short_breaks_ds, "short_break_provision") == {
        "providers": 2,
        "in_area": 1,
        "out_of_area": 1,
        "emergency_beds": 1,
        "households": 5,
        "beds": 3,
        "nights_available_foster": 144,
        "nights_available_residential": 264,
    }


def test_short_break_measures_are_missing_without_the_registers() -> None:
    ds = make_ds([child("C1", "2012-01-01")], [episode("C1", "2023-01-01")])
    assert run(ds, "short_breaks_demand_supply") is None
    assert run(ds, "ehcp_cla") is None


# --------------------------------------------------------------- reunification, seed 000 §6.4
@pytest.fixture(scope="module")
def plans_ds() -> Dataset:
    """84 children with a reunification plan set 1 September 2023: 28 went home (E4A) in
    January 2024, 29 are placed with parents (P1) and 27 are fostered (U4) on 31 March 2024;
    5 fostered children have no plan, one plan was changed, one child has an SGO plan achieved."""
    kids: list[dict[str, Any]] = []
    eps: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    for i in range(84):
        cid = f"R{i:03d}"
        kids.append(child(cid, "2014-05-01"))
        if i < 28:
            eps.append(episode(cid, "2023-06-01", "2024-01-15", REC="E4A"))
        elif i < 57:
            eps.append(episode(cid, "2023-06-01", PLACE="P1", PLACE_PROVIDER="PR0"))
        else:
            eps.append(episode(cid, "2023-06-01"))
        plans.append({"child_id": cid, "plan": "reunification", "date_set": "2023-09-01"})
    for i in range(5):
        kids.append(child(f"X{i}", "2012-01-01"))
        eps.append(episode(f"X{i}", "2022-01-01"))
    plans.append(
        {
            "child_id": "X0",
            "plan": "reunification",
            "date_set": "2023-04-01",
            "status": "changed",
            "outcome_date": "2023-08-01",
        }
    )
    kids.append(child("G1", "2015-01-01"))
    eps.append(episode("G1", "2022-01-01", "2023-12-01", REC="E45", PLACE="U1"))
    plans.append({"child_id": "G1", "plan": "sgo", "date_set": "2023-05-01", "status": "achieved"})
    plans.append({"child_id": "X1", "plan": "sgo", "date_set": "2023-05-01", "might_benefit": True})
    return make_ds(
        kids, eps, registers={"permanence_plans": register_frame("permanence_plans", plans)}
    )


def test_84_reunification_plans_split_28_left_29_with_parents_27_fostered(
    plans_ds: Dataset,
) -> None:
    assert run(plans_ds, "reunification_outcomes") == {
        "left_care": 28,
        "placed_with_parents": 29,
        "foster_care": 27,
        "other_placement": 0,
        "not_in_returns": 0,
        "total": 84,
    }


def test_plans_achieved_are_read_from_the_returns(plans_ds: Dataset) -> None:
    got = run(plans_ds, "permanence_plans_by_type")
    assert got["reunification"] == {
        "children": 84,
        "achieved": 28,
        "looked_after": 56,
        "might_benefit": 0,
    }
    assert got["sgo"] == {"children": 1, "achieved": 1, "looked_after": 0, "might_benefit": 1}
    assert got["adoption"]["children"] == 0


def test_a_plan_not_yet_set_on_the_date_is_not_counted(plans_ds: Dataset) -> None:
    at = AT.replace(year=2023, month=8, day=31)
    assert run(plans_ds, "reunification_outcomes", at)["total"] == 0


# ----------------------------------------------------------------------- adoption scorecard
def test_a1_counts_from_the_adoptive_placement_and_a10_from_the_foster_carers() -> None:
    """A child fostered from 1 January 2022 who was placed for adoption with the same carers
    (A5) on 1 January 2023 and adopted on 1 October 2023: A1 365 days, A10 0 days."""
    ds = make_ds(
        [child("A1", "2020-01-01")],
        [
            episode("A1", "2022-01-01", "2023-01-01", REC="X1"),
            episode("A1", "2023-01-01", "2023-10-01", RNE="P", LS="E1", PLACE="A5", REC="E12"),
        ],
    )
    assert run(ds, "adoption_a1_days")["three_year_average"] == 365.0
    assert run(ds, "adoption_a10_days")["three_year_average"] == 0.0
    card = run(ds, "adoption_scorecard")
    assert card["A1"] == {
        "three_year_average": 365.0,
        "three_year_children": 1,
        "threshold": 426,
        "within_threshold": 1,
    }
    assert card["A10"]["threshold"] == 426
    assert card["A2"]["threshold"] == 121
    assert card["A2"]["within_threshold"] is None  # no AD1 match date


# ------------------------------------------------------------------ SEND and disabled children
def test_disabled_children_come_from_the_register_and_category_of_need() -> None:
    ds = make_ds(
        [child(c, "2012-01-01") for c in ("D1", "D2", "D3", "O1")],
        [
            episode("D1", "2023-01-01"),  # in the register
            episode("D2", "2023-01-01", CIN="N2", PLACE="K2", PLACE_PROVIDER="PR4"),
            episode("D3", "2023-01-01", LS="V4", PLACE="R1"),  # short breaks: not looked after
            episode("O1", "2023-01-01"),
        ],
        registers={
            "disabled_children": register_frame(
                "disabled_children",
                [
                    {
                        "child_id": "D1",
                        "need_type": "autism",
                        "ehcp": True,
                        "ehcp_date": "2022-01-01",
                    },
                    {"child_id": "D3", "ehcp": True},
                    {"child_id": "Z9", "ehcp": True, "ehcp_date": "2025-01-01"},  # EHCP later
                ],
            )
        },
    )
    share = run(ds, "disabled_cla")
    assert (share.count, share.denominator) == (2, 3)
    assert run(ds, "disabled_cla_by_placement_type") == {
        "in_house_fostering": 1,
        "external_residential": 1,
    }
    ehcp = run(ds, "ehcp_cla")
    assert (ehcp.count, ehcp.denominator) == (1, 3)
    assert run(ds, "ehcp_cla_by_need")["autism"] == 1
    assert run(ds, "ehcp_children") == 2


# ----------------------------------------------------------------------- care leavers to 25
def test_care_leavers_to_25_take_oc3_to_21_and_the_register_after() -> None:
    oc3 = pl.DataFrame(
        {
            "CHILD": ["L1", "L2"],
            "DOB": ["2005-01-01", "2003-02-01"],
            "IN_TOUCH": ["YES", "YES"],
            "ACTIV": ["F1", "F1"],
            "ACCOM": ["B1", "B1"],
        }
    )
    register = register_frame(
        "care_leavers_25",
        [
            {"person_id": "P1", "birth_month": "2002-03", "accommodation": "independent"},
            {
                "person_id": "P2",
                "birth_month": "2000-12",
                "accommodation": "staying_close",
                "staying_close": True,
            },
            {"person_id": "P3", "birth_month": "1998-04", "in_touch": True},  # 25
            {"person_id": "P4", "birth_month": "1998-03"},  # 26: out of range
            {"person_id": "P5", "birth_month": "2004-01"},  # 20: OC3's ages
        ],
    )
    ds = make_ds(
        [child("L1", "2005-01-01"), child("L2", "2003-02-01")],
        [
            episode("L1", "2020-01-01", "2023-01-01", REC="E5"),
            episode("L2", "2019-01-01", "2021-01-01", REC="E5"),
        ],
        tables={"oc3": oc3},
        registers={"care_leavers_25": register},
    )
    by_age = run(ds, "care_leavers_by_age_to_25")
    assert by_age == {
        "17": 0, "18": 0, "19": 1, "20": 0, "21": 1, "22": 1, "23": 1, "24": 0, "25": 1,
    }  # fmt: skip
    assert run(ds, "care_leavers_22_25_accommodation") == {
        "staying_close": 1,
        "independent": 1,
        "not_known": 1,
    }
    assert run(ds, "care_leavers_22_25_support") == {
        "total": 3,
        "in_touch": 1,
        "suitable": 0,
        "staying_put": 0,
        "staying_close": 1,
    }


# --------------------------------------------------------------- early help, seed 000 §6.3
def test_27_children_diverted_by_two_programmes_in_the_year() -> None:
    rows = [
        {"programme": "ECHO", "quarter": q, "diverted": d, "returned": 1, "cost": 50_000}
        for q, d in (("2023-04-01", 5), ("2023-07-01", 6), ("2023-10-01", 4), ("2024-01-01", 3))
    ]
    rows += [
        {"programme": "Family group conferencing", "quarter": q, "diverted": d, "cost": 20_000}
        for q, d in (("2023-10-01", 4), ("2024-01-01", 5), ("2024-04-01", 9))  # last: next year
    ]
    ds = make_ds(
        [child("C1", "2012-01-01")],
        [episode("C1", "2023-01-01")],
        registers={"interventions": register_frame("interventions", rows)},
    )
    got = run(ds, "intervention_outcomes")
    assert got["ECHO"] == {
        "diverted": 18,
        "returned": 4,
        "quarters": 4,
        "cost": 200_000.0,
        "cost_per_child": 9090.91,
    }
    assert got["Family group conferencing"]["diverted"] == 9
    assert got["ECHO"]["diverted"] + got["Family group conferencing"]["diverted"] == 27
