"""A measure withheld whole leaves out the figures other measures print again for it (the
adoption scorecard's three-year count, a trend point): a [c] there would tell a reader the
figure is small, which the withholding chose not to say."""

from __future__ import annotations

import datetime as dt

from sufficiency.disclosure import SUPPRESSED
from sufficiency.disclosure.linear import System
from sufficiency.measures.nested import rows
from sufficiency.measures.suppression import Protection, apply_protection
from sufficiency.results import Count, Days, Missing, Record, Result

AT = dt.date(2026, 3, 31)


def _years() -> dict[dt.date, dict[str, Result]]:
    a1 = Days(average=None, children=0, three_year_average=510.0, three_year_children=5)
    a2 = Days(average=120.0, children=9, three_year_average=100.0, three_year_children=21)
    scorecard = rows(
        {
            "A1": {"three_year_average": 510.0, "three_year_children": 5, "threshold": 426},
            "A2": {"three_year_average": 100.0, "three_year_children": 21, "threshold": 121},
        },
        child_keys=("three_year_children",),
        derived_keys=("three_year_average",),
    )
    trends = Record(
        {
            "uasc_arrivals": {
                "2025": {"value": 9, "change": None},
                "2026": {"value": 4, "change": -5},
            }
        }
    )
    return {
        AT: {
            "adoption_a1_days": a1,
            "adoption_a2_days": a2,
            "adoption_scorecard": scorecard,
            "uasc_arrivals": Count(4),
            "trends": trends,
        }
    }


def test_what_another_measure_prints_of_a_withheld_one_is_left_out_not_marked() -> None:
    years = _years()
    protection = Protection(
        System(),
        hidden=frozenset(),
        primary=frozenset(),
        withheld=frozenset({"adoption_a1_days@2026-03-31", "uasc_arrivals@2026-03-31"}),
    )
    done = apply_protection(years, protection)[AT]
    assert isinstance(done["adoption_a1_days"], Missing)
    card = done["adoption_scorecard"].to_json()
    assert card["A1"] == {"three_year_average": None, "three_year_children": None, "threshold": 426}
    assert card["A2"] == {"three_year_average": 100.0, "three_year_children": 21, "threshold": 121}
    points = done["trends"].to_json()["uasc_arrivals"]
    assert points["2026"]["value"] is None and points["2025"] == {"value": 9, "change": None}
    # a figure hidden (not withheld) is still marked where it is printed again
    hidden = Protection(
        System(),
        hidden=frozenset({"adoption_a1_days.three_year_children@2026-03-31"}),
        primary=frozenset(),
    )
    card = apply_protection(years, hidden)[AT]["adoption_scorecard"].to_json()
    assert card["A1"]["three_year_children"] == SUPPRESSED
    assert card["A1"]["three_year_average"] == SUPPRESSED
