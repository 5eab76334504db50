"""Small counts of children in prose (the council's narrative, generated text) are found, with
where they are; ages, years, money, percentages and counts of homes are not counts of children."""

from __future__ import annotations

import pytest

from sufficiency.disclosure.text import small_counts


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("We placed 3 children in secure care.", 3),
        ("Two young people left care to live independently.", 2),
        ("the 4 unaccompanied children arrived in May", 4),
        ("Five looked after children were disabled", 5),
        ("a single child was placed outside England", 1),
        ("one care leaver is in custody", 1),
    ],
)
def test_small_counts_of_children_are_found(text: str, count: int) -> None:
    (found,) = small_counts(text, "narrative/needs.md")
    assert found.count == count
    assert str(found).startswith("narrative/needs.md, line 1: ")


@pytest.mark.parametrize(
    "text",
    [
        "We run 2 children's homes and 12 children live in them.",
        "Children aged 3 children and under",
        "one in four children is placed with foster carers",
        "3-year-old children; £4 children's services budget (£4m)",
        "In 2024 children waited 312 days; 1,205 children were in need; 1.5 children a month",
        "5 foster carers and 3 homes were approved",
    ],
)
def test_other_numbers_are_not_counts_of_children(text: str) -> None:
    assert small_counts(text, "x.md") == []


def test_the_councils_threshold_and_line_numbers() -> None:
    text = "Intro.\n\nWe placed 8 children in residential special schools."
    assert small_counts(text, "x.md") == []
    (found,) = small_counts(text, "x.md", small_max=10)
    assert (found.line, found.count, found.text) == (3, 8, "8 children")
