"""A record of records (one per key: a short-break type, a plan, a programme), each knowing
which of its figures count children, for the wider duty's measures (issue 19)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sufficiency.disclosure import SMALL_MAX
from sufficiency.results import Record


@dataclass(frozen=True)
class Rows(Record):
    """Named records (``key -> Record``): each hides its own small child counts and the figures
    derived from them; the JSON is ``{key: {figure: value}}`` (a matrix in the statement)."""

    def suppressed(self, small_max: int = SMALL_MAX) -> Rows:
        return replace(
            self,
            fields={
                k: v.suppressed(small_max) if isinstance(v, Record) else v
                for k, v in self.fields.items()
            },
        )


def rows(
    figures: Mapping[str, Mapping[str, Any]],
    child_keys: tuple[str, ...],
    derived_keys: tuple[str, ...] = (),
    unit: str = "number",
) -> Rows:
    """A :class:`Rows` of ``{key: {figure: value}}`` whose records share ``child_keys`` (counts
    of children) and ``derived_keys`` (nights, cost and averages built on them)."""
    return Rows(
        {k: Record(dict(v), child_keys, derived_keys, unit=unit) for k, v in figures.items()},
        unit=unit,
    )
