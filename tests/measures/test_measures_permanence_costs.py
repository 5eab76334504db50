"""Permanence (adoption scorecard A1/A2), care leavers, costs, trends and benchmarks."""

from __future__ import annotations

from typing import Any

import polars as pl


def test_adoption_timeliness_a1_a2_and_three_year_average(kit: Any) -> None:
    c, e = kit.child, kit.episode
    kids = [
        c("a1", "2020-01-01"),
        c("a2", "2020-01-01"),
        c("a3", "2019-01-01"),
        c("w", "2021-01-01"),
    ]
    eps = [
        # a1: entered care 1 Jan 2022, placed for adoption (A6) 1 Jan 2023 (365 days), adopted
        # in the year; placement order 1 Jun 2022, matched 1 Sep 2022 (92 days).
        e("a1", "2022-01-01", "2022-06-01", REC="X1"),
        e("a1", "2022-06-01", "2023-01-01", RNE="L", LS="E1", REC="X1"),
        e("a1", "2023-01-01", "2023-06-01", RNE="P", LS="E1", PLACE="A6", REC="E11"),
        # a2: adopted by the foster carers (A5): moved in when the foster placement began,
        # 1 Mar 2022, 59 days after entering care on 1 Jan 2022.
        e("a2", "2022-01-01", "2022-03-01", REC="X1"),
        e("a2", "2022-03-01", "2023-02-01", RNE="P", LS="E1", REC="X1"),
        e("a2", "2023-02-01", "2023-07-01", RNE="P", LS="E1", PLACE="A5", REC="E12"),
        # a3: adopted two years ago (in the three-year window only): 200 days.
        e("a3", "2021-01-01", "2021-07-20", REC="X1"),
        e("a3", "2021-07-20", "2022-01-10", RNE="P", LS="E1", PLACE="A4", REC="E11"),
        # w: a plan for adoption, still in foster care on the reference date.
        e("w", "2022-05-01", LS="E1"),
    ]
    ad1 = pl.DataFrame(
        {
            "CHILD": ["a1"],
            "DOB": ["2020-01-01"],
            "DATE_INT": ["2022-05-01"],
            "DATE_MATCH": ["2022-09-01"],
        }
    )
    pfa = pl.DataFrame(
        {
            "CHILD": ["w", "a1"],
            "DATE_PLACED": ["2022-08-01", "2022-05-01"],
            "DATE_PLACED_CEASED": [None, "2023-06-01"],
        }
    )
    targets = pl.DataFrame({"measure_id": ["adoption_a1_days"], "target": [426.0]})
    ds = kit.make_ds(
        kids, eps, tables={"ad1": ad1, "placed_for_adoption": pfa}, registers={"targets": targets}
    )
    # A1 counts to the adoptive placement (a2: 396 days, to 1 Feb 2023); A10 adjusts for
    # foster carer adoptions (a2: 59 days), as the DfE scorecard defines them.
    a1 = kit.run(ds, "adoption_a1_days")
    assert a1 == {
        "average": round((365 + 396) / 2),
        "children": 2,
        "three_year_average": round((365 + 396 + 200) / 3),
        "three_year_children": 3,
        "target": 426.0,
    }
    a10 = kit.run(ds, "adoption_a10_days")
    assert (a10["average"], a10["three_year_average"]) == (
        round((365 + 59) / 2),
        round((365 + 59 + 200) / 3),
    )
    a2 = kit.run(ds, "adoption_a2_days")
    assert (a2["average"], a2["children"]) == (92.0, 1)  # a2 has no AD1 match date
    assert kit.run(ds, "adoptions") == 2
    assert kit.run(ds, "adoption_plan_waiting") == 1
    assert kit.run(ds, "placement_orders") == 0  # all E1 episodes began before April 2023


