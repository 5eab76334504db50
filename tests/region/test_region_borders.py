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


def _recoverable(row: dict[str, Any], inside: Any) -> bool:
    """Whether the small count of children in other members follows from the row, the
    council's children looked after (83) and the needs table's inside."""
    own = row["own_area"] if row["own_area"] != "c" else inside
    known = [own, row["outside_region"], row["unknown"]]
    return row["other_members_total"] == "c" and all(v != "c" for v in known)


def test_a_row_never_leans_on_its_own_area_when_the_needs_table_prints_it() -> None:
    (row,) = protected_borders(_run(62), 5).values()
    assert row["other_members_total"] == "c" and row["other_members"] == {"E06000019": "c"}
    assert row["own_area"] == 62  # printed beside it: hiding it protects nothing
    assert not _recoverable(row, 62)


def test_a_row_may_hide_its_own_area_when_the_needs_table_hides_it() -> None:
    (row,) = protected_borders(_run("c"), 5).values()
    assert row["other_members_total"] == "c"
    assert not _recoverable(row, "c")
