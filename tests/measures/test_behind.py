"""The children behind a measure's cell (measures.behind): exactly the children counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sufficiency.measures import compute, load_catalogue
from sufficiency.measures.behind import (
    COUNT,
    DENOMINATOR,
    NOT_CHILD_COUNTS,
    NOT_LISTED,
    NUMERATOR,
    cell_at,
    children_behind,
    cohorts,
    counted_behind,
    drillable,
    keys_of,
    listed_cells,
    listed_positions,
)
from sufficiency.measures.behind_care import CARE_COHORTS
from sufficiency.measures.behind_duty import DUTY_COHORTS

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


@pytest.fixture(scope="module")
def duty(kit: Any) -> Any:
    """Children behind the wider duty's measures: adopted, waiting, SGO, moves, stability,
    unregulated, disabled and EHCP, plans, care leavers (OC3) and deprivation of liberty."""
    import polars as pl

    from sufficiency.schema import register_frame

    c, e = kit.child, kit.episode
    kids = [
        c("h", "2019-01-01"),  # adopted in the year (A1, A2, A10)
        c("w", "2020-01-01"),  # placement order in the year, waiting for adoption 304 days
        c("s", "2012-01-01"),  # left on an SGO (E45) after 3 years 7 months
        c("g2", "2005-06-01"),  # left at 18
        c("p", "2010-01-01"),  # moved in July: carer asked (CREQB)
        c("q", "2012-01-01"),  # with the same carer since 2019: long-term stable
        c("t", "2012-01-01"),  # in care since 2019, moved in 2023: not stable
        c("z", "2009-01-01"),  # 15, in unregistered supported accommodation (H5)
        c("u", "2007-01-01"),  # disabled (CIN N2), deprivation of liberty order made in May
        c("v", "2007-01-01"),  # order in force at the start of the year, ended in December
        c("r", "2015-01-01"),  # reunification plan, placed with parents
        c("l", "2004-06-01"),  # care leaver, 19: in touch, in education, suitably housed
        c("m", "2003-05-01"),  # care leaver, 20: not in touch, NEET, unsuitably housed
    ]
    eps = [
        e("h", "2021-01-01", "2022-06-01", LS="E1", REC="X1"),
        e("h", "2022-06-01", "2023-11-01", RNE="P", LS="E1", PLACE="A4", REC="E11"),
        e("w", "2023-05-01", LS="E1"),
        e("s", "2020-01-01", "2023-08-01", REC="E45"),
        e("g2", "2019-01-01", "2023-09-01", REC="E8"),
        e("p", "2022-01-01", "2023-07-01", REC="X1", REASON_PLACE_CHANGE="CREQB"),
        e("p", "2023-07-01", RNE="P", PLACE="U5"),
        e("q", "2019-01-01"),
        e("t", "2019-01-01", "2023-01-01", REC="X1"),
        e("t", "2023-01-01", RNE="P", PLACE="U5"),
        e("z", "2023-01-01", PLACE="H5", PLACE_PROVIDER="PR4"),
        e("u", "2022-01-01", PLACE="K2", PLACE_PROVIDER="PR4", CIN="N2"),
        e("v", "2021-01-01", PLACE="K2", PLACE_PROVIDER="PR4"),
        e("r", "2022-03-01", PLACE="P1"),
    ]
    dolo = pl.DataFrame(
        {"CHILD": ["u", "v"], "DOLO_START": ["2023-05-01", "2022-06-01"]},
    ).with_columns(
        pl.col("DOLO_START").str.to_date(),
        pl.Series("DOLO_END", [None, "2023-12-01"]).str.to_date(),
    )
    oc3 = pl.DataFrame(
        {
            "CHILD": ["l", "m"],
            "IN_TOUCH": ["YES", "NO"],
            "ACTIV": ["F1", "G5"],
            "ACCOM": ["S1", "B2"],
        }
    )
    tables = {
        "ad1": pl.DataFrame({"CHILD": ["h"], "DATE_MATCH": ["2022-05-01"]}),
        "placed_for_adoption": pl.DataFrame({"CHILD": ["w"], "DATE_PLACED": ["2023-06-01"]}),
        "dolo": dolo,
        "oc3": oc3,
    }
    disabled = [
        {"child_id": "q", "need_type": "autism", "ehcp": True, "ehcp_date": "2022-01-01",
         "short_break_type": "foster", "nights_assessed": 24, "nights_agreed": 0},
        {"child_id": "r", "ehcp": False, "short_break_type": "residential",
         "nights_assessed": 12, "nights_agreed": 12},
        {"child_id": "x9", "ehcp": True, "ehcp_date": "2022-01-01"},  # not looked after
    ]  # fmt: skip
    plans = [
        {"child_id": "h", "plan": "adoption", "date_set": "2022-01-01"},
        {"child_id": "w", "plan": "adoption", "date_set": "2023-06-01"},
        {"child_id": "r", "plan": "reunification", "date_set": "2023-01-01"},
        {"child_id": "s", "plan": "sgo", "date_set": "2020-06-01"},
        {"child_id": "q", "plan": "long_term_fostering", "date_set": "2020-01-01"},
        {"child_id": "t", "plan": "sgo", "date_set": "2023-01-01", "might_benefit": True},
    ]
    registers = {
        "disabled_children": register_frame("disabled_children", disabled),
        "permanence_plans": register_frame("permanence_plans", plans),
    }
    return kit.make_ds(kids, eps, tables=tables, registers=registers)


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


def _check_every_cell(ds: Any) -> dict[str, int]:
    """For every cell of every drillable measure that counts children (``Result.leaves``) and
    can be listed: the cohort counts exactly the cell's figure and, unless the cell counts
    events (moves), lists that many children. The children counted per measure."""
    every = cohorts()
    results = compute(ds, AT, ids=list(every)).values
    counted: dict[str, int] = {}
    for mid, result in results.items():
        figures = {keys_of(result, p): v for p, v, role in result.leaves() if role == "children"}
        listed = listed_cells(mid, result)
        assert set(listed) <= set(figures), mid
        assert all(k in listed for k in figures if not {*k} & {*every[mid].unlisted}), mid
        counted[mid] = 0
        for keys in listed:
            n = figures[keys]
            assert counted_behind(ds, mid, AT, *keys) == n, (mid, keys)
            children = len(_ids(ds, mid, *keys))
            assert children == n if not every[mid].events else 0 < children <= n or n == 0
            counted[mid] += n
    return counted


@pytest.fixture(scope="module")
def counted(ds: Any) -> dict[str, int]:
    """The children counted per drillable measure in ``ds``, every cell checked."""
    return _check_every_cell(ds)


def test_every_cell_lists_exactly_the_children_it_counts(ds: Any, counted: dict[str, int]) -> None:
    assert len(counted) == len(cohorts()) >= 70
    assert counted["placement_moves"] == 2 and _ids(ds, "placement_moves") == ["a"]


def test_every_cell_of_the_wider_duty_lists_its_children(
    duty: Any, counted: dict[str, int]
) -> None:
    also = _check_every_cell(duty)
    added = [*CARE_COHORTS, *DUTY_COHORTS]
    # each measure given its children here counts some (distance needs real postcodes:
    # test_measures_location has them)
    assert {mid for mid in added if not counted[mid] + also[mid]} == {"distant_by_age_band"}
    assert _ids(duty, "adoptions") == ["h"]
    assert _ids(duty, "adoption_a2_days", "children") == ["h"]
    assert _ids(duty, "adoption_children_waiting", "beyond_a2_threshold") == ["w"]
    assert _ids(duty, "placement_orders") == ["w"]
    assert _ids(duty, "special_guardianship_orders") == ["s"]
    assert _ids(duty, "reasons_for_leaving", "special_guardianship") == ["s"]
    assert _ids(duty, "ceased_by_duration", "3_to_5_years") == ["g2", "s"]  # 4 years 8 months
    assert _ids(duty, "ceased_aged_18") == ["g2"]
    assert _ids(duty, "reasons_for_placement_change", "CREQB") == ["p"]
    assert _ids(duty, "stability_long_term", column=NUMERATOR) == ["q"]
    assert _ids(duty, "stability_long_term", column=DENOMINATOR) == ["q", "t"]
    assert _ids(duty, "unregistered_provision", "unregulated_under_16") == ["z"]
    assert _ids(duty, "disabled_cla", column=NUMERATOR) == ["q", "r", "u"]
    assert _ids(duty, "ehcp_children") == ["q", "x9"]
    assert _ids(duty, "short_breaks_demand_supply", "foster", "children_unmet") == ["q"]
    assert _ids(duty, "permanence_plans_by_type", "adoption", "achieved") == ["h"]
    assert _ids(duty, "permanence_plans_by_type", "sgo", "might_benefit") == ["t"]
    assert _ids(duty, "reunification_outcomes", "placed_with_parents") == ["r"]
    assert _ids(duty, "care_leavers_in_touch", column=NUMERATOR) == ["l"]
    assert _ids(duty, "care_leavers_neet", column=NUMERATOR) == ["m"]
    assert [_ids(duty, "dolo_orders", k) for k in ("start", "entries", "end")] == [
        ["v"],
        ["u"],
        ["u"],
    ]


def test_a_figure_that_is_not_a_set_of_children_is_not_listed(duty: Any) -> None:
    result = compute(duty, AT, ids=["dolo_orders"]).values["dolo_orders"]
    assert list(result.to_json())[:4] == ["start", "entries", "exits", "end"]
    assert result.to_json()["exits"] == 1  # v left: start + entries - end
    assert cell_at(result, 2, 1) == ("exits", COUNT)  # a count of children ...
    assert cell_at(result, 2, 1, "dolo_orders") is None  # ... that cannot be listed
    assert listed_positions("dolo_orders", result) == [(0, 1), (1, 1), (3, 1)]
    with pytest.raises(ValueError, match="'exits' counts children but cannot list them"):
        children_behind(duty, "dolo_orders", AT, "exits")
    days = compute(duty, AT, ids=["adoption_a1_days"]).values["adoption_a1_days"]
    assert cell_at(days, 1, 1) == ("children", COUNT)
    assert cell_at(days, 0, 1) is None  # the average counts nobody


def test_every_registered_measure_is_drillable_or_declared_not_listable() -> None:
    catalogue = load_catalogue()
    declared = {**NOT_CHILD_COUNTS, **NOT_LISTED}
    every = cohorts()
    for mid in catalogue:
        assert (mid in every) + (mid in NOT_CHILD_COUNTS) + (mid in NOT_LISTED) == 1, (
            f"{mid}: list its children in a behind module (measures/behind_*.py, or the "
            "package's own behind.py named by a 'sufficiency.behind' entry point) or declare "
            "why not in measures/behind_declared.py"
        )
        assert mid in every or len(declared[mid]) > 20, mid
    assert set(every) <= set(catalogue)  # no drill-down into a measure that is gone
    assert len(every) > len(declared)


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
    with pytest.raises(KeyError, match=r"bed_nights_total.*counts nights"):
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
