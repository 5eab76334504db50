"""The DfE's own wording of the measures it publishes, for definitions a reader can check.

Built from the Local Authority Interactive Tool's data dictionary (its Methodology column, else
its Description) by ``scripts/build_benchmarks.py``; keyed by our measure id.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sufficiency.published.tables import table


@dataclass(frozen=True)
class PublishedDefinition:
    """A measure as the DfE defines it: its wording, whom to credit and where it is published."""

    measure_id: str
    definition: str
    source: str
    link: str


@cache
def _definitions() -> dict[str, PublishedDefinition]:
    return {
        r["measure_id"]: PublishedDefinition(
            r["measure_id"], r["definition"], r["source"], r["link"]
        )
        for r in table("definitions").iter_rows(named=True)
    }


def published_definition(measure_id: str) -> PublishedDefinition | None:
    """The DfE's wording of ``measure_id``, or None when the DfE publishes no such measure."""
    return _definitions().get(measure_id)
