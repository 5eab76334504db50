"""Key messages follow fixed rules and only state what the numbers support; RAG statuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sufficiency.measures.comparators import Comparator
from sufficiency.measures.targets import rag
from sufficiency.report.messages import key_messages
from sufficiency.report.sources import YearValues


def yv(year: int, **values: Any) -> YearValues:
    return YearValues(dt.date(year, 3, 31), dict(values))


SN = [
    Comparator("stability_three_plus", 2023, "statistical_neighbours", 9.8, "DfE"),
    Comparator("cla_rate_per_10k", 2023, "england", 70.0, "DfE"),
]


def test_cla_rise_as_in_the_herefordshire_strategy() -> None:
    msgs = key_messages([yv(2022, cla_count=395), yv(2023, cla_count=415)], [])
    assert msgs == [
        "Children looked after rose 5% from 395 to 415 (31 March 2022 to 31 March 2023)."
    ]


def test_fall_and_no_change() -> None:
    assert key_messages([yv(2023, cla_count=1030), yv(2024, cla_count=977)], [])[0].startswith(
        "Children looked after fell 5% from 1,030 to 977"
    )
    assert key_messages([yv(2023, cla_count=50), yv(2024, cla_count=50)], [])[0] == (
        "Children looked after stayed at 50 between 31 March 2023 and 31 March 2024."
    )


def test_stability_against_statistical_neighbours_as_hertfordshire() -> None:
    share = {"count": 88, "denominator": 978, "pct": 9.0}
    prev = {"count": 91, "denominator": 977, "pct": 9.3}
    msgs = key_messages(
        [yv(2023, stability_three_plus=prev), yv(2024, stability_three_plus=share)], SN
    )
    assert msgs == [
        "9.0% of children looked after had three or more placements in the year (down from 9.3% "
        "a year earlier), below statistical neighbours (9.8%, 2022-23)."
    ]


def test_rate_compared_with_england() -> None:
    msgs = key_messages([yv(2024, cla_rate_per_10k=72.5)], SN)
    assert msgs == [
        "The rate of children looked after was 72.5 per 10,000 children, above England (70, 2022-23)."
    ]


def test_suppressed_or_missing_values_are_never_stated() -> None:
    years = [
        yv(2023, cla_count="c", uasc_count="c"),
        yv(
            2024,
            cla_count=40,
            uasc_count="c",
            stability_three_plus={"count": "c", "denominator": 40, "pct": "c"},
            placed_over_20_miles={"count": 2, "denominator": 3, "pct": 66.7},
            cla_by_placement_type={"ifa": "c", "in_house_fostering": "c"},
        ),
    ]
    assert key_messages(years, SN) == []


def test_uasc_and_largest_placement_type() -> None:
    years = [
        yv(
            2024,
            cla_count=978,
            uasc_count=154,
            cla_by_placement_type={"in_house_fostering": 339, "ifa": 158, "secure": "c"},
        )
    ]
    assert key_messages(years, []) == [
        "978 children were looked after on 31 March 2024.",
        "154 children looked after (16%) were unaccompanied asylum-seeking (separated migrant) "
        "children.",
        "The most common placement was in-house fostering: 339 children (35% of children "
        "looked after).",
    ]


def test_rag_statuses() -> None:
    assert rag(8.5, 12.0, 9.0, "down") == "Green"
    assert rag(10.0, 12.0, 9.0, "down") == "Amber"
    assert rag(12.5, 12.0, 9.0, "down") == "Red"
    assert rag(80.0, 70.0, 78.0, "up") == "Green"
    assert rag(72.0, 70.0, 78.0, "up") == "Amber"
    assert rag(None, 70.0, 78.0, "up") == "Not available"


def test_the_largest_cost_rise_is_chosen_before_rounding_to_whole_per_cent() -> None:
    weekly = {
        "in_house_fostering": {"2025": 551.0, "2026": 584.0},  # 5.99%
        "placed_with_parents": {"2025": 159.0, "2026": 169.0},  # 6.29%
        "ifa": {"2026": 1000.0},  # one year: no change
    }
    assert key_messages([], [], {"weekly_costs": weekly}) == [
        "The average weekly cost of a placement in 'placed with parents' rose 6% from £159 "
        "(2024-25) to £169 (2025-26), the largest rise of any placement type."
    ]
