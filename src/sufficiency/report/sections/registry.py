"""The statement's section registry: each section module declares itself once (id, title, order,
the part it opens, what it needs) and the orchestrator builds every registered section in order.

A new section is a new module under ``report/sections/`` that calls :func:`section` on its
builder and is a module of ``sections``; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sufficiency.report.model import Block
    from sufficiency.report.sections.inputs import StatementInputs

Builder = Callable[["StatementInputs"], "list[Block]"]


@dataclass(frozen=True)
class SectionSpec:
    """A section's declaration: what it is called, where it goes and what it reads.

    ``trend`` names the catalogue measures the section shows for the years before the
    statement year (the statement computes only those for earlier years); ``needs`` names the
    other results it lays out (``forecast``, ``gap``, ``registers:<name>``, ...), for the
    documentation and the placeholders; ``part`` starts a major part of the printed statement
    (a page break before it).
    """

    id: str
    title: str
    order: int
    build: Builder
    trend: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    part: bool = False


_REGISTRY: dict[str, SectionSpec] = {}


def section(
    id: str,
    title: str,
    order: int,
    *,
    trend: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
    part: bool = False,
) -> Callable[[Builder], Builder]:
    """Register the decorated builder as the statement section ``id``."""

    def register(build: Builder) -> Builder:
        if id in _REGISTRY and _REGISTRY[id].build is not build:
            raise ValueError(f"statement section {id!r} is registered twice")
        _REGISTRY[id] = SectionSpec(id, title, order, build, trend, needs, part)
        return build

    return register


def registered() -> list[SectionSpec]:
    """Every registered section, in statement order (``order``, then id)."""
    from sufficiency.report.sections import load_all

    load_all()
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.id))
