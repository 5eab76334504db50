"""Location and distance measures with real postcodes; distances worked out here from the
postcode package's own grid references (not through sufficiency.geo)."""

from __future__ import annotations

from typing import Any

import pytest

HOME_LA = "E06000019"  # Herefordshire


@pytest.fixture(scope="module")
def placed(kit: Any) -> dict[str, Any]:
    herefordshire = [
        p for p in kit.letter("H") if p[0].startswith("HR") and kit.utla(p[3]) == HOME_LA
    ]
    home_pcd, he, hn, _ = herefordshire[0]
    home = (he, hn)
    p20, la20 = kit.near_distance(home, 20.0, "HWSG")
    p201, la201 = kit.near_distance(home, 20.1, "HWSG")
    p100, la100 = kit.near_distance(home, 100.0, "LBSMCN")
    p999, la999 = kit.near_distance(home, 99.9, "LBSMCN")
    return {
        "home": home_pcd,
        "near": herefordshire[5][0],
        "p20": p20,
        "p201": p201,
        "p100": p100,
        "p999": p999,
        "las": {"p20": la20, "p201": la201, "p100": la100, "p999": la999},
    }


@pytest.fixture(scope="module")
def ds(kit: Any, placed: dict[str, Any]) -> Any:
    c, e = kit.child, kit.episode
    home = placed["home"]
    rows = [
        ("x20", placed["p20"], "U4", "PR1"),
        ("x201", placed["p201"], "U4", "PR4"),
        ("x100", placed["p100"], "K2", "PR4"),
        ("x999", placed["p999"], "K2", "PR4"),
        ("xin", placed["near"], "K2", "PR1"),
        ("xunk", "ZZ99 9ZZ", "U4", "PR1"),
        ("xnone", None, "U4", "PR1"),
    ]
    eps = [
        e(cid, "2023-01-01", HOME_POST=home, PL_POST=pl, PLACE=pt, PLACE_PROVIDER=pr)
        for cid, pl, pt, pr in rows
    ]
    # short breaks far away: never counted
    eps.append(e("xsb", "2023-01-01", LS="V4", HOME_POST=home, PL_POST=placed["p100"]))
    kids = [c(r[0], "2012-01-01") for r in rows] + [c("xsb", "2012-01-01")]
    return kit.make_ds(kids, eps, code=HOME_LA, neighbours=(placed["las"]["p20"],))


def test_exactly_20_miles_is_not_over_20(kit: Any, ds: Any) -> None:
    # the DfE denominator: all 7 children looked after (xunk and xnone have no distance)
    assert kit.run(ds, "placed_over_20_miles").to_json() == {
        "count": 3,  # x201 x100 x999
        "denominator": 7,
        "pct": 42.9,
    }
    # of known distances: x20 (20.0), x201 (20.1), x100 (100.0), x999 (99.9), xin (< 20)
    assert kit.run(ds, "placed_over_20_miles_known_distance").to_json() == {
        "count": 3,
        "denominator": 5,
        "pct": 60.0,
    }
    assert kit.run(ds, "distance_known").to_json() == {"count": 5, "denominator": 7, "pct": 71.4}


def test_exactly_100_miles_is_100_plus(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "placed_over_100_miles").to_json() == {
        "count": 1,
        "denominator": 7,
        "pct": 14.3,
    }
    assert kit.run(ds, "placed_over_100_miles_known_distance").to_json() == {
        "count": 1,
        "denominator": 5,
        "pct": 20.0,
    }
    assert kit.run(ds, "cla_by_distance_band") == {
        "up_to_20": 2,
        "over_20_under_100": 2,
        "100_plus": 1,
        "unknown": 2,  # a postcode not in the directory, and a blank one
    }


def test_the_dfe_distance_indicator_needs_outside_and_over_20(
    kit: Any, ds: Any, placed: dict[str, Any]
) -> None:
    # LACDistance: over 20 miles AND outside the council, of all 7 children looked after
    outside = sum(placed["las"][k] != HOME_LA for k in ("p201", "p100", "p999"))
    assert outside == 3  # the picks are all outside Herefordshire, so the test can fail
    share = kit.run(ds, "placed_over_20_miles_outside_la")
    assert (share.count, share.denominator) == (3, 7)


def test_over_20_inside_the_council_is_not_the_dfe_indicator(kit: Any) -> None:
    # one child 20.1 miles away but inside Herefordshire: over 20 miles, not outside the LA
    c, e = kit.child, kit.episode
    herefordshire = [
        p for p in kit.letter("H") if p[0].startswith("HR") and kit.utla(p[3]) == HOME_LA
    ]
    home = min(herefordshire, key=lambda p: p[1])  # the westernmost and easternmost
    far = max(herefordshire, key=lambda p: p[1])
    assert kit.miles((home[1], home[2]), (far[1], far[2])) > 20.0
    eps = [e("a", "2023-01-01", HOME_POST=home[0], PL_POST=far[0])]
    ds = kit.make_ds([c("a", "2012-01-01")], eps, code=HOME_LA)
    assert (
        kit.run(ds, "placed_over_20_miles").count,
        kit.run(ds, "placed_over_20_miles").denominator,
    ) == (1, 1)
    outside = kit.run(ds, "placed_over_20_miles_outside_la")
    assert (outside.count, outside.denominator) == (0, 1)