def test_care_leavers_from_oc3(kit: Any) -> None:
    oc3 = pl.DataFrame(
        {
            "CHILD": ["l1", "l2", "l3", "l4", "l5"],
            "DOB": ["2004-06-01", "2003-06-01", "2002-06-01", "2006-06-01", "2005-01-01"],
            "IN_TOUCH": ["YES", "NO", "YES", "YES", "YES"],
            "ACTIV": ["F1", "G5", "P4", "F2", "G6"],
            "ACCOM": ["S1", "B2", "T1", "U1", "V2"],
        }
    )
    ds = kit.make_ds(
        [kit.child("x", "2010-01-01")], [kit.episode("x", "2020-01-01")], tables={"oc3": oc3}
    )
    # ages on 31 March 2024: 19, 20, 21, 17, 19
    assert kit.run(ds, "care_leavers_by_age") == {"17": 1, "18": 0, "19": 2, "20": 1, "21": 1}
    assert kit.run(ds, "care_leavers_in_touch").to_json() == {
        "count": 3,
        "denominator": 4,
        "pct": 75.0,
    }
    assert kit.run(ds, "care_leavers_suitable_accommodation").to_json() == {
        "count": 2,
        "denominator": 4,
        "pct": 50.0,
    }
    assert kit.run(ds, "care_leavers_eet").to_json() == {"count": 2, "denominator": 4, "pct": 50.0}
    assert kit.run(ds, "care_leavers_neet").to_json() == {"count": 2, "denominator": 4, "pct": 50.0}


def test_care_leavers_leave_out_whom_the_dfe_leaves_out(kit: Any) -> None:
    # All aged 19 on 31 March 2024. d1 died, r1 returned home 6+ months (IN_TOUCH DIED, RHOM);
    # t1's care was taken over by another council (its period of care ended E3); s1 was only
    # ever on short breaks (V3); g1 has gone abroad (ACCOM G2: left out of suitability only).
    ids = ["ok", "d1", "r1", "t1", "s1", "g1"]
    oc3 = pl.DataFrame(
        {
            "CHILD": ids,
            "DOB": ["2004-06-01"] * 6,
            "IN_TOUCH": ["YES", "DIED", "RHOM", "YES", "YES", "NO"],
            "ACTIV": ["F1", "0", "0", "F2", "F1", "G5"],
            "ACCOM": ["S2", "0", "0", "U1", "U1", "G2"],
        }
    )
    c, e = kit.child, kit.episode
    eps = [
        e("t1", "2019-01-01", "2021-01-01", REC="E3"),
        e("s1", "2019-01-01", "2019-01-03", LS="V3", REC="E13"),
        e("ok", "2019-01-01", "2022-06-01", REC="E5"),
    ]
    ds = kit.make_ds([c(x, "2004-06-01") for x in ids], eps, tables={"oc3": oc3})
    assert kit.run(ds, "care_leavers_by_age") == {"17": 0, "18": 0, "19": 2, "20": 0, "21": 0}
    assert kit.run(ds, "care_leavers_in_touch").to_json() == {
        "count": 1,
        "denominator": 2,
        "pct": 50.0,
    }
    # g1 (gone abroad) is out of the suitability figure: ok alone, unsuitable (S2)
    assert kit.run(ds, "care_leavers_suitable_accommodation").to_json() == {
        "count": 0,
        "denominator": 1,
        "pct": 0.0,
    }
    assert kit.run(ds, "care_leavers_eet").to_json() == {"count": 1, "denominator": 2, "pct": 50.0}


