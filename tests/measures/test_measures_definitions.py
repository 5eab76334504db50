"""Edge cases of the DfE start / cease / stability definitions found in the audit: starts are
RNE S episodes, ceasing is a REC other than X1, short-break episodes never count, and a short
break elsewhere in a placement does not hide the rest of it."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def flows(kit: Any) -> Any:
    c, e = kit.child, kit.episode
    kids = [c(x, "2010-01-01") for x in ("a", "b", "c", "d", "e", "f", "g", "h")]
    eps = [
        # a: a normal start in the year and a cease in it (both counted).
        e("a", "2023-05-01", "2023-09-01", REC="E4A"),
        # b: back after a gap but the episode is recorded RNE P, not S: not a start.
        e("b", "2022-01-01", "2022-06-01", REC="E4A"),
        e("b", "2023-06-01", RNE="P"),
        # c: episode ends X1 and nothing follows in the data: not ceased.
        e("c", "2022-01-01", "2023-07-01", REC="X1"),
        # d: starts under a short break (V3), becomes a care order by RNE L: not a start.
        e("d", "2023-05-01", "2023-06-01", LS="V3", REC="X1"),
        e("d", "2023-06-01", RNE="L", LS="C2"),
        # e: a care order ending X1 into a short break that then ends: not ceased.
        e("e", "2022-01-01", "2023-05-01", REC="X1"),
        e("e", "2023-05-01", "2023-08-01", RNE="L", LS="V4", REC="E4A"),
        # f: starts twice in the year and ceases twice: counted once each.
        e("f", "2023-04-05", "2023-05-01", REC="E4A"),
        e("f", "2023-07-01", "2023-08-01", REC="E13"),
        # g: RNE S mid-run (previous episode ended X1 the same day): a start; not ceased.
        e("g", "2022-01-01", "2023-10-01", REC="X1"),
        e("g", "2023-10-01"),
        # h: blank REC on the last episode with a DEC: the child left care.
        e("h", "2022-01-01", "2023-11-01", REC=None),
    ]
    return kit.make_ds(kids, eps)


def test_starts_are_rne_s_not_short_breaks(kit: Any, flows: Any) -> None:
    assert kit.run(flows, "starts") == 3  # a, f, g


def test_ceased_is_rec_other_than_x1_not_short_breaks(kit: Any, flows: Any) -> None:
    assert kit.run(flows, "ceased") == 3  # a, f, h
    reasons = kit.run(flows, "reasons_for_leaving")
    assert reasons["returned_home"] == 1  # a
    assert reasons["living_with_relatives_without_pr"] == 1  # f, at its last leaving (E13)
    assert reasons["other"] == 1  # h, no reason recorded
    assert sum(reasons.values()) == 3


def test_ceased_by_duration_uses_the_period_of_care(kit: Any, flows: Any) -> None:
    got = kit.run(flows, "ceased_by_duration")
    # a 4 months, f 1 month (its second period), h 22 months.
    assert got["under_6_months"] == 2
    assert got["1_to_2_years"] == 1


@pytest.fixture(scope="module")
def moves(kit: Any) -> Any:
    c, e = kit.child, kit.episode
    kids = [c(x, "2012-01-01") for x in ("m1", "m2", "m3", "m4")]
    eps = [
        # m1: the placement open on 1 April turns into a short break two years later; it
        # still counts this year -> 3.
        e("m1", "2022-01-01", "2023-06-01", REC="X1"),
        e("m1", "2023-06-01", "2023-09-01", RNE="P", REC="X1"),
        e("m1", "2023-09-01", "2025-06-01", RNE="P", REC="X1"),
        e("m1", "2025-06-01", RNE="L", LS="V3"),
        # m2: a placement that began under a short break and continued under a care order (RNE
        # L) is the one open on 1 April -> 3.
        e("m2", "2022-01-01", "2023-03-01", LS="V3", REC="X1"),
        e("m2", "2023-03-01", "2023-06-01", RNE="L", LS="C2", REC="X1"),
        e("m2", "2023-06-01", "2023-09-01", RNE="P", REC="X1"),
        e("m2", "2023-09-01", RNE="P"),
        # m3: a move recorded under a short break does not count -> 2.
        e("m3", "2022-01-01", "2023-06-01", REC="X1"),
        e("m3", "2023-06-01", "2023-09-01", RNE="P", LS="V4", REC="X1"),
        e("m3", "2023-09-01", RNE="P"),
        # m4: back in care after a gap with RNE L (no new placement recorded) -> 2.
        e("m4", "2022-01-01", "2023-06-01", REC="E4A"),
        e("m4", "2023-08-01", "2023-10-01", RNE="L", REC="X1"),
        e("m4", "2023-10-01", RNE="P"),
    ]
    return kit.make_ds(kids, eps)


def test_three_plus_counts_episodes_not_whole_spells(kit: Any, moves: Any) -> None:
    assert kit.run(moves, "stability_three_plus").to_json() == {
        "count": 2,
        "denominator": 4,
        "pct": 50.0,
    }
