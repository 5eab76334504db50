"""Sign-off (issue 17): who approved the statement, when, and its next review, read from
``narrative/sign_off.md``; publish mode refuses without it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sufficiency.report.model import Section
from sufficiency.report.sign_off import (
    BadSignOffDate,
    ReviewBeforeApproval,
    SignOff,
    parse_sign_off,
    prose,
)

TEXT = (
    "Agreed by the Corporate Parenting Board.\n\n"
    "Approved by: Jo Bloggs, Director of Children's Services\n"
    "- **Approved on:** 30/06/2026\n"
    "Next review: 2027-06-30\n\n"
    "Questions to the commissioning team."
)


def test_the_three_lines_are_read_in_either_date_form() -> None:
    assert parse_sign_off(TEXT) == SignOff(
        "Jo Bloggs, Director of Children's Services", dt.date(2026, 6, 30), dt.date(2027, 6, 30)
    )


def test_the_prose_keeps_everything_but_the_sign_off_lines() -> None:
    assert prose(TEXT) == (
        "Agreed by the Corporate Parenting Board.\n\n\nQuestions to the commissioning team."
    )


def test_missing_lines_are_named_in_the_councils_words() -> None:
    assert parse_sign_off("Approved by: Jo\n").missing == ["Approved on", "Next review"]
    assert parse_sign_off("Approved on:\n").missing == [
        "Approved by",
        "Approved on",
        "Next review",
    ]


def test_a_date_that_is_not_a_day_names_file_line_field_and_form() -> None:
    with pytest.raises(BadSignOffDate) as caught:
        parse_sign_off("Approved by: Jo\nApproved on: 31/02/2026\n")
    assert str(caught.value) == (
        "narrative/sign_off.md line 2: Approved on '31/02/2026': expected a date as "
        "YYYY-MM-DD or DD/MM/YYYY"
    )
    assert (caught.value.line, caught.value.field) == (2, "Approved on")


@pytest.mark.parametrize("typed", ["30/06/3026", "0026-06-30", "30/06/26", "2026-06-30x"])
def test_a_mistyped_year_is_no_date_as_in_a_return(typed: str) -> None:
    """The one date rule (``dates.date_in_text``): a year outside 1900-2100 or of two digits is
    a typing mistake, not an approval in 3026 printed on the published statement."""
    with pytest.raises(BadSignOffDate, match=f"line 1: Approved on '{typed}'"):
        parse_sign_off(f"Approved on: {typed}\n")


def test_a_date_written_with_its_time_or_one_digit_day_is_read() -> None:
    assert parse_sign_off("Approved on: 2026-06-30 09:30\nNext review: 1/7/2027") == SignOff(
        None, dt.date(2026, 6, 30), dt.date(2027, 7, 1)
    )


def test_a_review_before_the_approval_is_refused() -> None:
    with pytest.raises(ReviewBeforeApproval, match=r"line 2: Next review '2026-01-01'"):
        parse_sign_off("Approved on: 2026-06-30\nNext review: 2026-01-01")


def test_the_published_statement_prints_the_approval(published: Path) -> None:
    data = json.loads((published / "statement.json").read_text(encoding="utf-8"))
    (section,) = [s for s in data["sections"] if s["id"] == "sign_off"]
    texts = [b["text"] for b in section["blocks"]]
    assert (
        "This statement was approved by Director of Children's Services on 30 June 2024. "
        "It will be reviewed by 30 June 2025." in texts
    )
    assert "Agreed by the Corporate Parenting Board." in texts  # the prose, lines removed
    assert not [t for t in texts if "Approved on:" in t]


def _section(approval: SignOff | None) -> Section:
    from sufficiency.report.build import build_section
    from sufficiency.report.sections.inputs import StatementInputs
    from sufficiency.report.sections.registry import registered

    (spec,) = [s for s in registered() if s.id == "sign_off"]
    inputs = StatementInputs(
        year=2024,
        mode="publish",
        years=[],
        marks=[],
        info={},
        returns=[2024],
        registers=[],
        tables=frozenset(),
        small_count_max=5,
        sign_off=approval,
    )
    return build_section(spec, inputs)


def test_without_a_sign_off_publish_mode_is_refused_naming_the_lines() -> None:
    from sufficiency.report.placeholders import remaining

    section = _section(None)
    assert section.status == "placeholder"
    assert remaining([section]) == [
        "Governance, sign-off and review: Who approved the statement and when it is next "
        "reviewed (add "
        "narrative/sign_off.md with the lines 'Approved by: ...', 'Approved on: ...', "
        "'Next review: ...' (dates as YYYY-MM-DD or DD/MM/YYYY))"
    ]


def test_a_partial_sign_off_names_only_what_is_missing() -> None:
    from sufficiency.report.placeholders import remaining

    (need,) = remaining([_section(parse_sign_off("Approved by: Jo\nApproved on: 2024-07-01"))])
    assert "the lines 'Next review: ...' (dates" in need
