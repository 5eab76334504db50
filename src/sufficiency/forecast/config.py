"""Model configurations: which states (age bracket x placement category) and how to count them.

A config is YAML (``forecast/configs/<name>.yaml`` or any file). ``standard-v1`` reproduces the
cs-demand-model peer's counting; ``default`` keys categories by LA placement type ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.config_files import validated
from sufficiency.strict_load import DuplicateKeyError, load_yaml

CONFIG_DIR = Path(__file__).parent / "configs"


class AgeBracket(BaseModel):
    """An age bracket ``min <= age < max`` (years); ``length_in_days`` drives fixed ageing."""

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    name: str
    min: float
    max: float
    length_in_days: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _span(self) -> AgeBracket:
        if self.max <= self.min:
            raise ValueError(
                f"age bracket {self.name}: max {self.max:g} must exceed min {self.min:g}"
            )
        return self

    def daily_ageing(self) -> float:
        """Fixed daily probability of ageing out of the bracket (the peer's rule: 1 / length)."""
        length = self.length_in_days
        if length is None:
            length = (self.max - self.min) * 365
        return 1.0 / length


class ModelConfig(BaseModel):
    """A transition model's state space and counting rules."""

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    name: str
    description: str = ""
    #: days a year of rates is counted over (0 divided by zero; .nan printed NaN, not JSON)
    year_in_days: float = Field(default=365.24, ge=360, le=370)
    category_source: Literal["place", "placement_type"] = "placement_type"
    age_basis: Literal["episode_start", "daily"] = "daily"
    ageing: Literal["fixed", "observed"] = "observed"
    exclude_short_breaks: bool = True
    #: ``peer``: the cs-demand-model treatment - every return's episodes merged latest row
    #: wins (``Dataset.history``, not the authoritative timeline), then its own repairs.
    episode_repair: Literal["peer", "none"] = "none"
    reference_months: int = Field(12, ge=1, le=120)
    reference_end: Literal["last_event", "data_end"] = "data_end"
    #: category name -> codes mapped to it (PLACE codes, or placement type ids; empty = itself).
    categories: dict[str, tuple[str, ...]]
    age_brackets: tuple[AgeBracket, ...]

    @model_validator(mode="after")
    def _check(self) -> ModelConfig:
        if not self.categories:
            raise ValueError("categories: at least one category is needed")
        if not self.age_brackets:
            raise ValueError("age_brackets: at least one bracket is needed")
        for a, b in zip(self.age_brackets, self.age_brackets[1:], strict=False):
            if a.max != b.min:
                raise ValueError(
                    f"age_brackets: {a.name} ends at {a.max} but {b.name} starts at {b.min}"
                )
        if self.category_source == "placement_type":
            known = set(PLACEMENT_TYPES)
            for cat, codes in self.categories.items():
                for code in codes or (cat,):
                    if code not in known:
                        raise ValueError(
                            f"categories.{cat}: {code!r} is not an LA placement type id"
                        )
        return self

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(self.categories)

    @property
    def bracket_names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.age_brackets)

    @property
    def other_category(self) -> str:
        """Where unmapped codes go: ``OTHER``/``other`` when present, else the last category."""
        for name in ("OTHER", "other"):
            if name in self.categories:
                return name
        return self.category_names[-1]

    def code_map(self) -> dict[str, str]:
        """Code (PLACE or placement type id) -> category name."""
        mapping: dict[str, str] = {}
        for cat, codes in self.categories.items():
            for code in codes or ((cat,) if self.category_source == "placement_type" else ()):
                mapping[code] = cat
        return mapping


class ConfigError(ValueError):
    """A model config that cannot be read; the message names the file and field."""


def _from_mapping(raw: object, source: str) -> ModelConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a model config must be a YAML mapping")
    data = dict(raw)
    brackets = data.get("age_brackets")
    if isinstance(brackets, dict):
        data["age_brackets"] = [{"name": k, **(v or {})} for k, v in brackets.items()]
    cats = data.get("categories")
    if isinstance(cats, dict):
        data["categories"] = {k: tuple(v or ()) for k, v in cats.items()}
    return validated(ModelConfig, data, source, ConfigError, whole="config")


def available_configs() -> tuple[str, ...]:
    """Names of the configs shipped with the package."""
    return tuple(sorted(p.stem for p in CONFIG_DIR.glob("*.yaml")))


def load_model_config(name_or_path: str | Path | ModelConfig = "default") -> ModelConfig:
    """A shipped config by name (``default``, ``standard-v1``) or a YAML file path."""
    if isinstance(name_or_path, ModelConfig):
        return name_or_path
    text = str(name_or_path)
    shipped = CONFIG_DIR / f"{text}.yaml"
    path = shipped if shipped.exists() else Path(text)
    if not path.exists():
        raise ConfigError(
            f"model config {text!r}: not a shipped config ({', '.join(available_configs())}) "
            "and no such file"
        )
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except DuplicateKeyError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    return _from_mapping(raw, str(path))
