"""Key messages follow fixed rules and only state what the numbers support; RAG statuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sufficiency.measures.comparators import Comparator
from sufficiency.measures.targets import rag
from sufficiency.report.messages import key_messages, ranked_messages
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
        "Children looked after rose 5.1% from 395 to 415 (31 March 2022 to 31 March 2023)."
    ]


def test_fall_and_no_change() -> None:
    assert key_messages([yv(2023, cla_count=1030), yv(2024, cla_count=977)], [])[0].startswith(
        "Children looked after fell 5.1% from 1,030 to 977"
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
        "The rate of children looked after was 72.5 per 10,000 children, above England (70.0, 2022-23)."
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
    # ranked by the share of children each is about: 35%, 16%, then the count alone; each
    # share to one decimal, as the placement type and UASC tables print it
    assert key_messages(years, []) == [
        "The most common placement was in-house fostering: 339 children (34.7% of children "
        "looked after).",
        "154 children looked after (15.7%) were unaccompanied asylum-seeking (separated migrant) "
        "children.",
        "978 children were looked after on 31 March 2024.",
    ]


def test_rag_statuses() -> None:
    assert rag(8.5, 12.0, 9.0, "down") == "Green"
    assert rag(10.0, 12.0, 9.0, "down") == "Amber"
    assert rag(12.5, 12.0, 9.0, "down") == "Red"
    assert rag(80.0, 70.0, 78.0, "up") == "Green"
    assert rag(72.0, 70.0, 78.0, "up") == "Amber"
    assert rag(None, 70.0, 78.0, "up") == "Not available"


def _demo_year(**more: Any) -> YearValues:
    """The demo council's 2025-26 money (from its statement): external residential is 42% of
    modelled spend, placed with parents 0.4%."""
    return yv(
        2026,
        cla_count=411,
        spend_total=32_852_553,
        spend_by_placement_type={
            "in_house_fostering": 4_426_430,
            "ifa": 6_256_036,
            "external_residential": 13_936_910,
            "placed_with_parents": 137_023,
            "secure": "c",
        },
        bed_nights_by_placement_type={
            "in_house_fostering": 53_060,
            "ifa": 37_112,
            "external_residential": 13_781,
            "placed_with_parents": 5_676,
        },
        **more,
    )


WEEKLY = {
    "external_residential": {"2025": 6_555.0, "2026": 7_079.0},  # +8%, on 13,781 nights
    "placed_with_parents": {"2025": 159.0, "2026": 169.0},  # +6%, on 5,676 nights
    "in_house_fostering": {"2025": 551.0, "2026": 584.0},
}


def test_the_cost_rise_stated_is_the_one_that_adds_most_in_pounds() -> None:
    """Not 'placed with parents £159 -> £169' while external residential is 42% of spend:
    (7,079 - 6,555) x 13,781 / 7 = £1,031,608 against (169 - 159) x 5,676 / 7 = £8,109."""
    msgs = key_messages([_demo_year()], [], {"weekly_costs": WEEKLY})
    assert (
        "The average weekly cost of 'external children's home' rose 8.0% from £6,555 (2024-25) to "
        "£7,079 (2025-26), about £1.0m more over the year's nights of care: the largest rise "
        "in pounds of any placement type."
    ) in msgs
    assert not [m for m in msgs if "placed with parents" in m]


def test_modelled_spend_leads_when_it_is_the_most_material() -> None:
    """Spend is said to be modelled; its 42% outranks a 1% change in children looked after and
    the rise in one type's weekly cost (3% of spend)."""
    years = [yv(2025, cla_count=416), _demo_year()]
    ranked = ranked_messages(years, [], {"weekly_costs": WEEKLY})
    assert [round(w, 3) for w, _ in ranked] == [0.424, 0.031, 0.012]
    assert ranked[0][1] == (
        "Modelled spend on placements (nights of care x the council's weekly rates) was "
        "£32.9m in 2025-26; the largest part was 'external children's home': £13.9m (42.4%)."
    )
    assert ranked[-1][1].startswith("Children looked after fell 1.2% from 416 to 411")


def test_the_gap_weighs_the_places_it_states_against_the_children_looked_after() -> None:
    gap = {"years": [{"year": 2027, "by_type": {"ifa": {"shortfall": 98, "framework": False}}}]}
    ranked = ranked_messages([_demo_year()], [], {"gap": gap})
    weights = {text.split(" ")[0]: round(w, 3) for w, text in ranked}
    assert weights["The"] == round(98 / 411, 3)  # the gap message: 98 places of 411 children
    assert weights["Modelled"] == 0.424  # spend's largest part comes first
    assert ranked[0][1].startswith("Modelled spend")


def _gap_message(by_type: dict[str, Any]) -> str:
    (text,) = key_messages([], [], {"gap": {"years": [{"year": 2027, "by_type": by_type}]}})
    return text


def test_a_hidden_shortfall_is_never_read_as_none() -> None:
    """A publish-mode gap shows a small type's shortfall as c: the message said "no shortfall"
    when the hidden type's was 20.5."""
    hidden = {"shortfall": "c", "need": "c", "capacity": 0}
    assert _gap_message({"external_residential": hidden, "ifa": {"shortfall": 0.0}}) == (
        "The baseline forecast shows no shortfall of homes in 2027 in the placement types it "
        "shows (1 type's figures are too small to show)."
    )
    assert _gap_message({"ifa": {"shortfall": 0.0}}) == (
        "The baseline forecast shows no shortfall of homes in 2027."
    )


def test_the_largest_gap_is_the_largest_shown_when_a_type_is_hidden() -> None:
    text = _gap_message(
        {"ifa": {"shortfall": 4.0, "framework": False}, "secure": {"shortfall": "c"}}
    )
    assert text.startswith("Of the placement types shown, the largest gap in 2027 ")
    assert "'independent fostering agency' placements: 4 places" in text.lower()
