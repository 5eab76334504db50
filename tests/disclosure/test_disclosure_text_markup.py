"""A small count in the council's Markdown is found however it is marked up: emphasis around
the number, the number and its words on two source lines, an entity between them, or HTML the
statement prints as text; the text is read as a reader sees it printed."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from disclosure_helpers import DEMO_YEAR

from sufficiency.disclosure.audit import DisclosureError
from sufficiency.disclosure.text import small_counts_marked_up, visible_text
from sufficiency.report.build import build_statement
from sufficiency.report.model import Block
from sufficiency.report.output import write_statement
from sufficiency.report.protect import check_statement
from sufficiency.report.render import render_markdown

MARKED_UP = [
    ("This year **3** children were placed out of area.", 3, "3 children"),
    ("This year <strong>3</strong> children were placed out of area.", 3, "3 children"),
    ("This year _3_ children were placed out of area.", 3, "3 children"),
    ("This year *2* young people were placed out of area.", 2, "2 young people"),
    ("This year 3\nchildren were placed out of area.", 3, "3 children"),
    ("This year 3&nbsp;children were placed out of area.", 3, "3 children"),
    ("This year `3` children were placed out of area.", 3, "3 children"),
    ("![3 children at the centre](https://example.org/photo.png)", 3, "3 children"),
]


def _found(markdown: str) -> list[tuple[int, int, str]]:
    return [
        (f.line, f.count, f.text)
        for f in small_counts_marked_up(markdown, render_markdown(markdown), "foreword")
    ]


@pytest.mark.parametrize(("markdown", "count", "text"), MARKED_UP)
def test_a_marked_up_small_count_is_found(markdown: str, count: int, text: str) -> None:
    assert _found(markdown) == [(1, count, text)]


def test_a_count_is_given_once_at_its_source_line() -> None:
    markdown = "Intro.\n\nWe placed 3 children, and **4** children came home.\n\nThe end."
    assert _found(markdown) == [(3, 3, "3 children"), (2, 4, "4 children")]


@pytest.mark.parametrize(
    "markdown",
    [
        "## Priority 3\n\nChildren placed near home.",
        "## Priority 3\nChildren placed near home.",
        "Children aged **3** children and under",
        "We run **2** children's homes.",
    ],
)
def test_blocks_stay_apart_and_other_numbers_pass(markdown: str) -> None:
    assert _found(markdown) == []


def test_visible_text_is_what_a_reader_sees() -> None:
    html = (
        "<h3>Our year</h3>\n<p>A <em>good</em>\nyear,&nbsp;&amp; <br />\nmore.</p>\n"
        "<ul>\n<li>one</li>\n</ul>"
    )
    assert visible_text(html) == "Our year\nA good year, & more.\none"


@pytest.fixture(scope="module")
def statement(demo_ds: Any) -> Any:
    return build_statement(demo_ds, DEMO_YEAR, "publish")


@pytest.mark.parametrize(("markdown", "count", "text"), MARKED_UP[:6])
def test_a_publish_statement_with_a_marked_up_count_is_refused(
    statement: Any, tmp_path: Path, markdown: str, count: int, text: str
) -> None:
    tampered = copy.deepcopy(statement)
    section = tampered.sections[0]
    section.blocks.append(Block("narrative", text=markdown))
    expected = f"section '{section.title}', line 1: '{text}' (a count of {count})"
    with pytest.raises(DisclosureError, match=re.escape(expected)):
        write_statement(tampered, tmp_path / "out", pdf=False)
    assert not (tmp_path / "out").exists()
    check_statement(statement)  # the statement without it passes
