"""The children behind a measure's cell (measures.behind): exactly the children counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sufficiency.measures import compute
from sufficiency.measures.behind import (
    COHORTS,
    COUNT,
    DENOMINATOR,
    NUMERATOR,
    cell_at,
    children_behind,
    drillable,
)
from sufficiency.results import Breakdown, Count, Share, Table

AT = dt.date(2024, 3, 31)


@pytest.fixture(scope="module")
def ds(kit: Any) -> Any:
    c, e = kit.child, kit.episode
    kids = [
        c("a", "2013-06-01", sex="F"),  # 10 on 31 March 2024: fostered in house, 3 moves
        c("b", "2016-01-01", ethnic="MWBC"),  # 8: started in the year, children's home
        c("d", "2007-02-01"),  # 17: UASC, supported accommodation
        c("f", "2012-05-05", sex="F", ethnic="BAFR"),  # 11: agency fostering under s20
        c("g", "2010-01-01"),  # ceased in the year
    ]
    eps = [
        e("a", "2022-01-01", "2023-06-01", REC="X1", REASON_PLACE_CHANGE="CARPL"),
        e("a", "2023-06-01", "2023-09-01", RNE="P", REC="X1", PLACE="U5"),
        e("a", "2023-09-01", RNE="P", PLACE="U6"),
        e("b", "2023-10-10", PLACE="K2", PLACE_PROVIDER="PR4"),
        e("d", "2022-05-01", PLACE="H5", PLACE_PROVIDER="PR4", LS="V2"),
        e("f", "2020-01-01", LS="V2", PLACE_PROVIDER="PR4"),
        e("g", "2021-01-01", "2023-12-01", REC="E13"),
    ]
    uasc = [{"CHILD": "d", "SEX": "M", "DOB": "2007-02-01", "DUC": None}]
    return kit.make_ds(kids, eps, uasc=uasc)


def _ids(ds: Any, mid: str, row: str = COUNT, column: str = COUNT) -> list[str]:
    return children_behind(ds, mid, AT, row, column).get_column("CHILD").to_list()


def test_the_children_behind_known_cells(ds: Any) -> None:
    assert _ids(ds, "cla_count") == ["a", "b", "d", "f"]
    assert _ids(ds, "starts") == ["b"]
    assert _ids(ds, "ceased") == ["g"]
    assert _ids(ds, "uasc_count") == ["d"]
    assert _ids(ds, "cla_by_age_band", "10_to_15") == ["a", "f"]
    assert _ids(ds, "cla_by_age_band", "16_plus") == ["d"]
    assert _ids(ds, "cla_by_sex", "F") == ["a", "f"]
    assert _ids(ds, "cla_by_legal_status", "section_20") == ["d", "f"]
    assert _ids(ds, "cla_by_ethnicity", "black") == ["f"]
    assert _ids(ds, "fostering_share", column=NUMERATOR) == ["a", "f"]
    assert _ids(ds, "fostering_share", column=DENOMINATOR) == ["a", "b", "d", "f"]
    assert _ids(ds, "stability_three_plus", column=NUMERATOR) == ["a"]
    assert _ids(ds, "uasc_share", column=NUMERATOR) == ["d"]


def test_every_cell_lists_exactly_the_children_it_counts(ds: Any) -> None:
    results = compute(ds, AT, ids=list(COHORTS)).values
    checked = 0
    for mid, result in results.items():
        value = result.to_json()
        if isinstance(result, Share):
            assert len(_ids(ds, mid, column=NUMERATOR)) == value["count"], mid
            assert len(_ids(ds, mid, column=DENOMINATOR)) == value["denominator"], mid
        elif isinstance(result, Count):
            assert len(_ids(ds, mid)) == value, mid
        elif isinstance(result, Table):
            for row, inner in value.items():
                for column, n in inner.items():
                    assert len(_ids(ds, mid, row, column)) == n, (mid, row, column)
        else:
            assert isinstance(result, Breakdown), mid
            for row, n in value.items():
                assert len(_ids(ds, mid, row)) == n, (mid, row)
        checked += 1
    assert checked == len(COHORTS) >= 25


def test_cells_are_read_from_their_place_in_the_table(ds: Any) -> None:
    results = compute(ds, AT, ids=["fostering_share", "cla_by_sex", "cla_count"]).values
    share, by_sex, count = results["fostering_share"], results["cla_by_sex"], results["cla_count"]
    assert cell_at(share, 0, 0) == (COUNT, NUMERATOR)
    assert cell_at(share, 0, 1) == (COUNT, DENOMINATOR)
    assert cell_at(share, 0, 2) is None  # the percentage counts nobody
    assert list(by_sex.to_json()) == ["M", "F"]
    assert cell_at(by_sex, 1, 1) == ("F", COUNT)
    assert cell_at(by_sex, 1, 0) is None  # the label
    assert cell_at(by_sex, 2, 1) is None  # no third row
    assert cell_at(count, 0, 1) == (COUNT, COUNT)


def test_measures_without_children_behind_them_say_so(ds: Any) -> None:
    assert drillable("cla_count") and not drillable("bed_nights_total")
    with pytest.raises(KeyError, match="bed_nights_total"):
        children_behind(ds, "bed_nights_total", AT)
    with pytest.raises(ValueError, match="share: column must be 'count' or 'denominator'"):
        children_behind(ds, "fostering_share", AT, column="pct")


def test_a_childs_timeline_lists_care_placements_and_moves_in_date_order(ds: Any) -> None:
    from sufficiency.measures.timeline import child_events, child_placements

    spells = child_placements(ds, "a")
    assert spells.select("placement", "start", "end", "placement_type").rows() == [
        (1, dt.date(2022, 1, 1), dt.date(2023, 6, 1), "in_house_fostering"),
        (2, dt.date(2023, 6, 1), dt.date(2023, 9, 1), "in_house_fostering"),
        (3, dt.date(2023, 9, 1), None, "in_house_fostering"),
    ]
    assert child_events(ds, "a").rows() == [
        (dt.date(2022, 1, 1), "Started to be looked after", "legal status C2, need N1"),
        (
            dt.date(2022, 1, 1),
            "First placement",
            "In-house fostering (U4 PR1), location not known",
        ),
        (
            dt.date(2023, 6, 1),
            "Moved placement",
            "In-house fostering (U5 PR1), location not known",
        ),
        (
            dt.date(2023, 9, 1),
            "Moved placement",
            "In-house fostering (U6 PR1), location not known",
        ),
    ]
    ended = child_events(ds, "g").rows()
    assert ended[-1] == (dt.date(2023, 12, 1), "Ceased to be looked after", "reason E13")
    assert child_events(ds, "nobody").height == 0


def test_listed_children_come_with_sex_age_and_placement_on_the_date(ds: Any) -> None:
    import polars as pl

    from sufficiency.measures.behind import about

    listed = pl.DataFrame({"CHILD": ["g", "a", "zz"]})
    assert about(ds, AT, listed).rows() == [
        ("g", "M", 14, None),  # left care in December: no placement on 31 March
        ("a", "F", 10, "in_house_fostering"),
        ("zz", None, None, None),  # not in the return
    ]
