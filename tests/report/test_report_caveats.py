"""Caveats for numbers a reader would misread (issue 17): a share whose denominator jumps, an
age with nobody in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sufficiency.report.caveats import denominator_caveat, empty_ages_caveat
from sufficiency.report.sources import YearValues


def _years(*denominators: Any) -> list[YearValues]:
    return [
        YearValues(
            dt.date(2022 + i, 3, 31),
            {"stability_long_term": {"count": 60, "denominator": d, "pct": 50.0}},
        )
        for i, d in enumerate(denominators)
    ]


def test_a_denominator_that_doubles_is_named_with_its_years() -> None:
    """The demo's long-term stability: 84.5% -> 57.5% as its denominator went 71 -> 106 (the
    largest of its year-on-year changes)."""
    text = denominator_caveat(
        _years(71, 106, 151, 144, 151), "stability_long_term", "Long-term stability", "them"
    )
    assert text == (
        "Long-term stability: the children it counts (them) went from 71 in 2021-22 to 106 in "
        "2022-23, so its percentage moved partly because different children are counted; read "
        "it with the numbers beside it."
    )


def test_a_steady_or_suppressed_denominator_needs_no_caveat() -> None:
    assert denominator_caveat(_years(100, 120, 96), "stability_long_term", "x", "y") is None
    assert denominator_caveat(_years(100, "c", 300), "stability_long_term", "x", "y") is None
    assert denominator_caveat(_years(100), "stability_long_term", "x", "y") is None


def test_ages_with_nobody_are_named_when_others_have_some() -> None:
    ages = {"17": "c", "18": "c", "19": 57, "20": 0, "21": 0}
    assert empty_ages_caveat(ages, "care leavers", "why.") == (
        "No care leavers aged 20 and 21 are recorded: why."
    )
    assert empty_ages_caveat({"19": 3, "20": 0, "21": 4, "17": 0}, "care leavers", "w") == (
        "No care leavers aged 17 and 20 are recorded: w"
    )
    assert empty_ages_caveat({"19": 0, "20": 0}, "care leavers", "w") is None  # nobody at all
    assert empty_ages_caveat({"19": 5, "20": 2}, "care leavers", "w") is None
    assert empty_ages_caveat(None, "care leavers", "w") is None
