"""Referral parsing: the JSON model's normalisation and the flattened CSV row (batch files,
referrals register)."""

from __future__ import annotations

import pytest

from sufficiency.matching.referral import ReferralError, parse_referral, referral_from_row

REFERRAL = {
    "id": "R1",
    "child": {"age": 12, "sex": "F", "home_postcode": "HR1 2HX"},
    "needed_by": "2024-06-01",
    "urgency": "today",
    "requested_type": "in_house_fostering",
    "needs": ["missing"],
    "budget_weekly": 900,
}


def test_referral_model_fields() -> None:
    r = parse_referral(
        {
            **REFERRAL,
            "dol_order": True,
            "risks_to_others": ["Criminal exploitation"],
            "child": {**REFERRAL["child"], "sex": "2", "home_postcode": "hr12hx"},
            "avoid_areas": [{"postcode": "b11aa", "min_miles": 25}],
        }
    )
    assert r.child.sex == "F" and r.child.home_postcode == "HR1 2HX"
    assert r.required_needs == ("missing", "criminal_exploitation", "dol_order")
    assert r.avoid_areas[0].postcode == "B1 1AA"
    assert r.level("foster") == "suitable"
    with pytest.raises(ReferralError) as err:
        parse_referral({**REFERRAL, "requested_type": "castle"})
    assert str(err.value).startswith("requested_type: unknown placement type 'castle'")
    with pytest.raises(ReferralError) as err:
        parse_referral({k: v for k, v in REFERRAL.items() if k != "needed_by"})
    assert str(err.value) == "needed_by: is required"


def test_referral_from_csv_row() -> None:
    r = referral_from_row(
        {
            "referral_id": "X",
            "child_age": "15",
            "sex": "M",
            "uasc": "yes",
            "needed_by": "2024-06-01",
            "suitability_residential": "Unsuitable",
            "needs": "missing; self harm",
            "avoid_areas": "B1 1AA:20;HR1 2HX:5",
            "preferred_location": "HR4 9AA:8",
            "siblings": "1",
            "siblings_together_required": "no",
            "budget_weekly": "1200",
        },
        "refs.csv",
        2,
    )
    assert (r.id, r.child.age, r.child.uasc, r.siblings) == ("X", 15, True, 1)
    assert r.suitability == {"residential": "unsuitable"}
    assert r.needs == ("missing", "self_harm")
    assert [(a.postcode, a.min_miles) for a in r.avoid_areas] == [
        ("B1 1AA", 20.0),
        ("HR1 2HX", 5.0),
    ]
    assert r.preferred_location is not None and r.preferred_location.within_miles == 8.0
    assert r.siblings_together_required is False
    with pytest.raises(ReferralError) as err:
        referral_from_row(
            {"id": "Y", "age": "15", "needed_by": "2024-06-01", "uasc": "maybe"}, "refs.csv", 7
        )
    assert str(err.value) == "refs.csv row 7: child.uasc: expected yes/no (got 'maybe')"


@pytest.mark.parametrize("nothing", ["None", "N/A", "n/a", "-", "nil", "Not applicable"])
def test_a_list_saying_there_is_nothing_is_empty(nothing: str) -> None:
    """needs ["None"] was a need no vacancy accepts: 0 options instead of 30, each excluded as
    "does not accept: n a"."""
    r = parse_referral({**REFERRAL, "needs": [nothing], "risks_to_self": nothing})
    assert r.needs == () and r.risks_to_self == () and r.required_needs == ()
    row = referral_from_row(
        {
            "referral_id": "R2",
            "age": "12",
            "needed_by": "2024-06-01",
            "needs": f"{nothing};missing",
            "adaptations": nothing,
        }
    )
    assert row.needs == ("missing",) and row.adaptations == ()