def test_partial_postcodes_give_no_distance_and_islands_are_outside(kit: Any) -> None:
    c, e = kit.child, kit.episode
    rows = [
        ("full", "HR1 2AB", "HR2 6AD"),  # both full: 0.6 miles, inside
        ("sector", "HR1 2AB", "HR2 6"),  # a placement sector: inside, no distance
        ("home_district", "HR1", "HR2 6AD"),  # a home district: no distance
        ("jersey", "HR1 2AB", "JE2 3AB"),  # Channel Islands: outside, no distance
        ("man", "HR1 2AB", "IM1 1AA"),  # Isle of Man: outside, no distance
    ]
    eps = [e(cid, "2023-01-01", HOME_POST=h, PL_POST=pl) for cid, h, pl in rows]
    ds = kit.make_ds([c(r[0], "2012-01-01") for r in rows], eps, code=HOME_LA)
    assert kit.run(ds, "cla_by_distance_band") == {
        "up_to_20": 1,
        "over_20_under_100": 0,
        "100_plus": 0,
        "unknown": 4,
    }
    assert kit.run(ds, "cla_by_location") == {
        "inside": 3,
        "neighbouring": 0,
        "distant": 2,
        "unknown": 0,
    }
    known = kit.run(ds, "distance_known")
    assert (known.count, known.denominator) == (1, 5)


def test_location_bands_and_table(kit: Any, ds: Any, placed: dict[str, Any]) -> None:
    las = placed["las"]

    def band(la: str) -> str:
        return "inside" if la == HOME_LA else "neighbouring" if la == las["p20"] else "distant"

    expected = {"inside": 0, "neighbouring": 0, "distant": 0, "unknown": 2}
    expected["inside"] += 1  # xin
    for key in ("p20", "p201", "p100", "p999"):
        expected[band(las[key])] += 1
    assert kit.run(ds, "cla_by_location") == expected
    table = kit.run(ds, "placement_type_by_location")
    assert table["in_house_residential"] == {
        "inside": 1,
        "neighbouring": 0,
        "distant": 0,
        "unknown": 0,
    }
    assert table["in_house_fostering"]["unknown"] == 2
    assert table["in_house_fostering"][band(las["p20"])] == 1
    assert sum(sum(row.values()) for row in table.values()) == 7
    homes = kit.run(ds, "childrens_home_inside_share").to_json()
    assert homes["denominator"] == 3 and homes["count"] == 1 + sum(
        band(las[k]) == "inside" for k in ("p100", "p999")
    )


def test_picked_postcodes_round_as_intended(kit: Any, placed: dict[str, Any]) -> None:
    """The independent reader's rounding of the picked postcodes (guards the picks)."""
    wanted = {placed[k] for k in ("home", "p20", "p201", "p100", "p999")}
    refs = {
        p: (e, n)
        for first in {w[0] for w in wanted}
        for p, e, n, _ in kit.letter(first)
        if p in wanted
    }
    home = refs[placed["home"]]
    assert kit.miles(home, refs[placed["p20"]]) == 20.0
    assert kit.miles(home, refs[placed["p201"]]) == 20.1
    assert kit.miles(home, refs[placed["p100"]]) == 100.0
    assert kit.miles(home, refs[placed["p999"]]) == 99.9


def test_unregistered_provision_looks_in_both_registers(kit: Any) -> None:
    """A supported accommodation placement whose URN is in the supported accommodation register
    is registered, though the homes register does not list it; a home's URN in neither is not."""
    import polars as pl

    c, e = kit.child, kit.episode
    eps = [
        e("home_ok", "2023-01-01", PLACE="K2", PLACE_PROVIDER="PR4", URN="SC100001"),
        e("home_bad", "2023-01-01", PLACE="K2", PLACE_PROVIDER="PR4", URN="SC999999"),
        e("sa_ok", "2023-11-01", PLACE="K3", PLACE_PROVIDER="PR4", URN="SA200002"),
        e("sa_bad", "2023-11-01", PLACE="K3", PLACE_PROVIDER="PR4", URN="SA999999"),
        e("sa_blank", "2023-11-01", PLACE="K3", PLACE_PROVIDER="PR4", URN=None),
        e("fostered", "2023-01-01", PLACE="U4", PLACE_PROVIDER="PR1"),
    ]
    kids = [c(x["CHILD"], "2007-06-01") for x in eps]
    registers = {
        "homes": pl.DataFrame({"urn": ["SC100001"]}),
        "supported_accommodation": pl.DataFrame({"urn": ["sa200002 "]}),
    }
    ds = kit.make_ds(kids, eps, registers=registers)
    assert kit.run(ds, "unregistered_provision")["urn_not_registered"] == 3
    # without the supported accommodation register its placements are checked against homes
    homes_only = kit.make_ds(kids, eps, registers={"homes": registers["homes"]})
    assert kit.run(homes_only, "unregistered_provision")["urn_not_registered"] == 4