def test_costs_from_weekly_costs_by_type_and_urn(kit: Any) -> None:
    c, e = kit.child, kit.episode
    eps = [
        e("a", "2023-04-01", PLACE="U4", PLACE_PROVIDER="PR4"),  # 366 nights of IFA
        e("b", "2024-03-25", PLACE="K2", PLACE_PROVIDER="PR4", URN="SC1"),  # 7 nights at URN rate
        e("d", "2024-03-25", PLACE="K2", PLACE_PROVIDER="PR4", URN="SC2"),  # 7 nights, type rate
        e("f", "2024-03-29", PLACE="H5", PLACE_PROVIDER="PR4"),  # no cost given: 3 nights
    ]
    costs = pl.DataFrame(
        {
            "placement_type": ["ifa", "external_residential", "external_residential", "ifa"],
            "year": [2024, 2024, 2024, 2023],
            "weekly_cost": [1050.0, 7000.0, 5600.0, 900.0],
            "urn": [None, "SC1", None, None],
            "provider": [None, None, None, None],
        }
    )
    ds = kit.make_ds([c(x, "2010-01-01") for x in "abdf"], eps, registers={"costs": costs})
    spend = kit.run(ds, "spend_by_placement_type")
    assert spend["ifa"] == round(366 * 1050 / 7)  # 54,900
    assert spend["external_residential"] == 7000 + 5600
    assert kit.run(ds, "spend_total") == 54900 + 12600
    assert kit.run(ds, "uncosted_bed_nights") == 3
    assert kit.run(ds, "average_weekly_cost_by_type") == {"ifa": 1050, "external_residential": 6300}


def test_trends_and_benchmarks(kit: Any) -> None:
    c, e = kit.child, kit.episode
    kids = [c(f"k{i}", "2012-01-01") for i in range(9)]
    eps = [e(f"k{i}", "2022-01-01") for i in range(6)] + [
        e(f"k{i}", "2023-06-01") for i in range(6, 9)
    ]
    bench = pl.DataFrame(
        {
            "measure_id": ["cla_rate_per_10k", "cla_rate_per_10k", "cla_rate_per_10k"],
            "year": [2022, 2023, 2023],
            "area": ["england", "england", "region"],
            "value": [70.0, 71.0, 88.0],
            "source": ["s1", "s2", "s3"],
        }
    )
    # a code no council has: only the register's comparators
    ds = kit.make_ds(
        kids,
        eps,
        returns=(2023, 2024),
        population={2023: 1000},
        registers={"benchmarks": bench},
        code="E06000999",
    )
    trend = kit.run(ds, "trends")["cla_count"]
    assert trend == {"2023": {"value": 6, "change": None}, "2024": {"value": 9, "change": 3}}
    b = kit.run(ds, "benchmarks")["cla_rate_per_10k"]
    assert b["la"] == 90.0
    assert b["comparators"] == {
        "england": {"year": 2023, "value": 71.0, "source": "s2"},
        "region": {"year": 2023, "value": 88.0, "source": "s3"},
    }
    assert b["published_la"] is None


def test_benchmarks_use_published_figures_and_the_register_overrides(kit: Any) -> None:
    import datetime as dt

    c, e = kit.child, kit.episode
    kids = [c(f"k{i}", "2012-01-01") for i in range(9)]
    eps = [e(f"k{i}", "2025-06-01") for i in range(9)]
    bench = pl.DataFrame(
        {
            "measure_id": ["cla_rate_per_10k"],
            "year": [2025],
            "area": ["england"],
            "value": [70.0],
            "source": ["ours"],
        }
    )
    # Herefordshire (E06000019) with no population given: the rate at 31 March 2026 falls back
    # to the latest ONS estimate shipped (mid-2024, 34,439 children).
    ds = kit.make_ds(kids, eps, returns=(2026,), registers={"benchmarks": bench})
    every = kit.run(ds, "benchmarks", dt.date(2026, 3, 31))
    b = every["cla_rate_per_10k"]
    dfe = "DfE, Children looked after in England including adoptions"
    assert b["comparators"]["england"] == {"year": 2025, "value": 70.0, "source": "ours"}
    assert b["comparators"]["region"] == {"year": 2025, "value": 86.0, "source": dfe}
    sn = b["comparators"]["statistical_neighbours"]
    assert (sn["year"], sn["value"], sn["used"], sn["of"]) == (2025, 66.7, 10, 10)
    assert {n["area_name"] for n in sn["neighbours"]} >= {"Shropshire", "Staffordshire"}
    assert b["published_la"] == {"year": 2025, "value": 100.0, "symbol": None, "source": dfe}
    assert b["la"] == round(9 / 34_439 * 10_000, 1)
    # the DfE's distance measure is defined differently: no comparator under our id
    assert every.get("placed_over_20_miles", {}).get("comparators", {}) == {}
