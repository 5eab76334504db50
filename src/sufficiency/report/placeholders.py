"""Placeholders: what the council should add to complete its statement.

In an internal statement a section whose data is missing says what would fill it. A published
statement may not carry one: optional placeholders (a comparison beside a table that is shown)
are left out of it, and while a required one remains ``check_complete`` refuses it with
``PlaceholdersRemain``, naming each section and what to add.
"""

from __future__ import annotations

from sufficiency.report.model import Section, StatementData


class PlaceholdersRemain(ValueError):
    """A publish-mode statement still has sections waiting for the council's data."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            f"the statement cannot be published: {len(missing)} section(s) still need the "
            "council's data (write an internal statement to see them): " + "; ".join(missing)
        )


def remaining(sections: list[Section]) -> list[str]:
    """Every required placeholder as 'section: what is missing (add ...)'."""
    return [
        f"{s.title}: {b.placeholder.title} (add {b.placeholder.needs})"
        for s in sections
        for b in s.blocks
        if b.placeholder is not None and b.placeholder.required
    ]


def drop_optional(sections: list[Section]) -> None:
    """Leave the optional placeholders out (a published statement does not carry them)."""
    for s in sections:
        s.blocks = [b for b in s.blocks if b.placeholder is None or b.placeholder.required]


def check_complete(data: StatementData) -> None:
    """Publish mode: raise ``PlaceholdersRemain`` while any required placeholder remains."""
    if data.mode != "publish":
        return
    missing = remaining(data.sections)
    if missing:
        raise PlaceholdersRemain(missing)
