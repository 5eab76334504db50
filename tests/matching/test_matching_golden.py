"""A hand-built pool ranked for one referral: the order and every score are worked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl


def test_golden_ranking(mk: SimpleNamespace) -> None:
    homes = pl.DataFrame(
        {
            "urn": ["SC1", "SC2"],
            "registered_date": ["2020-01-01", "2020-01-01"],
            "rating": ["outstanding", "inadequate"],
        }
    )
    kw_home = {"provider_kind": "children_home", "placement_type": "external_residential"}
    rows = [
        # in-house carer 2 miles away: everything full except cost (no skills/culture asked)
        mk.vacancy("CARER_NEAR", 2, weekly_cost=450, needs_accepted="missing"),
        # IFA 14 miles away in a neighbouring area on a framework
        mk.vacancy(
            "IFA_MID",
            14,
            placement_type="ifa",
            provider_kind="ifa",
            la=mk.NEIGHBOUR,
            contract="framework",
            weekly_cost=900,
            needs_accepted="missing",
        ),
        # external children's home on a spot purchase 32 miles away, outstanding, over budget
        mk.vacancy(
            "HOME_SPOT",
            32,
            provider_id="SC1",
            contract="spot",
            weekly_cost=5000,
            la=mk.DISTANT,
            needs_accepted="missing",
            **kw_home,
        ),
        # inadequate home: excluded by the rating rule (rating from the homes register)
        mk.vacancy(
            "HOME_BAD",
            1,
            provider_id="SC2",
            contract="block",
            rating="",
            needs_accepted="missing",
            **kw_home,
        ),
        # carer for boys only: excluded
        mk.vacancy("CARER_BOYS", 1, sex="M", needs_accepted="missing"),
        # carer not accepting the need: excluded
        mk.vacancy("CARER_NONEED", 1),
        # block-contract carer 8 miles away, within budget
        mk.vacancy("CARER_BLOCK", 8, contract="block", weekly_cost=700, needs_accepted="missing"),
    ]
    ref = mk.referral(
        requested_type="in_house_fostering",
        needs=["missing"],
        suitability={"foster": "preferred", "residential": "suitable"},
        budget_weekly=1000,
    )
    res = mk.run(rows, ref, registers={"homes": homes})
    out = res.to_json()
    got = [(o["vacancy_id"], o["score"]) for o in out["options"]]
    # fixed parts for every option: preferred_location 5, skills 5, culture 5, siblings 5
    # CARER_NEAR: type 10 + suit 5 + home 15 + school 0 + loc 10 + contract 10 + rating 7.5
    #             + cost 10 + 20 = 87.5
    # CARER_BLOCK: 10 + 5 + 15*(42/45)=14 + 10 + 7.5 + 7.5 + 10 + 20 = 84.0
    # IFA_MID: type 5 + suit 5 + home 15*(36/45)=12 + loc 5 + contract 5 + rating 7.5
    #          + cost 10 + 20 = 69.5
    # HOME_SPOT: type 0 + suit 0 + home 15*(18/45)=6 + loc 0 + contract 0 + rating 10
    #            + cost 0 (400% over) + 20 = 36.0
    assert got == [
        ("CARER_NEAR", 87.5),
        ("CARER_BLOCK", 84.0),
        ("IFA_MID", 69.5),
        ("HOME_SPOT", 36.0),
    ]
    excluded = {e["vacancy_id"]: e["rule"] for e in out["excluded"]}
    assert excluded == {"HOME_BAD": "rating", "CARER_BOYS": "sex", "CARER_NONEED": "needs"}
    assert out["referral"] == "R1"
    first = out["options"][0]
    assert set(first) >= {"vacancy_id", "score", "components", "reasons"}
    assert first["reasons"][0] == (
        "the requested type (in_house_fostering) (requested type: 10 of 10 points)"
    )


def test_ties_broken_by_vacancy_id(mk: SimpleNamespace) -> None:
    res = mk.run([mk.vacancy("B", 3), mk.vacancy("A", 3), mk.vacancy("C", 1)])
    assert res.option_ids == ["A", "B", "C"]
    assert res.to_json(top=2)["options"][1]["vacancy_id"] == "B"
    assert len(res.to_json(top=2)["options"]) == 2
