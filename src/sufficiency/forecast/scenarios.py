"""Scenarios: what changes if the council's plans work (YAML or JSON files).

```yaml
name: step_down
description: 8 children move from residential to fostering in 2023-24
rates:                        # change transition rates (daily rates are per year / 365.24)
  - {from: external_residential, to: NOT_IN_CARE, multiply: 1.2}
  - {from: ifa, to: in_house_fostering, add_per_year: 0.05, start: 2024-04-01}
entries:                      # change entry rates
  - {category: external_residential, multiply: 0.5}
  - {add_per_year: 10}        # 10 more entrants a year, in the baseline mix
entry_rate_target: {per_10k: 30, start: 2024-04-01}   # entrants a year per 10,000 under 18
population_growth: 0.01       # under-18 population grows 1% a year (scales entrants)
moves:                        # planned moves: N children from A to B within a period
  - {from: external_residential, to: in_house_fostering, number: 8,
     start: 2023-04-01, end: 2024-03-31}
diversions:                   # early help / edge of care: children kept from entering care
  - {programme: family group conferencing, per_quarter: 7, start: 2024-04-01}
leaving:                      # permanence plans and returns home: children leaving care
  - {plan: reunification, per_quarter: 7, start: 2024-04-01, end: 2025-03-31}
  - {plan: sgo, from: family_and_friends, per_quarter: 2, start: 2024-04-01, end: 2026-03-31}
uasc: {arrivals_per_year: 12, transfers_in_per_year: 0, transfers_out_per_year: 4}
dolo: {orders_per_year: 2}    # deprivation-of-liberty orders made a year
```

``from`` / ``to`` / ``category`` are the model config's category names; ``to`` may also be
``NOT_IN_CARE``; ``age`` (optional) restricts to one age bracket. Dates are ISO.
``diversions`` and ``leaving`` are the drivers of a planned trajectory (the interventions and
permanence plans registers): a diversion takes its children a quarter off the entrants (in the
baseline mix of the category and age given, after any entry-rate target); a leaving takes them
out of care (from the category given, else from every category in proportion to its children).
Both are exact in expectation and in every simulation, like planned moves. ``uasc`` and ``dolo``
are the assumptions of the two demand streams (``measures.demand_streams``): blank arrivals or
orders keep the last year's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sufficiency.config_files import validated
from sufficiency.forecast_limits import ANNUAL_RATE_RANGE
from sufficiency.strict_load import DuplicateKeyError, load_text

EXIT_NAMES = ("NOT_IN_CARE", "not_in_care", "exit")
#: ``from`` of a planned move out of care that takes children from every category.
ANY_CATEGORY = "*"


class _Assumption(BaseModel):
    """A part of a scenario file: read-only, no unknown key, and no number that is not finite
    (``.inf`` or ``.nan`` in YAML printed NaN in the forecast's JSON, which is then not JSON)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


#: A rate a year as a fraction (``forecast_limits``): population growth of 50 (for 50%) grew the
#: demo's 168 children to 4.3 million, and -2 stopped the forecast with a traceback.
AnnualRate = Annotated[float, Field(ge=ANNUAL_RATE_RANGE[0], le=ANNUAL_RATE_RANGE[1])]


class RateAdjustment(_Assumption):
    """Multiply (or add to) daily transition rates from ``from`` to ``to``."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str | None = Field(None, alias="from")
    to: str | None = None
    age: str | None = None
    multiply: float = Field(1.0, ge=0)
    add_per_year: float = 0.0
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _need_to(self) -> RateAdjustment:
        if self.add_per_year and self.to is None:
            raise ValueError("add_per_year needs `to` (the destination category or NOT_IN_CARE)")
        return self


class EntryAdjustment(_Assumption):
    """Multiply entry rates (optionally of one category / age bracket) or add entrants a year."""

    category: str | None = None
    age: str | None = None
    multiply: float = Field(1.0, ge=0)
    add_per_year: float = 0.0
    start: dt.date | None = None
    end: dt.date | None = None


class EntryRateTarget(_Assumption):
    """Entrants a year per 10,000 children under 18, from ``start`` on (baseline mix kept)."""

    per_10k: float = Field(ge=0)
    start: dt.date | None = None


class PlannedMove(_Assumption):
    """Move ``number`` children from category A to B evenly over ``start..end`` (inclusive)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    number: float = Field(gt=0)
    start: dt.date
    end: dt.date
    age: str | None = None

    @model_validator(mode="after")
    def _order(self) -> PlannedMove:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


def quarters(start: dt.date, end: dt.date, year_in_days: float) -> float:
    """Quarters from ``start`` to ``end`` inclusive: whole calendar months / 3 when the period
    runs from a day of the month to the day before it (1 April to 31 March: 4), else its days
    over a quarter of ``year_in_days``."""
    after = end + dt.timedelta(days=1)
    if after.day == start.day:
        return ((after.year - start.year) * 12 + after.month - start.month) / 3
    return ((end - start).days + 1) / (year_in_days / 4)


class Diversion(_Assumption):
    """An early-help or edge-of-care programme: ``per_quarter`` children kept from entering
    care each quarter from ``start`` to ``end`` (open-ended when blank)."""

    programme: str = ""
    per_quarter: float = Field(gt=0)
    category: str | None = None
    age: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def daily(self, year_in_days: float) -> float:
        """Children diverted a day: over a dated period exactly ``per_quarter`` x its quarters,
        spread evenly; open-ended, ``per_quarter`` x 4 a year."""
        if self.start is None or self.end is None:
            return self.per_quarter * 4 / year_in_days
        days = (self.end - self.start).days + 1
        return self.per_quarter * quarters(self.start, self.end, year_in_days) / days

    @model_validator(mode="after")
    def _order(self) -> Diversion:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Leaving(_Assumption):
    """Permanence plans achieved or children returned home: ``per_quarter`` children leave care
    each quarter from ``start`` to ``end``, beyond those the baseline expects to leave."""

    model_config = ConfigDict(populate_by_name=True)

    plan: str = ""
    per_quarter: float = Field(gt=0)
    from_: str | None = Field(None, alias="from")
    age: str | None = None
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _order(self) -> Leaving:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def number(self, year_in_days: float) -> float:
        """Children leaving over the whole period: ``per_quarter`` x its quarters."""
        return self.per_quarter * quarters(self.start, self.end, year_in_days)


class UascAssumption(_Assumption):
    """Unaccompanied children a year: arrivals (blank: the last year's) and National Transfer
    Scheme transfers into and out of the council's care."""

    arrivals_per_year: float | None = Field(None, ge=0)
    transfers_in_per_year: float = Field(0.0, ge=0)
    transfers_out_per_year: float = Field(0.0, ge=0)


class DoloAssumption(_Assumption):
    """Deprivation-of-liberty orders made a year (blank: the last year's)."""

    orders_per_year: float | None = Field(None, ge=0)


class Scenario(_Assumption):
    """A named set of adjustments; the scenario with none is ``baseline``."""

    name: str = Field(min_length=1)
    description: str = ""
    rates: tuple[RateAdjustment, ...] = ()
    entries: tuple[EntryAdjustment, ...] = ()
    entry_rate_target: EntryRateTarget | None = None
    population_growth: AnnualRate = 0.0
    moves: tuple[PlannedMove, ...] = ()
    diversions: tuple[Diversion, ...] = ()
    leaving: tuple[Leaving, ...] = ()
    uasc: UascAssumption | None = None
    dolo: DoloAssumption | None = None
    #: Supply assumptions read by ``sufficiency gap`` (supply.gap); the forecast ignores them,
    #: so one scenario file serves both commands.
    capacity: tuple[dict[str, object], ...] = ()
    recruitment: dict[str, object] | None = None

    def check_names(self, categories: tuple[str, ...], brackets: tuple[str, ...]) -> None:
        """Raise ScenarioError naming the first category or bracket the model does not have."""
        cats = set(categories)

        def cat(value: str | None, where: str, allow_exit: bool = False) -> None:
            if value is None or (allow_exit and value in EXIT_NAMES):
                return
            if value not in cats:
                raise ScenarioError(
                    f"scenario {self.name}: {where}: unknown category {value!r} "
                    f"(expected one of {', '.join(categories)})"
                )

        def age(value: str | None, where: str) -> None:
            if value is not None and value not in brackets:
                raise ScenarioError(
                    f"scenario {self.name}: {where}: unknown age bracket {value!r} "
                    f"(expected one of {', '.join(brackets)})"
                )

        for i, r in enumerate(self.rates):
            cat(r.from_, f"rates[{i}].from")
            cat(r.to, f"rates[{i}].to", allow_exit=True)
            age(r.age, f"rates[{i}].age")
        for i, m in enumerate(self.moves):
            cat(m.from_, f"moves[{i}].from")
            cat(m.to, f"moves[{i}].to")
            age(m.age, f"moves[{i}].age")
        # entrants and drivers: one category (or source) and an age bracket each
        groups: tuple[tuple[str, Sequence[EntryAdjustment | Diversion | Leaving], str], ...] = (
            ("entries", self.entries, "category"),
            ("diversions", self.diversions, "category"),
            ("leaving", self.leaving, "from"),
        )
        for key, items, field in groups:
            for i, x in enumerate(items):
                value = x.from_ if isinstance(x, Leaving) else x.category
                cat(value, f"{key}[{i}].{field}")
                age(x.age, f"{key}[{i}].age")

    def acts_on_counts(self, hidden: Collection[str]) -> bool:
        """True when the scenario less the baseline follows a count a published output does
        not give: a rate change, move or leaving from a ``hidden`` placement type, or one
        restricted to an age bracket (a type's children of an age are published nowhere). A
        move of more children than there are takes them all, and a rate on a group, a month
        in, is that many children times the rate. The answer reads only what is published
        (which types are hidden, the scenario file): decided on the counts themselves (was
        a move capped?), a pair of scenarios moving k and k+1 gave a hidden count away."""
        acting: list[RateAdjustment | PlannedMove | Leaving] = [
            *self.rates,
            *self.moves,
            *self.leaving,
        ]
        return any(x.age is not None or (x.from_ is not None and x.from_ in hidden) for x in acting)

    def exit_moves(self, year_in_days: float) -> tuple[PlannedMove, ...]:
        """Each ``leaving`` as a planned move out of care (``from`` blank: every category)."""
        return tuple(
            PlannedMove.model_validate(
                {
                    "from": g.from_ or ANY_CATEGORY,
                    "to": EXIT_NAMES[0],
                    "number": g.number(year_in_days),
                    "start": g.start,
                    "end": g.end,
                    "age": g.age,
                }
            )
            for g in self.leaving
        )


BASELINE = Scenario(name="baseline")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and field."""


def scenario_from_mapping(raw: object, source: str = "scenario") -> Scenario:
    """Validate a parsed scenario mapping."""
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: a scenario must be a mapping with at least `name`")
    return validated(Scenario, raw, source, ScenarioError, whole="scenario")


def load_scenarios(paths: Path | str | Iterable[Path | str]) -> list[Scenario]:
    """Read scenarios from YAML or JSON files: each holds one scenario (a mapping) or several
    (a list). Names must be unique across all files."""
    if isinstance(paths, Path | str):
        paths = [paths]
    out: list[Scenario] = []
    for item in paths:
        out.extend(_load_file(Path(item)))
    seen: set[str] = set()
    for s in out:
        if s.name in seen:
            raise ScenarioError(f"scenario name {s.name!r} is used twice")
        seen.add(s.name)
    return out


def _load_file(path: Path) -> list[Scenario]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read scenario file: {exc}") from None
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    try:
        raw = load_text(text, kind == "JSON", str(path))
    except DuplicateKeyError as exc:
        raise ScenarioError(str(exc)) from None
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: not valid {kind}: {exc}") from None
    if isinstance(raw, list):
        return [scenario_from_mapping(item, f"{path} [{i}]") for i, item in enumerate(raw)]
    return [scenario_from_mapping(raw, str(path))]
