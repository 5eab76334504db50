"""Scoring configuration: the weight of each named component and how its points are earned.

Defaults sum to 100 points, so an option's score reads as "out of 100". A council overrides any
of them in a YAML file (``sufficiency match DATA REF.json --weights weights.yaml``)::

    weights: {distance_home: 25, contract: 5}
    distance_zero_miles: 60
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sufficiency.config_files import validated

#: Component names in the order reasons are shown.
COMPONENTS: tuple[str, ...] = (
    "requested_type",
    "suitability",
    "distance_home",
    "distance_school",
    "location",
    "preferred_location",
    "contract",
    "rating",
    "cost",
    "skills",
    "culture",
    "siblings_together",
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "requested_type": 10.0,
    "suitability": 5.0,
    "distance_home": 15.0,
    "distance_school": 10.0,
    "location": 10.0,
    "preferred_location": 5.0,
    "contract": 10.0,
    "rating": 10.0,
    "cost": 10.0,
    "skills": 5.0,
    "culture": 5.0,
    "siblings_together": 5.0,
}


#: The most points a component may weigh (weights are relative; 1e308 overflowed every score).
MAX_WEIGHT = 1000.0
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]
#: A share of a component's points.
Share = Annotated[float, Field(ge=0, le=1)]


class ScoringConfig(BaseModel):
    """Weights (maximum points) per component and the shape of each component's curve. Every
    number is finite (a weight of .nan scored every vacancy NaN, and printed NaN: not JSON)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    weights: dict[str, Weight] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    #: Distances up to this earn full distance points ...
    distance_full_miles: float = Field(default=5.0, ge=0)
    #: ... falling linearly to none at this distance.
    distance_zero_miles: float = Field(default=50.0, gt=0)
    #: Share of the location points for each band.
    location_points: dict[str, Share] = Field(
        default_factory=lambda: {"inside": 1.0, "neighbouring": 0.5, "distant": 0.0, "unknown": 0.0}
    )
    #: Share of the contract points for each tier (in-house > block > framework > spot).
    contract_points: dict[str, Share] = Field(
        default_factory=lambda: {"in_house": 1.0, "block": 0.75, "framework": 0.5, "spot": 0.0}
    )
    #: Share of the rating points for each Ofsted judgement; "" = no rating (foster carers).
    rating_points: dict[str, Share] = Field(
        default_factory=lambda: {
            "outstanding": 1.0,
            "good": 0.75,
            "requires_improvement": 0.25,
            "not_yet_inspected": 0.5,
            "": 0.75,
        }
    )
    #: Over budget by this share of the budget earns no cost points (0.5 = 50% over).
    over_budget_zero: float = Field(default=0.5, gt=0)
    #: Share of the requested-type points for a vacancy of the same group but another type.
    requested_group_share: float = Field(default=0.5, ge=0, le=1)

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(COMPONENTS))
        if unknown:
            raise ValueError(
                f"unknown component(s) {', '.join(unknown)}; known: {', '.join(COMPONENTS)}"
            )
        merged = dict(DEFAULT_WEIGHTS)
        merged.update({k: float(w) for k, w in v.items()})
        return merged

    @model_validator(mode="after")
    def _distances(self) -> ScoringConfig:
        if self.distance_full_miles >= self.distance_zero_miles:
            raise ValueError(
                f"distance_full_miles ({self.distance_full_miles:g}) must be less than "
                f"distance_zero_miles ({self.distance_zero_miles:g}): points fall from full to "
                "none between them"
            )
        return self

    def weight(self, name: str) -> float:
        return float(self.weights.get(name, 0.0))


def load_config(path: Path) -> ScoringConfig:
    """Read a YAML scoring config; raise ValueError naming the file and the bad field."""
    import yaml

    from sufficiency.strict_load import DuplicateKeyError, load_yaml

    try:
        raw = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    except DuplicateKeyError as exc:
        raise ValueError(str(exc)) from None
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read scoring config: {exc}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of settings")
    return validated(ScoringConfig, raw, str(path), ValueError, whole="scoring config")
