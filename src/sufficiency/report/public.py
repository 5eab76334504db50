"""Wording for the public: a published statement names no file, register path, field code,
measure id or other council's document.

The measure catalogue's definitions are written for analysts (they cite ``registers/costs``,
``HOME_POST``, ``la.toml`` and what other councils published); a publish-mode statement shows
the DfE's own wording where the DfE publishes the measure (``published.definitions``) and
otherwise the catalogue's wording with that developer text taken out by :func:`public_text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from sufficiency.published.definitions import published_definition

if TYPE_CHECKING:
    from sufficiency.measures.catalogue import Measure

#: What only a developer reads: register paths, file names, the design file, DfE field
#: codes (HOME_POST), snake_case identifiers (measure ids, column names), change notes.
TECHNICAL = re.compile(
    r"registers/|\b[\w-]+\.(?:toml|md|csv|py|json|xlsx)\b|\bDESIGN\b|\b[A-Z]{2,}_[A-Z0-9_]+\b"
    r"|\b[a-z0-9<>]+(?:_[a-z0-9<>]+)+\b|\bissue \d+|\bdemo council\b"
)
#: Plain names for the few technical words a definition needs.
_PLAIN = (
    (re.compile(r"registers/(\w+)(?:\.csv)?"), lambda m: f"the {m[1].replace('_', ' ')} register"),
    (re.compile(r"\bHOME_POST\b"), lambda m: "the child's home postcode"),
    (re.compile(r"\bPL_POST\b"), lambda m: "the placement postcode"),
    (re.compile(r"\bPLACE_PROVIDER\b"), lambda m: "placement provider"),
    (re.compile(r"\b(?:the )?la\.toml\b"), lambda m: "the council's profile"),
)
_PAREN = re.compile(r"\s*\([^()]*\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_CLAUSE = re.compile(r"(?<=[,;])\s+")


@dataclass(frozen=True)
class PublicDefinition:
    """A measure's definition as a published statement prints it, with whom it is from."""

    title: str
    definition: str
    source: str


@cache
def council_names() -> tuple[str, ...]:
    """Every English council's name, longest first: a definition quotes no council's document
    (the catalogue cites what councils published; the statement's reader needs none of it)."""
    from sufficiency.published import all_las

    return tuple(sorted({la.name for la in all_las()}, key=len, reverse=True))


def _names(others: Iterable[str]) -> re.Pattern[str] | None:
    return _names_pattern(tuple(others))


@lru_cache(maxsize=16)
def _names_pattern(others: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of the names ``others`` as a whole word, compiled once (the list of every council's
    name is long)."""
    names = [re.escape(n) for n in others if n]
    return re.compile(r"\b(?:" + "|".join(names) + r")\b") if names else None


@lru_cache(maxsize=16)
def _ids_pattern(ids: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the measure ids ``ids`` (longest first) as a whole word, compiled once."""
    return re.compile(r"\b(?:" + "|".join(re.escape(i) for i in ids) + r")\b")


def is_public(text: str, others: Iterable[str] = ()) -> bool:
    """True when ``text`` has no developer text and names no other council."""
    names = _names(others)
    return not TECHNICAL.search(text) and not (names is not None and names.search(text))


def public_text(text: str, others: Iterable[str] = (), ids: Mapping[str, str] | None = None) -> str:
    """``text`` for the public: register paths and field codes in words, measure ids as their
    titles (``ids``), then any bracket or sentence still holding developer text, and any bracket
    or clause naming a council in ``others``, left out. May return "" (nothing was left)."""
    names = _names(others)

    def named(part: str) -> bool:
        return names is not None and bool(names.search(part))

    def bad(part: str) -> bool:
        return bool(TECHNICAL.search(part)) or named(part)

    text = plain(text)
    if ids:  # one pass over the text for every id (an id is one word: ids never overlap)
        snake = tuple(sorted((i for i in ids if "_" in i), key=len, reverse=True))
        if snake:
            text = _ids_pattern(snake).sub(lambda m: f"'{ids[m[0]]}'", text)
    text = _PAREN.sub(lambda m: "" if bad(m[0]) else m[0], text)
    kept = []
    for sentence in _SENTENCE.split(text.strip()):
        if TECHNICAL.search(sentence):
            continue
        if named(sentence):
            clauses = [c for c in _CLAUSE.split(sentence) if not named(c)]
            sentence = " ".join(clauses).rstrip(",; ")
            if not clauses:
                continue
            if not sentence.endswith((".", "!", "?")):
                sentence += "."
        kept.append(sentence)
    return " ".join(kept).strip()


def public_definition(
    measure_id: str,
    title: str,
    definition: str,
    source: str,
    *,
    others: Iterable[str] = (),
    titles: Mapping[str, str] | None = None,
) -> PublicDefinition:
    """The definition a published statement prints: the DfE's wording and its credit where the
    DfE publishes the measure, else the catalogue's wording made public (:func:`public_text`)
    with the source "the council's own returns and registers" when its own cites files."""
    dfe = published_definition(measure_id)
    if dfe is not None:
        return PublicDefinition(title, dfe.definition, f"{dfe.source}; {dfe.link}")
    names = tuple(others)
    text = public_text(definition, names, titles)
    credit = public_text(source, names) if source else ""
    return PublicDefinition(
        title, text or title, credit or "the council's SSDA903 returns and registers"
    )


def plain(text: str) -> str:
    """``text`` with register paths and field codes in words (a title keeps all its words)."""
    for pattern, words in _PLAIN:
        text = pattern.sub(words, text)
    return text


def public_catalogue(info: Mapping[str, Measure]) -> dict[str, Measure]:
    """The catalogue as a published statement shows it: each measure's title in plain words
    and its definition and source for the public (:func:`public_definition`)."""
    return dict(_public_measures(tuple(info.items())))


@lru_cache(maxsize=8)
def _public_measures(
    info: tuple[tuple[str, Measure], ...],
) -> tuple[tuple[str, Measure], ...]:
    """:func:`public_catalogue`, worked out once a process for a catalogue (the same for every
    statement: its wording took a tenth of a second a statement)."""
    titles = {m.id: plain(m.title) for _, m in info}
    out = []
    for mid, m in info:
        public = public_definition(
            mid, titles[mid], m.definition, m.source, others=council_names(), titles=titles
        )
        out.append(
            (
                mid,
                replace(m, title=public.title, definition=public.definition, source=public.source),
            )
        )
    return tuple(out)
