"""Small counts of people written in prose: the council's narrative and generated text.

Tables are protected figure by figure; prose is not, so a publish-mode statement is refused
when its text says "3 children" or "two young people" (a count from 1 to the threshold followed
by words for people). Ages ("aged 3", "3-year-olds"), years, percentages and money are not
counts of people and pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sufficiency.disclosure import SMALL_MAX

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a single": 1,
    "a couple of": 2,
}
#: Words for children and young people a count may be of (beds, homes, carers are not).
PEOPLE = (
    r"(?:(?:more|fewer|other|additional|further|new|young|looked[- ]after|disabled|"
    r"unaccompanied|care[- ]experienced|separated|asylum[- ]seeking|of\s+(?:our|the|these|those))\s+)*"
    r"(?:children|child|young\s+(?:people|person|adults?)|care\s+leavers?|babies|baby|"
    r"infants?|boys?|girls?|siblings?|teenagers?|adolescents?|UASC|pupils?)\b"
    r"(?!['\u2019]s\b)"  # "two children's homes" counts homes
)
_NUMBER = r"(?P<n>\d{1,3}(?:,\d{3})*|" + "|".join(sorted(WORDS, key=len, reverse=True)) + ")"
_PATTERN = re.compile(
    r"(?<![\w£$.,\-/])(?<!\bin\s)(?<!aged\s)" + _NUMBER + r"\s+" + PEOPLE, re.IGNORECASE
)


@dataclass(frozen=True)
class SmallCount:
    """A small count of people found in text: where, the number and the words."""

    where: str
    line: int
    count: int
    text: str

    def __str__(self) -> str:
        return f"{self.where}, line {self.line}: '{self.text}' (a count of {self.count})"


def small_counts(text: str, where: str, small_max: int = SMALL_MAX) -> list[SmallCount]:
    """Every count of people from 1 to ``small_max`` written in ``text``."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _PATTERN.finditer(line):
            raw = match.group("n").lower()
            value = WORDS.get(raw) if raw in WORDS else int(raw.replace(",", ""))
            if value is not None and 1 <= value <= small_max:
                found.append(SmallCount(where, number, value, match.group(0)))
    return found
