"""Returns of one council read with another council's la.toml loaded without a word, with 99.5%
of the demo's children placed outside the council (429 of 431); ``homes_elsewhere`` names it.

The loader is to call it on the merged episodes (see the function); these tests call it alone.
"""

from __future__ import annotations

import polars as pl

from sufficiency.geo import postcodes_in_la
from sufficiency.ingest.council_fit import homes_elsewhere

HEREFORDSHIRE, BIRMINGHAM = "E06000019", "E08000025"


def _episodes(n: int, la: str = HEREFORDSHIRE) -> pl.DataFrame:
    homes = postcodes_in_la(la, limit=n).get_column("postcode").to_list()
    return pl.DataFrame({"CHILD": [f"C{i}" for i in range(len(homes))], "HOME_POST": homes})


def test_returns_of_another_council_are_named() -> None:
    problems = homes_elsewhere(BIRMINGHAM, ["E08000027"], _episodes(30), "ssda903")
    assert [(p.severity, p.code) for p in problems] == [("warning", "homes_elsewhere")]
    assert problems[0].message.startswith(
        "only 0 of the 30 children whose home postcode (HOME_POST) is known lived in "
        "Birmingham (E08000025) or its neighbours; 30 lived in Herefordshire, County of (E06000019)"
    )


def test_the_councils_own_returns_pass() -> None:
    assert homes_elsewhere(HEREFORDSHIRE, [], _episodes(30), "ssda903") == []
    # a neighbour's children count as the council's own; too few located are not judged
    assert homes_elsewhere(BIRMINGHAM, [HEREFORDSHIRE], _episodes(30), "ssda903") == []
    assert homes_elsewhere(BIRMINGHAM, [], _episodes(10), "ssda903") == []


def test_a_council_named_by_its_former_code_is_its_own() -> None:
    """Before: "0 of 30 lived in North Yorkshire (E10000023) ... 30 lived in North Yorkshire
    (E06000065)": the county's code names the unitary that replaced it."""
    assert homes_elsewhere("E10000023", [], _episodes(30, "E06000065"), "ssda903") == []
    assert homes_elsewhere("E06000065", [], _episodes(30, "E06000065"), "ssda903") == []
