"""The gap section says how the shortfall is bought (a framework, not one by one) and names
spare in-house capacity as an opportunity (issue 17), from hand-made gap JSON."""

from __future__ import annotations

from typing import Any

from sufficiency.report.messages import gap as gap_message
from sufficiency.report.sections.gap import routes, spare


def _cell(**kw: Any) -> dict[str, Any]:
    return {"need": 0, "capacity": 0, "shortfall": 0, "spare": 0, "framework": False} | kw


GAP = {
    "scenario": "baseline",
    "years": [
        {
            "year": 2027,
            "by_type": {
                "in_house_fostering": _cell(need=134.5, capacity=188.7, spare=54.2),
                "ifa": _cell(need=98, shortfall=98, framework=True, framework_weekly_price=980.0),
                "in_house_residential": _cell(need=2, capacity=8, spare=6),
                "external_residential": _cell(need=30, shortfall=30),
            },
        }
    ],
}


def test_a_framework_shortfall_is_bought_through_it_at_its_price() -> None:
    (block,) = routes(GAP)
    assert block.text == (
        "Independent fostering agency placements beyond the council's own and contracted "
        "capacity (98 places in 2026-27) are bought through a framework contract at £980 a "
        "week on average, not spot-purchased one by one."
    )


def test_spare_in_house_places_are_an_opportunity() -> None:
    (block,) = spare(GAP)
    assert block.text.startswith(
        "Spare in-house capacity in 2026-27: 54 in-house foster places and 6 in-house "
        "children's home beds beyond the children expected to need them."
    )
    assert "independent fostering agencies and external children's homes" in block.text


def test_no_spare_and_no_framework_say_nothing() -> None:
    bare = {"years": [{"year": 2027, "by_type": {"ifa": _cell(shortfall=3)}}]}
    assert routes(bare) == [] and spare(bare) == []
    hidden = {"years": [{"year": 2027, "by_type": {"in_house_residential": _cell(spare="c")}}]}
    assert spare(hidden) == []  # a suppressed figure is never stated


def test_the_key_message_names_the_route_of_the_largest_shortfall() -> None:
    text = gap_message([], [], {"gap": GAP})
    assert text == (
        "The largest gap in 2027 between the homes children are expected to need and the "
        "council's in-house and contracted capacity is in 'independent fostering agency' "
        "placements: 98 places to be bought through the framework at £980 a week."
    )
    spot = {"years": [{"year": 2027, "by_type": {"external_residential": _cell(shortfall=4)}}]}
    assert gap_message([], [], {"gap": spot}) is not None
    assert "spot-purchased, one by one" in (gap_message([], [], {"gap": spot}) or "")
