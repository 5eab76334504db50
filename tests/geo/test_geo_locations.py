"""Postcodes, upper-tier LAs, DfE distances and location bands on real postcodes."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import polars as pl
import pytest

from sufficiency import geo

HEREFORDSHIRE = "E06000019"
#: Shropshire, Worcestershire, Gloucestershire, Powys, Monmouthshire.
NEIGHBOURS = ["E06000051", "E10000034", "E10000013", "W06000023", "W06000021"]

Miles = Callable[[str, str], float]
Raw = Callable[[str], tuple[float, float, object]]


def _enrich(
    pairs: Sequence[tuple[str | None, str | None]], la: str = HEREFORDSHIRE
) -> pl.DataFrame:
    frame = pl.DataFrame(
        {"HOME_POST": [h for h, _ in pairs], "PL_POST": [p for _, p in pairs]},
        schema={"HOME_POST": pl.String, "PL_POST": pl.String},
    )
    return geo.enrich_locations(frame, la, NEIGHBOURS)


PAIRS = [
    ("HR1 2HX", "HR4 0LX"),  # across Hereford
    ("HR1 2HX", "SY1 1AA"),  # Hereford -> Shrewsbury
    ("HR1 2HX", "WR1 1AA"),  # Hereford -> Worcester
    ("HR1 2HX", "SW1A 1AA"),  # Hereford -> Westminster
    ("HR4 0LX", "CA1 1RR"),  # Hereford -> Carlisle
    ("HR4 0LX", "LD1 5LG"),  # Hereford -> Llandrindod Wells
    ("AL1 3JB", "HP1 1BB"),  # St Albans -> Hemel Hempstead
]


def test_distances_match_hand_computed_grid_references(miles: Miles) -> None:
    out = _enrich(PAIRS)
    expected = [miles(h, p) for h, p in PAIRS]
    assert out.get_column("distance_miles").to_list() == expected
    # The hand computation itself is sane geography: Hereford to Westminster is ~117 miles,
    # St Albans to Hemel Hempstead ~6.
    assert 115.0 < expected[3] < 120.0
    assert 5.0 < expected[6] < 7.0


def test_grid_references_come_from_the_directory(raw: Raw) -> None:
    table = geo.postcode_table(["hr1 2hx", "SW1A1AA", "AL1 3JB", "ZZ99 9ZZ", "HR4 0IJ", "", None])
    assert table.get_column("postcode").to_list() == ["HR1 2HX", "SW1A 1AA", "AL1 3JB"]
    assert table.schema["easting"] == pl.Int64 and table.schema["northing"] == pl.Int64
    for row in table.iter_rows(named=True):
        e, n, laua = raw(row["postcode"])
        assert (row["easting"], row["northing"], row["laua"]) == (int(e), int(n), laua)
    # St Albans district sits in Hertfordshire county; unitary / London codes are their own tier.
    assert table.get_column("upper_la").to_list() == [HEREFORDSHIRE, "E09000033", "E10000015"]


def test_location_bands_inside_neighbouring_distant_unknown() -> None:
    out = _enrich(
        [
            ("HR1 2HX", "HR4 0LX"),  # Herefordshire
            ("HR1 2HX", "WR1 1AA"),  # Worcester: Worcestershire county, a neighbour
            ("HR1 2HX", "LD1 5LG"),  # Powys, a Welsh neighbour
            ("HR1 2HX", "SW1A 1AA"),  # Westminster
            ("HR1 2HX", "ZZ99 9ZZ"),  # not a postcode
            ("HR1 2HX", None),
        ]
    )
    assert out.get_column("location_band").to_list() == [
        "inside", "neighbouring", "neighbouring", "distant", "unknown", "unknown",
    ]  # fmt: skip
    assert out.get_column("pl_la").to_list() == [
        HEREFORDSHIRE, "E10000034", "W06000023", "E09000033", None, None,
    ]  # fmt: skip


def test_unknown_postcodes_give_unknown_bands() -> None:
    out = _enrich([("ZZ99 9ZZ", "HR4 0LX"), ("HR1 2HX", "HR4 0IJ"), (None, None), ("", " ")])
    assert out.get_column("distance_miles").to_list() == [None, None, None, None]
    assert out.get_column("distance_band").to_list() == ["unknown"] * 4
    assert out.get_column("location_band").to_list() == ["inside", "unknown", "unknown", "unknown"]
    assert out.get_column("location_precision").to_list() == [None] * 4


@pytest.mark.parametrize(
    ("metres", "miles", "band"),
    [
        (0, 0.0, "up_to_20"),
        (32186, 20.0, "up_to_20"),  # 32.186 km / 1.6093 = exactly 20.0
        (32250, 20.0, "up_to_20"),  # 20.04 rounds to 20.0 before the comparison
        (32267, 20.1, "over_20_under_100"),  # 20.05 rounds up
        (160849, 99.9, "over_20_under_100"),  # 99.95 - a hair: 99.9
        (160930, 100.0, "100_plus"),  # exactly 100.0
        (160900, 100.0, "100_plus"),  # 99.98 rounds to 100.0
    ],
)
def test_band_boundaries_after_rounding(metres: int, miles: float, band: str) -> None:
    frame = pl.DataFrame({"e1": [400000], "n1": [300000], "e2": [400000 + metres], "n2": [300000]})
    out = frame.select(geo.distance_miles_expr("e1", "n1", "e2", "n2").alias("m")).with_columns(
        geo.distance_band_expr("m").alias("band")
    )
    assert out.row(0) == (miles, band)


def test_distance_uses_both_axes() -> None:
    # a 3-4-5 triangle: 30 km east and 40 km north is 50 km = 31.1 miles
    frame = pl.DataFrame({"e1": [0], "n1": [0], "e2": [30000], "n2": [40000]})
    value = frame.select(geo.distance_miles_expr("e1", "n1", "e2", "n2")).item()
    assert value == round(50 / 1.6093, 1) == 31.1


def test_distance_band_of_null_is_unknown() -> None:
    frame = pl.DataFrame({"m": [None, 20.0, 100.0]}, schema={"m": pl.Float64})
    assert frame.select(geo.distance_band_expr("m")).to_series().to_list() == [
        "unknown", "up_to_20", "100_plus",
    ]  # fmt: skip


def test_normalise_postcode() -> None:
    raw = [" hr1 2hx ", "HR12HX", "ec1a1bb", "B1  1AA", "hr4  0", "hr4", "", "   ", None, "x x"]
    out = pl.DataFrame({"p": raw}, schema={"p": pl.String}).select(geo.normalise_postcode("p"))
    assert out.to_series().to_list() == [
        "HR1 2HX", "HR1 2HX", "EC1A 1BB", "B1 1AA", "HR4 0", "HR4", None, None, None, "X X",
    ]  # fmt: skip


def test_councils_created_since_2021_are_their_own_upper_tier() -> None:
    table = geo.postcode_table(["CA1 1RR", "LA9 4DL", "HG1 2SG", "TA1 1HE", "S1 2HH"])
    assert dict(table.select("postcode", "upper_la").iter_rows()) == {
        "CA1 1RR": "E06000063",  # Cumberland
        "LA9 4DL": "E06000064",  # Westmorland and Furness
        "HG1 2SG": "E06000065",  # North Yorkshire
        "TA1 1HE": "E06000066",  # Somerset
        "S1 2HH": "E08000039",  # Sheffield (recoded 2024)
    }


def test_a_profile_with_a_pre_reorganisation_code_still_matches() -> None:
    frame = pl.DataFrame({"HOME_POST": ["HG1 2SG", "HG1 2SG"], "PL_POST": ["HG1 2SG", "CA1 1RR"]})
    # E10000023 (North Yorkshire county) -> E06000065; E10000006 (Cumbria) -> Cumberland etc.
    out = geo.enrich_locations(frame, "E10000023", ["E10000006"])
    assert out.get_column("location_band").to_list() == ["inside", "neighbouring"]


def test_sector_and_district_resolve_to_centroids(
    raw_letters: Callable[[str], dict[str, tuple[float, float, object]]],
) -> None:
    members = raw_letters("H")
    sector = [v for k, v in members.items() if k[:-3] == "HR4" and k[-3] == "0" and v[0] == v[0]]
    district = [v for k, v in members.items() if k[:-3] == "HR4" and v[0] == v[0]]
    assert len(district) > len(sector) > 100
    out = geo.resolve_postcodes(["HR4 0", "hr4 0l", "HR4", "HR1 2HX", "ZZ99 9", "HR4 0IJ"])
    got = {row["postcode"]: row for row in out.iter_rows(named=True)}
    assert set(got) == {"HR4 0", "HR4 0L", "HR4", "HR1 2HX"}
    for key, rows, precision in (("HR4 0", sector, "sector"), ("HR4 0L", sector, "sector"),
                                 ("HR4", district, "district")):  # fmt: skip
        assert abs(got[key]["easting"] - sum(r[0] for r in rows) / len(rows)) <= 1
        assert abs(got[key]["northing"] - sum(r[1] for r in rows) / len(rows)) <= 1
        assert got[key]["precision"] == precision
        assert got[key]["upper_la"] == HEREFORDSHIRE
    assert got["HR1 2HX"]["precision"] == "postcode"


def test_short_postcodes_in_enrich_report_their_precision(miles: Miles) -> None:
    out = _enrich([("HR1 2HX", "HR4 0LX"), ("HR1 2", "HR4 0LX"), ("HR1", "SW1A 1AA")])
    assert out.get_column("location_precision").to_list() == ["postcode", "sector", "district"]
    # the DfE derivation matches full postcodes only: a sector or district gives no distance
    assert out.get_column("distance_miles").to_list() == [miles("HR1 2HX", "HR4 0LX"), None, None]
    assert out.get_column("location_band").to_list() == ["inside", "inside", "distant"]


def test_channel_islands_and_isle_of_man_are_outside_with_no_distance() -> None:
    # the ONS directory gives them an area code (L99999999, M99999999) and no grid reference
    out = _enrich([("HR1 2HX", "JE2 3AB"), ("HR1 2HX", "GY1 1AA"), ("HR1 2HX", "IM1 1AA")])
    assert out.get_column("pl_la").to_list() == ["L99999999", "L99999999", "M99999999"]
    assert out.get_column("location_band").to_list() == ["distant"] * 3
    assert out.get_column("distance_miles").to_list() == [None] * 3


def test_northern_ireland_to_great_britain_has_no_distance(miles: Miles) -> None:
    out = _enrich([("HR1 2HX", "BT1 1AA"), ("BT1 1AA", "BT7 1NN")])
    assert out.get_column("location_band").to_list() == ["distant", "distant"]
    assert out.get_column("distance_miles").to_list() == [None, miles("BT1 1AA", "BT7 1NN")]


def test_enrich_keeps_rows_and_order() -> None:
    pairs = [("HR1 2HX", "SY1 1AA"), (None, "HR4 0LX"), ("HR1 2HX", "SY1 1AA")] * 50
    out = _enrich(pairs)
    assert out.height == 150
    assert out.get_column("PL_POST").to_list() == [p for _, p in pairs]
    assert math.isclose(out.get_column("distance_miles").drop_nulls().n_unique(), 1)


@pytest.mark.slow
def test_postcodes_in_la_are_exactly_the_councils_postcodes(
    raw_letters: Callable[[str], dict[str, tuple[float, float, object]]],
) -> None:
    # Herefordshire's postcodes counted independently across every letter of the raw files.
    expected = {
        k
        for letter in "ABCDEFGHIJKLMNOPRSTUWYZ"
        for k, (e, _n, la) in raw_letters(letter).items()
        if la == HEREFORDSHIRE and e == e
    }
    got = geo.postcodes_in_la(HEREFORDSHIRE)
    assert got.columns == ["postcode", "easting", "northing"]
    assert set(got.get_column("postcode").str.replace_all(" ", "").to_list()) == expected
    assert got.get_column("postcode").is_sorted()
    sample = geo.postcodes_in_la(HEREFORDSHIRE, limit=25)
    assert sample.height == 25
    assert set(sample.get_column("postcode")) <= set(got.get_column("postcode"))
    # spread across the county, not the first 25 in sort order
    assert sample.get_column("postcode").str.slice(0, 3).n_unique() > 3


def test_postcodes_outside_and_far_away(miles: Miles) -> None:
    hereford = geo.postcode_table(["HR1 2HX"]).row(0, named=True)
    far = geo.postcodes_outside(
        [HEREFORDSHIRE, *NEIGHBOURS],
        limit=30,
        min_miles_from=(hereford["easting"], hereford["northing"]),
        min_miles=100.0,
    )
    assert far.height == 30
    assert not far.get_column("upper_la").is_in([HEREFORDSHIRE, *NEIGHBOURS]).any()
    assert far.get_column("upper_la").str.starts_with("E").all()
    assert all(miles("HR1 2HX", pc) >= 100.0 for pc in far.get_column("postcode"))


def test_neighbouring_las_of_herefordshire_by_geography() -> None:
    assert geo.neighbouring_las(HEREFORDSHIRE) == sorted(NEIGHBOURS)
