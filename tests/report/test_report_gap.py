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
        "Spare in-house capacity in 2026-27: 54.2 in-house foster places and 6 in-house "
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


def test_the_framework_sentence_and_the_cost_beside_it_agree() -> None:
    """truth1 finding 2: "98 places bought through a framework at £980 a week" sat beside a cost
    at the costs register's £1,179.78. The gap's cost is now at the sentence's price."""
    import polars as pl

    from sufficiency.ingest.registers import parse_register
    from sufficiency.supply.capacity import Framework
    from sufficiency.supply.gap import compute_gap

    raw = pl.DataFrame({"placement_type": ["ifa"], "year": ["2027"], "weekly_cost": ["1179.78"]})
    costs, problems = parse_register("costs", raw, "costs.csv")
    assert not [p for p in problems if p.severity == "error"]
    doc = compute_gap(
        {2027: {"ifa": 98}},
        {2027: {}},
        costs=costs,
        frameworks={2027: {"ifa": Framework(980.0, None)}},
    ).to_json()
    (block,) = routes(doc)
    assert "98 places in 2026-27) are bought through a framework contract at £980 a week" in (
        block.text
    )
    cell = doc["years"][0]["by_type"]["ifa"]
    assert cell["shortfall_cost"] == 98 * 980 * 52 == 4_994_080
    assert (cell["weekly_cost"], cell["priced_at"]) == (1179.78, "framework_weekly_price")


def test_the_framework_sentence_prints_the_places_as_the_table_does() -> None:
    """The table said 145.9 and the sentence "146 places" (one truth per number, round 1)."""
    doc = {
        "years": [
            {
                "year": 2027,
                "by_type": {
                    "ifa": _cell(
                        need=145.9, shortfall=145.9, framework=True, framework_weekly_price=980.0
                    )
                },
            }
        ]
    }
    (block,) = routes(doc)
    assert "(145.9 places in 2026-27)" in block.text
