"""Stability measures: the DfE definitions' edge cases, answered as DESIGN.md answers them."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def short_term(kit: Any) -> Any:
    c, e = kit.child, kit.episode
    kids = [c(x, "2010-01-01") for x in ("s1", "s2", "s3", "s4", "s5", "s6", "s7")]
    eps = [
        # s1: the placement open on 1 April counts, plus two moves -> 3.
        e("s1", "2023-01-01", "2023-06-01", REC="X1", REASON_PLACE_CHANGE="CARPL"),
        e("s1", "2023-06-01", "2023-09-01", RNE="P", REC="X1"),
        e("s1", "2023-09-01", RNE="P"),
        # s2: RNE L is a change of legal status only, not a move -> 2.
        e("s2", "2022-01-01", "2023-05-01", REC="X1"),
        e("s2", "2023-05-01", "2023-08-01", RNE="L", LS="E1", REC="X1"),
        e("s2", "2023-08-01", RNE="P"),
        # s3: a placement ending ON 1 April was not open on the first day -> 2.
        e("s3", "2022-05-01", "2023-04-01", REC="X1"),
        e("s3", "2023-04-01", "2023-07-01", RNE="P", REC="X1"),
        e("s3", "2023-07-01", RNE="P"),
        # s4: a temporary placement (T1) does not count -> 2.
        e("s4", "2023-01-01", "2023-05-01", REC="X1"),
        e("s4", "2023-05-01", "2023-05-10", RNE="P", PLACE="T1", REC="X1"),
        e("s4", "2023-05-10", RNE="P"),
        # s5: short breaks (V3) are excluded altogether.
        e("s5", "2023-04-10", "2023-05-01", LS="V3", REC="X1"),
        e("s5", "2023-05-01", "2023-06-01", RNE="P", LS="V3", REC="X1"),
        e("s5", "2023-06-01", RNE="P", LS="V3"),
        # s6: three placements but left before 31 March: not in the denominator.
        e("s6", "2023-04-10", "2023-05-01", REC="X1"),
        e("s6", "2023-05-01", "2023-06-01", RNE="P", REC="X1"),
        e("s6", "2023-06-01", "2023-07-01", RNE="P", REC="E4A"),
        # s7: RNE B, T and U all start placements -> 4.
        e("s7", "2023-04-15", "2023-06-01", REC="X1"),
        e("s7", "2023-06-01", "2023-07-01", RNE="B", REC="X1"),
        e("s7", "2023-07-01", "2023-08-01", RNE="T", LS="C1", REC="X1"),
        e("s7", "2023-08-01", RNE="U"),
    ]
    return kit.make_ds(kids, eps)


def test_three_plus_placements(kit: Any, short_term: Any) -> None:
    # Looked after on 31 March (no short breaks): s1 s2 s3 s4 s7; 3+ placements: s1 s7.
    assert kit.run(short_term, "stability_three_plus").to_json() == {
        "count": 2,
        "denominator": 5,
        "pct": 40.0,
    }


def test_placement_moves_and_reasons(kit: Any, short_term: Any) -> None:
    # s1 2, s2 1, s3 2 (the one ending on 1 April included), s4 2, s6 2, s7 3.
    assert kit.run(short_term, "placement_moves") == 12
    reasons = kit.run(short_term, "reasons_for_placement_change")
    assert reasons["CARPL"] == 1
    assert reasons["not_recorded"] == 11


@pytest.fixture(scope="module")
def long_term(kit: Any) -> Any:
    c, e = kit.child, kit.episode
    kids = [c(x, "2012-01-01") for x in ("l1", "l2", "l3", "l5", "l6", "l7")]
    kids.append(c("l4", "2008-03-31"))  # 16 on the reference date
    eps = [
        # l1: in care 3 years, same placement exactly 2 years (since 31 March 2022): stable.
        e("l1", "2021-01-01", "2022-03-31", REC="X1"),
        e("l1", "2022-03-31", RNE="P"),
        # l2: in care exactly 2.5 years (30 Sep 2021); placement 1 day short of 2 years.
        e("l2", "2021-09-30", "2022-04-01", REC="X1"),
        e("l2", "2022-04-01", RNE="P"),
        # l3: in care one day short of 2.5 years: not in the cohort.
        e("l3", "2021-10-01"),
        # l4: 16 on the reference date: not in the cohort.
        e("l4", "2015-01-01"),
        # l5: placed for adoption with the foster carers (A5); the foster placement plus the
        # adoptive one have lasted over 2 years: stable.
        e("l5", "2020-01-01", "2021-06-01", REC="X1"),
        e("l5", "2021-06-01", "2023-06-01", RNE="P", REC="X1"),
        e("l5", "2023-06-01", RNE="P", PLACE="A5", LS="E1"),
        # l6: adoptive placement plus the one before it under 2 years: not stable.
        e("l6", "2020-01-01", "2022-06-01", REC="X1"),
        e("l6", "2022-06-01", "2023-06-01", RNE="P", REC="X1"),
        e("l6", "2023-06-01", RNE="P", PLACE="A6", LS="E1"),
        # l7: a change of legal status (RNE L) does not end the placement: stable.
        e("l7", "2020-01-01", "2021-01-01", REC="X1"),
        e("l7", "2021-01-01", "2023-01-01", RNE="P", REC="X1"),
        e("l7", "2023-01-01", RNE="L", LS="E1"),
    ]
    return kit.make_ds(kids, eps)


def test_long_term_stability(kit: Any, long_term: Any) -> None:
    assert kit.run(long_term, "stability_long_term").to_json() == {
        "count": 3,  # l1 l5 l7
        "denominator": 5,  # l1 l2 l5 l6 l7
        "pct": 60.0,
    }


@pytest.fixture(scope="module")
def same_carer(kit: Any) -> Any:
    c, e = kit.child, kit.episode
    kids = [c(x, "2012-01-01") for x in ("u1", "t1", "b1", "a1", "a2")]
    eps = [
        # u1: 3 years with one carer; a year ago legal status and placement changed, same carer
        # (RNE U): the clock is not restarted - stable.
        e("u1", "2021-01-01", "2023-03-01", REC="X1"),
        e("u1", "2023-03-01", RNE="U", LS="E1", PLACE="U5"),
        # t1: the same with RNE T (placement change, same carer, legal status unchanged): stable.
        e("t1", "2021-01-01", "2023-03-01", REC="X1"),
        e("t1", "2023-03-01", RNE="T", PLACE="U5"),
        # b1: RNE B is a change of legal status, placement AND carer: the clock restarts.
        e("b1", "2021-01-01", "2023-03-01", REC="X1"),
        e("b1", "2023-03-01", RNE="B", LS="E1"),
        # a1: placed for adoption with the foster carers (A5, RNE T) in the year: stable, and
        # not a placement change for short-term stability.
        e("a1", "2021-01-01", "2023-03-01", REC="X1"),
        e("a1", "2023-03-01", "2023-06-01", RNE="P", REC="X1"),
        e("a1", "2023-06-01", "2023-09-01", RNE="P", REC="X1"),
        e("a1", "2023-09-01", RNE="T", PLACE="A5", LS="E1"),
        # a2: the same move to adopters who are not the foster carers (A6, RNE P): 4 placements.
        e("a2", "2021-01-01", "2023-03-01", REC="X1"),
        e("a2", "2023-03-01", "2023-06-01", RNE="P", REC="X1"),
        e("a2", "2023-06-01", "2023-09-01", RNE="P", REC="X1"),
        e("a2", "2023-09-01", RNE="P", PLACE="A6", LS="E1"),
    ]
    return kit.make_ds(kids, eps)


def test_same_carer_changes_keep_the_long_term_clock(kit: Any, same_carer: Any) -> None:
    # cohort: all five (under 16, in care since January 2021); same carer 2+ years: u1 t1.
    # a1's carer spell began 1 June 2023 (RNE P); a2's adoptive placement plus the one
    # before it began 1 June 2023 too: neither reaches 2 years.
    share = kit.run(same_carer, "stability_long_term")
    assert (share.count, share.denominator) == (2, 5)


def test_adoption_by_the_foster_carers_is_not_a_placement_change(kit: Any, same_carer: Any) -> None:
    # placements in 2023-24: a1 = the one open on 1 April + June (A5 in September not counted)
    # = 2; a2 = 3 (the A6 move counts); u1, t1, b1 = 1 each.
    share = kit.run(same_carer, "stability_three_plus")
    assert (share.count, share.denominator) == (1, 5)
