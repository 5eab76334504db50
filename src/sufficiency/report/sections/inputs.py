"""What every section is given: the typed results and register rows of one statement.

The orchestrator (``report.build``) computes these once from the Dataset, protected in
publish mode; sections only lay them out, so every output shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sufficiency.report.sources import ComparedAreas

if TYPE_CHECKING:
    import polars as pl

    from sufficiency.measures.catalogue import Measure
    from sufficiency.measures.comparators import Comparator
    from sufficiency.report.last_statement import PreviousStatement
    from sufficiency.report.sign_off import SignOff
    from sufficiency.report.sources import YearValues

Mode = Literal["publish", "internal"]


@dataclass(frozen=True)
class StatementInputs:
    """The results one statement lays out (suppressed in publish mode)."""

    year: int
    mode: Mode
    #: Every shown year's measures, oldest first; the last is the statement year.
    years: Sequence[YearValues]
    #: Published comparators (England, region, statistical neighbours).
    marks: Sequence[Comparator]
    #: The measure catalogue (id -> Measure).
    info: Mapping[str, Measure]
    #: Years of the SSDA903 returns loaded.
    returns: Sequence[int]
    #: Registers the council supplied with rows, in the order loaded.
    registers: Sequence[str]
    #: SSDA903 tables present with rows (``oc3``, ...).
    tables: frozenset[str]
    small_count_max: int
    key_messages: Sequence[str] = ()
    #: Publish mode: titles of the measures withheld (no suppression could protect them).
    withheld: Sequence[str] = ()
    #: The under-18 population's ethnic make-up (% by group), when the council gives it.
    population_ethnicity: Mapping[str, float] | None = None
    #: The baseline forecast's JSON, ``{"error": why}`` when it could not run.
    forecast: Mapping[str, Any] | None = None
    #: The baseline gap's JSON, None without supply registers.
    gap: Mapping[str, Any] | None = None
    #: Register rows laid out as supplied (the action plan, the targets).
    actions: pl.DataFrame | None = None
    targets: pl.DataFrame | None = None
    #: The optional finance register (budget and outturn by placement type and year).
    finance: pl.DataFrame | None = None
    #: Internal mode only: children placed 100 miles or more from home.
    far_children: pl.DataFrame | None = None
    #: The council's last published statement (``statement --previous``), if given.
    previous: PreviousStatement | None = None
    #: Who approved the statement and when (``narrative/sign_off.md``), None without the file.
    sign_off: SignOff | None = None
    #: ``statement --scenario``: each scenario's gap JSON (its need from the scenario's
    #: forecast) and description, by scenario name (the forecast JSON holds their paths).
    scenario_gaps: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    scenario_descriptions: Mapping[str, str] = field(default_factory=dict)
    #: The region, statistical neighbours and neighbouring councils compared with, by name.
    areas: ComparedAreas = field(default_factory=ComparedAreas)
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def cur(self) -> YearValues:
        """The statement year's measures."""
        return self.years[-1]

    def has_register(self, name: str) -> bool:
        return name in self.registers
