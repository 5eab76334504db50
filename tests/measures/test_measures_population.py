"""Population measures on a hand-built dataset whose every answer is worked out below."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def ds(kit: Any) -> Any:
    c, e = kit.child, kit.episode
    children = [
        c("a", "2008-03-31", "M"),  # 16th birthday on the reference date
        c("b", "2008-04-01", "F"),  # 15 on the reference date
        c("c", "2006-03-31", "F"),  # leaves care on the reference date, aged 18
        c("d", "2014-05-05", "M"),  # short breaks only
        c("e", "2023-06-01", "F"),  # under 1
        c("f", "2012-09-15", "M"),  # leaves and comes back within the year
        c("g", "2007-01-01", "M", "BAFR"),  # UASC arriving in the year
        c("h", "2006-03-31", "M", "NOBT"),  # UASC status ceased on the reference date
        c("i", "2019-03-31", "F", "MWBC"),  # starts on the reference date, 5th birthday
        c("j", "2010-01-01", "M"),  # left the day before the year began
    ]
    episodes = [
        e("a", "2020-01-01"),
        e("b", "2021-02-01", "2024-04-01", LS="V2"),
        e("c", "2019-01-01", "2024-03-31", REC="E4A"),
        e("d", "2023-05-01", LS="V3", PLACE="U4"),
        e("e", "2023-07-01", LS="C1"),
        e("f", "2023-05-01", "2023-06-01", REC="E45"),
        e("f", "2023-09-01"),
        e("g", "2023-10-01", LS="V2", PLACE="H5", PLACE_PROVIDER="PR4"),
        e("h", "2022-01-01", PLACE="P2", PLACE_PROVIDER="PR4"),
        e("i", "2024-03-31", LS="L2", PLACE="U1"),
        e("j", "2022-01-01", "2023-03-31", REC="E4A"),
    ]
    uasc = [
        {"CHILD": "g", "SEX": "M", "DOB": "2007-01-01", "DUC": "2025-01-01"},
        {"CHILD": "h", "SEX": "M", "DOB": "2006-03-31", "DUC": "2024-03-31"},
    ]
    return kit.make_ds(children, episodes, uasc=uasc, population={2024: 20000})


def test_cla_count_excludes_short_breaks_and_episode_ending_on_the_date(kit: Any, ds: Any) -> None:
    # a b e f g h i: c left on the date, d is on short breaks, j left last year.
    assert kit.run(ds, "cla_count") == 7
    assert kit.run(ds, "short_breaks_count") == 1


def test_rate_per_10k(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "cla_rate_per_10k") == 3.5  # 7 / 20,000 * 10,000


def test_rate_blank_without_population(kit: Any) -> None:
    # a code no council has: no population given and none published
    ds = kit.make_ds(
        [kit.child("a", "2010-01-01")], [kit.episode("a", "2020-01-01")], code="E06000999"
    )
    assert kit.run(ds, "cla_rate_per_10k") is None


def test_rate_falls_back_to_the_ons_estimate_the_dfe_uses(kit: Any) -> None:
    # Herefordshire at 31 March 2024: the DfE divides by the mid-2023 estimate of children 0-17
    from sufficiency.published import population_under_18

    estimate = population_under_18("E06000019", 2024)
    assert estimate is not None and estimate.mid_year == 2023
    ds = kit.make_ds([kit.child("a", "2010-01-01")], [kit.episode("a", "2020-01-01")])
    assert kit.run(ds, "cla_rate_per_10k") == round(10_000 / estimate.value, 1)


def test_starts_count_each_child_once_and_include_the_reference_date(kit: Any, ds: Any) -> None:
    # e, f (twice, counted once), g, i (started on the reference date); d is short breaks.
    assert kit.run(ds, "starts") == 4
    assert kit.run(ds, "starts_rate_per_10k") == 2.0


def test_ceased_includes_the_reference_date_not_the_day_before_the_year(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "ceased") == 2  # c (on 31 March) and f (June); not j (31 March 2023)


def test_dfe_age_bands_use_completed_years_on_the_date(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "cla_by_age_band") == {
        "under_1": 1,  # e
        "1_to_4": 0,
        "5_to_9": 1,  # i, 5 on the day
        "10_to_15": 2,  # b (15, birthday tomorrow), f
        "16_plus": 3,  # a (16 on the day), g, h
    }


def test_fine_age_bands(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "cla_by_fine_age_band") == {
        "under_1": 1,
        "1_to_4": 0,
        "5_to_9": 1,
        "10_to_12": 1,
        "13_to_15": 1,
        "16_to_17": 2,
        "18_plus": 1,
    }


def test_sex_ethnicity_legal_status(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "cla_by_sex") == {"M": 4, "F": 3}
    assert kit.run(ds, "cla_by_ethnicity") == {
        "white": 4,
        "mixed": 1,
        "asian": 0,
        "black": 1,
        "other": 0,
        "not_known": 1,
    }
    assert kit.run(ds, "cla_by_legal_status") == {
        "care_order": 4,  # a e f h (C1 and C2)
        "placement_order": 0,
        "section_20": 2,  # b g
        "youth_justice": 0,
        "child_protection": 1,  # i
    }
    assert kit.run(ds, "cla_by_category_of_need")["N1"] == 7


def test_uasc_status_ceasing_on_the_date_is_not_counted(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "uasc_count") == 1
    assert kit.run(ds, "uasc_share").to_json() == {"count": 1, "denominator": 7, "pct": 14.3}
    assert kit.run(ds, "uasc_arrivals") == 1
    assert kit.run(ds, "uasc_by_age")["16_to_17"] == 1


def test_reasons_for_leaving_and_sgo(kit: Any, ds: Any) -> None:
    reasons = kit.run(ds, "reasons_for_leaving")
    assert reasons["returned_home"] == 1
    assert reasons["special_guardianship"] == 1
    assert sum(reasons.values()) == 2
    assert kit.run(ds, "special_guardianship_orders") == 1
    assert kit.run(ds, "ceased_aged_18") == 1  # c, 18 on the day she left


def test_placement_groupings(kit: Any, ds: Any) -> None:
    types = kit.run(ds, "cla_by_placement_type")
    assert types["in_house_fostering"] == 4  # a b e f (U4 PR1)
    assert types["supported_accommodation"] == 1  # g H5
    assert types["independent_living"] == 1  # h P2
    assert types["family_and_friends"] == 1  # i U1
    assert sum(types.values()) == 7
    assert kit.run(ds, "cla_by_provider") == {
        "own_provision": 5,
        "other_la": 0,
        "other_public": 0,
        "private": 2,
        "voluntary": 0,
        "parents_or_other": 0,
    }
    assert kit.run(ds, "fostering_share").to_json() == {"count": 5, "denominator": 7, "pct": 71.4}
    assert kit.run(ds, "in_house_fostering_share").to_json() == {
        "count": 5,
        "denominator": 5,
        "pct": 100.0,
    }


def test_duration_in_care(kit: Any, ds: Any) -> None:
    assert kit.run(ds, "duration_in_care") == {
        "under_6_months": 2,  # g (Oct), i (today)
        "6_to_12_months": 2,  # e (Jul), f (Sep)
        "1_to_2_years": 0,
        "2_to_3_years": 1,  # h (Jan 2022)
        "3_to_5_years": 2,  # a (Jan 2020: 4y2m), b (Feb 2021)
        "5_years_plus": 0,
    }


def test_bed_nights_split_by_type_and_exclude_short_breaks(kit: Any) -> None:
    c, e = kit.child, kit.episode
    ds = kit.make_ds(
        [c("a", "2010-01-01"), c("b", "2012-01-01")],
        [
            # 1 Apr 2023 to the night of 31 Mar 2024 = 366 nights (leap year).
            e("a", "2022-01-01", "2023-10-01", PLACE="U4", PLACE_PROVIDER="PR4", REC="X1"),
            e("a", "2023-10-01", RNE="P", PLACE="K2", PLACE_PROVIDER="PR4"),
            e("b", "2023-06-01", "2023-06-11", LS="V3"),
        ],
    )
    nights = kit.run(ds, "bed_nights_by_placement_type")
    assert nights["ifa"] == 183  # 1 Apr - 30 Sep
    assert nights["external_residential"] == 183  # 1 Oct - 31 Mar
    assert kit.run(ds, "bed_nights_total") == 366
    assert kit.run(ds, "short_break_nights") == 10
