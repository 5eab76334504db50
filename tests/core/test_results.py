"""Typed results (sufficiency.results) and the disclosure primitives they use."""

from __future__ import annotations

import json

from sufficiency.disclosure import SUPPRESSED, SUPPRESSED_TEXT, is_small, secondary_suppress, text
from sufficiency.results import (
    Breakdown,
    Count,
    Days,
    Missing,
    Money,
    Rate,
    Share,
    Table,
    scalar,
    to_json,
)


def test_the_small_count_test_and_symbol() -> None:
    # 1 to 5 by default (the DfE's LA-level threshold), zeros shown; a council may raise it
    assert [is_small(v) for v in (0, 1, 5, 6, True, 2.0, "3")] == [
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert is_small(7, small_max=10) and not is_small(11, small_max=10)
    assert (SUPPRESSED, SUPPRESSED_TEXT, text("c"), text(3)) == ("c", "[c]", "[c]", None)


def test_json_is_exactly_the_documented_shape() -> None:
    values = {
        "n": Count(7),
        "share": Share(1, 3),
        "empty": Share(0, 0),
        "rate": Rate(55.1),
        "money": Money(1200),
        "by": Breakdown({"M": 3, "F": 9}),
        "grid": Table({"a": {"x": 1}}),
        "days": Days(400.0, 9),
        "none": Missing(),
    }
    assert json.loads(json.dumps(to_json(values))) == {
        "n": 7,
        "share": {"count": 1, "denominator": 3, "pct": 33.3},
        "empty": {"count": 0, "denominator": 0, "pct": None},
        "rate": 55.1,
        "money": 1200,
        "by": {"M": 3, "F": 9},
        "grid": {"a": {"x": 1}},
        "days": {
            "average": 400.0,
            "children": 9,
            "three_year_average": None,
            "three_year_children": None,
            "target": None,
        },
        "none": None,
    }


def test_headline_and_hidden() -> None:
    assert scalar(Share(1, 4)) == 25.0
    assert scalar(Count(9)) == 9
    assert scalar(Count(3).suppressed()) is None
    assert Count(5).suppressed().hidden and not Count(6).suppressed().hidden
    assert Count(8).suppressed(small_max=10).hidden
    assert Count(3, children=False).suppressed().to_json() == 3
    assert Rate(1.5).hide().to_json() == "c"


def test_secondary_suppression_falls_back_to_the_total() -> None:
    cells = {"a": 2, "b": 0, "total": 2}
    secondary_suppress(
        [(["a", "b"], ["total"])], cells.__getitem__, lambda k: cells.__setitem__(k, "c")
    )
    assert cells == {"a": 2, "b": 0, "total": 2}  # nothing suppressed: nothing to do
    cells = {"a": "c", "b": 0, "total": 2}
    secondary_suppress(
        [(["a", "b"], ["total"])], cells.__getitem__, lambda k: cells.__setitem__(k, "c")
    )
    assert cells == {"a": "c", "b": 0, "total": "c"}


def test_every_figure_has_a_path_and_a_role() -> None:
    """The leaves say which figures count children; hiding a path hides what is built on it."""
    share = Share(3, 40)
    assert list(share.leaves()) == [
        (("count",), 3, "children"),
        (("denominator",), 40, "children"),
        (("pct",), 7.5, "pct"),
    ]
    assert share.hiding({("count",)}).to_json() == {"count": "c", "denominator": 40, "pct": "c"}
    days = Days(400.0, 9, 500.0, 30)
    assert days.hiding({("children",)}).to_json()["average"] == "c"
    assert days.hiding({("children",)}).to_json()["three_year_average"] == 500.0
    grid = Table({"x": {"a": 1, "b": 2}})
    assert [p for p, _, _ in grid.leaves()] == [("x", "a"), ("x", "b")]
    assert grid.hiding({("x", "b")}).rows == {"x": {"a": 1, "b": "c"}}
    money = Breakdown({"ifa": 10}, unit="money", children=False)
    assert [r for _, _, r in money.leaves()] == ["money"]
    assert Money(5).hiding({()}).to_json() == "c" and Count(None).hiding({()}).to_json() is None
