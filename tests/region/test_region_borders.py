"""Where each council's children live, beside the regional needs table in the same statement:
a council's own area is its children placed inside its area, which the needs table may print.
A row hiding its own area as the complement of a small count of children in other member
councils gave the count away (83 - 62 inside - 17 outside - 0 unknown = 4)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sufficiency.report.regional import protected_borders

ROW = {
    "own_area": 62,
    "other_members": {"E06000019": 4},
    "within_region": 66,
    "outside_region": 17,
    "unknown": 0,
}


def _run(inside: Any) -> Any:
    """A regional run of one council (E06000051, 83 children) whose needs table shows
    ``inside`` for it."""
    location = {"inside": inside, "neighbouring": 9, "distant": 12, "unknown": 0}
    measures = {
        "cla_count": {"councils": {"E06000051": 83}},
        "cla_by_location": {"councils": {"E06000051": location}},
    }
    return SimpleNamespace(
        measures=SimpleNamespace(to_json=lambda: {"measures": measures}),
        market={"across_borders": {"E06000051": ROW}},
        hidden_by_councils={},
    )


def test_a_row_never_leans_on_its_own_area_when_the_needs_table_prints_it() -> None:
    """Own area printed beside it (62) and the children looked after known (83): the small
    count is protected by hiding within the region and outside it instead."""
    (row,) = protected_borders(_run(62), 5).values()
    assert row == {
        "own_area": 62,
        "other_members": {"E06000019": "c"},
        "other_members_total": "c",
        "within_region": "c",
        "outside_region": "c",
        "unknown": 0,
    }


def test_a_row_hides_its_own_area_when_the_needs_table_hides_it() -> None:
    """Nothing beside it prints the own area: it is the one complement needed."""
    (row,) = protected_borders(_run("c"), 5).values()
    assert row == {
        "own_area": "c",
        "other_members": {"E06000019": "c"},
        "other_members_total": "c",
        "within_region": 66,
        "outside_region": 17,
        "unknown": 0,
    }
