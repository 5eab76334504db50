"""Each hard rule excludes exactly the vacancy that breaks it, with its name and reason."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from sufficiency.matching.referral import ReferralError
from sufficiency.matching.rules import RULES


def _excluded(result: Any) -> dict[str, dict[str, Any]]:
    return {e["vacancy_id"]: e for e in result.to_json()["excluded"]}


def test_suitability_unsuitable_group_is_hard(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("FOSTER"),
        mk.vacancy(
            "HOME",
            provider_kind="children_home",
            placement_type="external_residential",
            rating="good",
            registered="yes",
        ),
    ]
    ref = mk.referral(suitability={"residential": "unsuitable"}, requested_type="ifa")
    res = mk.run(rows, ref)
    assert res.option_ids == ["FOSTER"]
    ex = _excluded(res)["HOME"]
    assert ex["rule"] == "suitability"
    assert ex["reason"] == (
        "residential care is marked unsuitable for this child (external_residential)"
    )


def test_requested_type_and_preferred_do_not_exclude(mk: SimpleNamespace) -> None:
    rows = [mk.vacancy("A"), mk.vacancy("B", placement_type="ifa", provider_kind="ifa")]
    ref = mk.referral(
        requested_type="external_residential", suitability={"residential": "preferred"}
    )
    res = mk.run(rows, ref)
    assert sorted(res.option_ids) == ["A", "B"]
    assert res.to_json()["excluded"] == []


def test_registration_children_home_must_be_in_homes_register(mk: SimpleNamespace) -> None:
    homes = pl.DataFrame(
        {
            "urn": ["SC100", "SC200"],
            "registered_date": ["2019-01-01", ""],
            "rating": ["good", "good"],
        }
    )
    rows = [
        mk.vacancy(
            "REG",
            provider_kind="children_home",
            provider_id="SC100",
            placement_type="external_residential",
        ),
        mk.vacancy(
            "UNREG",
            provider_kind="children_home",
            provider_id="SC999",
            placement_type="external_residential",
        ),
        mk.vacancy(
            "NODATE",
            provider_kind="children_home",
            provider_id="SC200",
            placement_type="external_residential",
        ),
        mk.vacancy("CARER"),
    ]
    res = mk.run(rows, registers={"homes": homes})
    assert sorted(res.option_ids) == ["CARER", "REG"]
    ex = _excluded(res)
    assert ex["UNREG"]["rule"] == "registration"
    assert ex["UNREG"]["reason"] == (
        "not registered with Ofsted: URN SC999 is not a registered home in the homes register"
    )
    assert ex["NODATE"]["rule"] == "registration"
    # the homes register fills the blank rating of the registered home
    pool = res.pool
    assert pool.rating[pool.index_of("REG")] == "good"


def test_registration_explicit_column(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy(
            "SA",
            provider_kind="supported_accommodation",
            registered="no",
            placement_type="supported_accommodation",
        )
    ]
    res = mk.run(rows, mk.referral(child={"age": 17}))
    ex = _excluded(res)["SA"]
    assert (ex["rule"], ex["reason"]) == (
        "registration",
        "not registered with Ofsted: marked not registered in the vacancies register",
    )


def test_age_range_inclusive(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("LOW", age_min=12, age_max=12),
        mk.vacancy("OLD", age_min=13, age_max=17),
        mk.vacancy("YOUNG", age_min=0, age_max=11),
    ]
    res = mk.run(rows)
    assert res.option_ids == ["LOW"]
    ex = _excluded(res)
    assert ex["OLD"]["reason"] == "takes ages 13 to 17; the child is 12"
    assert ex["YOUNG"]["rule"] == "age"


def test_sex_restriction(mk: SimpleNamespace) -> None:
    rows = [mk.vacancy("BOYS", sex="M"), mk.vacancy("GIRLS", sex="F"), mk.vacancy("ANY", sex="")]
    res = mk.run(rows)
    assert sorted(res.option_ids) == ["ANY", "GIRLS"]
    assert _excluded(res)["BOYS"] == {
        "vacancy_id": "BOYS",
        "rule": "sex",
        "reason": "takes boys only",
        "rules": ["sex"],
    }
    res_u = mk.run(rows, mk.referral(child={"sex": "U"}))
    assert sorted(res_u.option_ids) == ["ANY"]
    assert _excluded(res_u)["GIRLS"]["reason"] == (
        "takes girls only and the child's sex is not recorded"
    )


def test_sibling_capacity_places_and_siblings(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("FITS", places=3, siblings=2),
        mk.vacancy("FEW", places=2, siblings=2),
        mk.vacancy("NOSIB", places=3, siblings=0),
    ]
    res = mk.run(rows, mk.referral(siblings=2))
    assert res.option_ids == ["FITS"]
    ex = _excluded(res)
    assert ex["FEW"]["rule"] == "capacity"
    assert ex["FEW"]["reason"] == "2 places free; 3 needed for the child and 2 siblings"
    assert ex["NOSIB"]["rule"] == "sibling_capacity"
    assert ex["NOSIB"]["reason"] == "takes up to 0 siblings; the child has 2 to live with"


def test_siblings_may_be_apart_then_only_scores(mk: SimpleNamespace) -> None:
    rows = [mk.vacancy("FITS", places=3, siblings=2), mk.vacancy("ONE", places=1)]
    res = mk.run(rows, mk.referral(siblings=2, siblings_together_required=False))
    assert res.option_ids == ["FITS", "ONE"]
    ev = res.evaluation
    assert ev.points["siblings_together"][res.pool.index_of("FITS")] == 5.0
    assert ev.points["siblings_together"][res.pool.index_of("ONE")] == 0.0


def test_zero_places_is_no_vacancy(mk: SimpleNamespace) -> None:
    res = mk.run([mk.vacancy("FULL", places=0)])
    assert _excluded(res)["FULL"]["reason"] == "no places free"


def test_needs_must_all_be_accepted_blank_accepts_none(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("ALL", needs_accepted="self_harm;missing;dol_order"),
        mk.vacancy("SOME", needs_accepted="self_harm"),
        mk.vacancy("BLANK", needs_accepted=""),
    ]
    ref = mk.referral(needs=["Self harm"], risks_to_self=["missing"], dol_order=True)
    res = mk.run(rows, ref)
    assert res.option_ids == ["ALL"]
    ex = _excluded(res)
    assert ex["SOME"]["reason"] == "does not accept: missing, dol order"
    assert ex["BLANK"]["reason"] == "does not accept: self harm, missing, dol order"
    # a child with no needs can go to a vacancy accepting none
    assert sorted(mk.run(rows).option_ids) == ["ALL", "BLANK", "SOME"]


def test_need_no_vacancy_accepts_excludes_all(mk: SimpleNamespace) -> None:
    res = mk.run([mk.vacancy("A", needs_accepted="missing")], mk.referral(needs=["fire_setting"]))
    assert res.option_ids == []
    assert _excluded(res)["A"]["reason"] == "does not accept: fire setting"


def test_exclusion_zone_min_miles(mk: SimpleNamespace) -> None:
    # zone centre 30 miles west of home; vacancies east of home are 30 + x miles from it
    rows = [
        mk.vacancy("NEAR", east_miles=-25),
        mk.vacancy("EDGE", east_miles=-10),
        mk.vacancy("FAR", east_miles=5),
    ]
    ref = mk.referral(avoid_areas=[{"postcode": "zz33aa", "min_miles": 20}])
    res = mk.run(rows, ref)
    assert sorted(res.option_ids) == ["EDGE", "FAR"]  # EDGE is exactly 20.0 miles: allowed
    assert _excluded(res)["NEAR"] == {
        "vacancy_id": "NEAR",
        "rule": "exclusion_zone",
        "reason": "5.0 miles from ZZ3 3AA, inside the 20.0 mile exclusion zone",
        "rules": ["exclusion_zone"],
    }


def test_exclusion_zone_unknown_vacancy_location_excluded(mk: SimpleNamespace) -> None:
    row = mk.vacancy("NOWHERE")
    row["easting"] = ""
    ref = mk.referral(avoid_areas=[{"postcode": "ZZ3 3AA", "min_miles": 20}])
    res = mk.run([row], ref)
    assert _excluded(res)["NOWHERE"]["reason"] == (
        "location unknown, so the 20.0 mile exclusion zone around ZZ3 3AA cannot be checked"
    )


def test_exclusion_zone_unknown_postcode_is_referral_error(mk: SimpleNamespace) -> None:
    ref = mk.referral(avoid_areas=[{"postcode": "QQ9 9QQ", "min_miles": 5}])
    with pytest.raises(ReferralError) as err:
        mk.run([mk.vacancy("A")], ref)
    assert str(err.value) == (
        "avoid_areas[0].postcode: postcode QQ9 9QQ was not found, so the exclusion zone "
        "cannot be checked"
    )


def test_availability_against_needed_by(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy("ON_DAY", available_from="2024-06-01"),
        mk.vacancy("LATE", available_from="02/06/2024"),
        mk.vacancy("NOW", available_from=""),
    ]
    res = mk.run(rows)
    assert sorted(res.option_ids) == ["NOW", "ON_DAY"]
    assert _excluded(res)["LATE"]["reason"] == (
        "available from 2024-06-02, after the date needed (2024-06-01)"
    )


def test_rating_inadequate_excluded_blank_passes(mk: SimpleNamespace) -> None:
    rows = [
        mk.vacancy(
            "BAD",
            provider_kind="children_home",
            placement_type="external_residential",
            rating="Inadequate",
            registered="yes",
        ),
        mk.vacancy(
            "RI",
            provider_kind="children_home",
            placement_type="external_residential",
            rating="requires improvement",
            registered="yes",
        ),
        mk.vacancy("CARER", rating=""),
    ]
    res = mk.run(rows)
    assert sorted(res.option_ids) == ["CARER", "RI"]
    assert _excluded(res)["BAD"]["reason"] == "rated inadequate by Ofsted"


def test_first_rule_reported_and_all_listed(mk: SimpleNamespace) -> None:
    row = mk.vacancy("X", sex="M", age_min=16, rating="inadequate", available_from="2025-01-01")
    res = mk.run([row])
    ex = _excluded(res)["X"]
    assert ex["rule"] == "age"
    assert ex["rules"] == ["age", "sex", "availability", "rating"]
    assert set(ex["rules"]) <= set(RULES)
