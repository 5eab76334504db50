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
```

``from`` / ``to`` / ``category`` are the model config's category names; ``to`` may also be
``NOT_IN_CARE``; ``age`` (optional) restricts to one age bracket. Dates are ISO.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sufficiency.config_files import validated

EXIT_NAMES = ("NOT_IN_CARE", "not_in_care", "exit")


class RateAdjustment(BaseModel):
    """Multiply (or add to) daily transition rates from ``from`` to ``to``."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

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


class EntryAdjustment(BaseModel):
    """Multiply entry rates (optionally of one category / age bracket) or add entrants a year."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str | None = None
    age: str | None = None
    multiply: float = Field(1.0, ge=0)
    add_per_year: float = 0.0
    start: dt.date | None = None
    end: dt.date | None = None


class EntryRateTarget(BaseModel):
    """Entrants a year per 10,000 children under 18, from ``start`` on (baseline mix kept)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    per_10k: float = Field(ge=0)
    start: dt.date | None = None


class PlannedMove(BaseModel):
    """Move ``number`` children from category A to B evenly over ``start..end`` (inclusive)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

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


class Scenario(BaseModel):
    """A named set of adjustments; the scenario with none is ``baseline``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    rates: tuple[RateAdjustment, ...] = ()
    entries: tuple[EntryAdjustment, ...] = ()
    entry_rate_target: EntryRateTarget | None = None
    population_growth: float = 0.0
    moves: tuple[PlannedMove, ...] = ()
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
        for i, e in enumerate(self.entries):
            cat(e.category, f"entries[{i}].category")
            age(e.age, f"entries[{i}].age")
        for i, m in enumerate(self.moves):
            cat(m.from_, f"moves[{i}].from")
            cat(m.to, f"moves[{i}].to")
            age(m.age, f"moves[{i}].age")


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
        raw = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: not valid {kind}: {exc}") from None
    if isinstance(raw, list):
        return [scenario_from_mapping(item, f"{path} [{i}]") for i, item in enumerate(raw)]
    return [scenario_from_mapping(raw, str(path))]
