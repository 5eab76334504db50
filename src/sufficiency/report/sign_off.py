"""Who approved the statement, when, and when it is next reviewed: ``narrative/sign_off.md``.

The council writes lines such as ``Approved by: Director of Children's Services``, ``Approved
on: 2026-06-30`` and ``Next review: 2027-06-30`` (ISO or dd/mm/yyyy dates) among its prose;
:func:`parse_sign_off` reads them (pure; a bad date is a named error with its line) and
:func:`prose` is the rest, printed as the section's narrative.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sufficiency.dates import date_in_text

#: Where the sign-off lines live, as the council's data folder names it.
SOURCE = "narrative/sign_off.md"
_FIELDS = {"approved by": "approved_by", "approved on": "approved_on", "next review": "next_review"}
_LINE = re.compile(
    r"^\s*[-*]?\s*\**\s*(approved by|approved on|next review)\s*\**\s*:\s*\**\s*(.*?)\s*\**\s*$",
    re.I,
)


class SignOffError(ValueError):
    """The sign-off lines cannot be read: names the file, line, field and what was expected."""

    def __init__(self, line: int, field: str, value: str, expected: str) -> None:
        self.line, self.field, self.value, self.expected = line, field, value, expected
        super().__init__(f"{SOURCE} line {line}: {field} {value!r}: expected {expected}")


class BadSignOffDate(SignOffError):
    """A date that is not a calendar date (``Approved on: 31/02/2026``)."""


class ReviewBeforeApproval(SignOffError):
    """The next review falls on or before the approval date."""


@dataclass(frozen=True)
class SignOff:
    """The statement's approval: by whom, on what date, and the next review (None when absent)."""

    approved_by: str | None = None
    approved_on: dt.date | None = None
    next_review: dt.date | None = None

    @property
    def missing(self) -> list[str]:
        """The lines still to write, as the council writes them."""
        names = {"approved_by": "Approved by", "approved_on": "Approved on"}
        names["next_review"] = "Next review"
        return [label for key, label in names.items() if getattr(self, key) is None]


def _date(text: str, line: int, field: str) -> dt.date:
    """The line's date, read as every date a council writes is (``dates.date_in_text``: a year
    typed 3026 is no date, as in a return)."""
    found = date_in_text(text)
    if found is None:
        raise BadSignOffDate(line, field, text, "a date as YYYY-MM-DD or DD/MM/YYYY")
    return found


def parse_sign_off(text: str) -> SignOff:
    """The sign-off fields of ``narrative/sign_off.md`` (the last of each wins; a blank value is
    missing). Raises ``BadSignOffDate`` or ``ReviewBeforeApproval`` naming the line."""
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        match = _LINE.match(raw)
        if match is None or not match[2]:
            continue
        label = match[1].capitalize()
        key = _FIELDS[match[1].lower()]
        value = match[2]
        values[key] = value if key == "approved_by" else _date(value, number, label)
        lines[key] = number
    sign_off = SignOff(**values)  # type: ignore[arg-type]
    if (
        sign_off.approved_on is not None
        and sign_off.next_review is not None
        and sign_off.next_review <= sign_off.approved_on
    ):
        raise ReviewBeforeApproval(
            lines["next_review"],
            "Next review",
            sign_off.next_review.isoformat(),
            f"a date after the approval ({sign_off.approved_on.isoformat()})",
        )
    return sign_off


def prose(text: str) -> str:
    """The file without its sign-off lines: the council's prose around them."""
    return "\n".join(line for line in text.splitlines() if _LINE.match(line) is None).strip()
