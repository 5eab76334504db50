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
    # children at home in a neighbour count as the council's own, while most are in it; too
    # few located are not judged
    mixed = pl.concat(
        [_episodes(25, BIRMINGHAM), _episodes(20).with_columns(pl.col("CHILD") + "h")]
    )
    assert homes_elsewhere(BIRMINGHAM, [HEREFORDSHIRE], mixed, "ssda903") == []
    assert homes_elsewhere(BIRMINGHAM, [], _episodes(10), "ssda903") == []


def test_a_neighbours_code_is_named() -> None:
    """la.toml given the code of a neighbour, the council itself among its neighbours (a
    profile copied): inside 216 -> 11 and placed locally 75.3% -> 4.2% without a word (fuzz
    round 10), as the neighbours' children counted as the council's own."""
    (p,) = homes_elsewhere(BIRMINGHAM, [HEREFORDSHIRE], _episodes(30), "la.toml")
    assert (p.severity, p.code, p.file) == ("warning", "homes_elsewhere", "la.toml")
    assert p.message.startswith(
        "30 of the 30 children whose home postcode (HOME_POST) is known lived in Herefordshire, "
        "County of (E06000019), and 0 in Birmingham (E08000025), la.toml's council"
    )


def test_a_council_named_by_its_former_code_is_its_own() -> None:
    """Before: "0 of 30 lived in North Yorkshire (E10000023) ... 30 lived in North Yorkshire
    (E06000065)": the county's code names the unitary that replaced it."""
    assert homes_elsewhere("E10000023", [], _episodes(30, "E06000065"), "ssda903") == []
    assert homes_elsewhere("E06000065", [], _episodes(30, "E06000065"), "ssda903") == []


def test_returns_after_a_council_was_split_are_not_its() -> None:
    """Cumbria (E10000006) with 2023-24 to 2025-26 returns loaded without a word: every
    comparator fell back to 2023 and the council's own published figure read 'z'."""
    from sufficiency.ingest.council_fit import returns_after_split

    (p,) = returns_after_split("E10000006", [2022, 2023, 2024, 2025, 2026])
    assert (p.severity, p.code, p.file, p.column, p.value) == (
        "error",
        "council_split",
        "la.toml",
        "code",
        "E10000006",
    )
    assert p.message == (
        "code: E10000006 is Cumbria, which ran children's services until 2023: its area is now "
        "Cumberland (E06000063) and Westmorland and Furness (E06000064); the 2023-24 return and "
        "later ones cannot be its: give the code of the council these returns are from"
    )
    assert returns_after_split("E10000006", [2022, 2023]) == []  # its own last returns
    # recoded whole: the same area publishing under another code
    assert returns_after_split("E10000023", [2025, 2026]) == []
    assert returns_after_split("E06000019", [2026]) == []
    # merged with another into a new council: its returns since are the new council's
    (merged,) = returns_after_split("E06000028", [2019, 2020])
    assert "the 2019-20 return cannot be its" in merged.message
