"""The council's own words: ``narrative/<id>.md`` attached to the statement's sections.

A file named after a registered section attaches to it: the text before a
``<!-- generated -->`` line goes above the section's numbers, the text after it below them. A
file named after one of the ``NARRATIVE_SECTIONS`` (the parts councils publish that are only
prose: a foreword, the child's voice, partnerships) becomes that section, at its place
in the statement. Any other file becomes a section of its own after the known ones, in
alphabetical order of its name, titled from it (``local_offer.md`` -> "Local offer"); ``validate``
names such files, so a misspelt name is caught before the statement is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sufficiency.ingest.problems import Problem
from sufficiency.report.model import Block, Section

GENERATED = "<!-- generated -->"


@dataclass(frozen=True)
class NarrativeSection:
    """A section that is only the council's prose: shown when its file is there."""

    id: str
    title: str
    #: Its place among the registered sections' ``order`` numbers.
    order: int


NARRATIVE_SECTIONS = (
    NarrativeSection("foreword", "Foreword", 5),
    NarrativeSection("voice_of_the_child", "The child's voice and participation", 105),
    NarrativeSection("partnerships", "Partnerships and regional arrangements", 137),
)


def known_ids() -> list[str]:
    """Every narrative id the statement knows: its registered sections, then the prose ones."""
    from sufficiency.report.sections.registry import registered

    return [s.id for s in registered()] + [s.id for s in NARRATIVE_SECTIONS]


def unknown_narrative(ids: Iterable[str]) -> list[str]:
    """The narrative ids (file stems) that match no section, sorted: each still prints as a
    section of its own, after the known ones."""
    known = set(known_ids())
    return sorted(i for i in ids if i not in known)


def narrative_problems(narrative: Mapping[str, str]) -> list[Problem]:
    """A warning for every ``narrative/*.md`` whose name matches no statement section."""
    known = ", ".join(sorted(known_ids()))
    return [
        Problem.whole_file(
            "warning",
            "narrative_unknown_section",
            f"narrative/{i}.md",
            f"no statement section is called '{i}': it will print as a section of its own "
            f"after the others; to attach it to a section, name it one of: {known}",
        )
        for i in unknown_narrative(narrative)
    ]


def title_for(narrative_id: str) -> str:
    """A section title for a narrative file the statement does not know."""
    return narrative_id.replace("_", " ").replace("-", " ").strip().capitalize() or narrative_id


def attach(
    sections: list[Section], narrative: Mapping[str, str], orders: Mapping[str, int]
) -> list[Section]:
    """The sections with every narrative file placed: attached to its section, or a section of
    its own (a known prose section at its ``order``, any other after all of them, by name)."""
    by_id = {s.id: s for s in sections}
    placed: list[tuple[tuple[int, int, str], Section]] = [
        ((orders.get(s.id, 0), 0, ""), s) for s in sections
    ]
    prose = {n.id: n for n in NARRATIVE_SECTIONS}
    last = max([*orders.values(), *(n.order for n in NARRATIVE_SECTIONS)], default=0) + 1
    for nid, text in sorted(narrative.items()):
        if not text.strip():
            continue
        before, _, after = text.partition(GENERATED)
        if nid in by_id:
            s = by_id[nid]
            if before.strip():
                s.blocks.insert(0, Block("narrative", text=before))
            if after.strip():
                s.blocks.append(Block("narrative", text=after))
            continue
        own = Section(nid, prose[nid].title if nid in prose else title_for(nid))
        own.blocks = [Block("narrative", text=t) for t in (before, after) if t.strip()]
        key = (prose[nid].order, 1, nid) if nid in prose else (last, 1, nid)
        placed.append((key, own))
    return [s for _, s in sorted(placed, key=lambda p: p[0])]
