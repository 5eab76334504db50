"""Small counts of people written in prose: the council's narrative and generated text.

Tables are protected figure by figure; prose is not, so a publish-mode statement is refused
when its text says "3 children" or "two young people" (a count from 1 to the threshold followed
by words for people). Ages ("aged 3", "3-year-olds"), years, percentages and money are not
counts of people and pass. Text written in Markdown is read as written and as printed
(``visible_text`` of its HTML), so that markup around the number ("**3** children") hides nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

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
    r"(?:(?:more|fewer|other|additional|further|new|young|younger|older|teenage|looked[- ]after|"
    r"cared[- ]for|foster(?:ed)?|adopted|disabled|vulnerable|local|female|male|pregnant|"
    r"unaccompanied|care[- ]experienced|separated|asylum[- ]seeking|of\s+(?:our|the|these|those))\s+)*"
    r"(?:children|child|young\s+(?:people|person|adults?|women|woman|men|man)|"
    r"care\s+leavers?|babies|baby|infants?|boys?|girls?|siblings?|teenagers?|adolescents?|"
    r"minors?|UASC|CYP|YP|LAC|CLA|CiC|pupils?)\b"
    r"(?!['\u2019]s\b)"  # "two children's homes" counts homes
)
_NUMBER = r"(?P<n>\d{1,3}(?:,\d{3})*|" + "|".join(sorted(WORDS, key=len, reverse=True)) + ")"
#: What may stand between a number and its people: a range's other end ("3-5", "3 to 5"), the
#: number again in words ("3 (three)").
_BETWEEN = r"(?:\s*(?:-|\u2013|to)\s*\d{1,3})?(?:\s*\(\s*[a-z]+\s*\))?"
_PATTERN = re.compile(
    r"(?<![\w£$.,\-/])(?<!\bin\s)(?<!aged\s)" + _NUMBER + _BETWEEN + r"\s+" + PEOPLE,
    re.IGNORECASE,
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


def small_counts_marked_up(
    source: str, html: str, where: str, small_max: int = SMALL_MAX
) -> list[SmallCount]:
    """Every small count of people in text written in a markup language (the council's
    Markdown), read as written (``source``) and as printed (``visible_text`` of its rendering
    ``html``, where emphasis, entities and line breaks no longer part a number from its words;
    raw HTML the renderer escaped prints as tags, which a reader reads past too). A count is
    given as often as the reading that finds it most often does, with that reading's line (a
    paragraph a line as printed)."""
    printed = visible_text(html)
    past_tags = "\n".join(" ".join(visible_text(line).split()) for line in printed.split("\n"))
    found: list[SmallCount] = []
    reported: Counter[tuple[int, str]] = Counter()
    for reading in (source, printed, past_tags):
        seen: Counter[tuple[int, str]] = Counter()
        for count in small_counts(reading, where, small_max):
            seen[_key(count)] += 1
            if seen[_key(count)] > reported[_key(count)]:
                found.append(count)
                reported[_key(count)] += 1
    return found


def _key(found: SmallCount) -> tuple[int, str]:
    return found.count, " ".join(found.text.lower().split())


#: Elements a reader sees as blocks of their own: each starts a new line of ``visible_text``.
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
#: Attributes whose words a reader is given too (a screen reader's alt text, a tooltip).
READ_ATTRIBUTES = ("alt", "title")


def visible_text(html: str) -> str:
    """The text a reader sees of ``html``: tags removed, entities decoded, every run of
    whitespace (line breaks and no-break spaces too) one space, and a line for each block."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    lines = "".join(reader.parts).split("\n")
    return "\n".join(line for raw in lines if (line := " ".join(raw.split())))


class _Reader(HTMLParser):
    """Collects the text of HTML as ``visible_text`` reads it (a line a block)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        self.parts += [f" {v} " for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\n", " "))  # a line break inside a block is a space
