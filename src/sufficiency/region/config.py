"""REGION.toml: the member councils of a region and what each shares (issue 21).

```toml
name = "West Midlands pathfinder"
# small_count_max = 5                      # the region's threshold (default: its councils')

[[members]]
code = "E06000019"
share = "shares/E06000019.zip"             # an exported share ...
pool = ["in_house_carer", "block"]         # vacancies offered to the region (provider kinds
                                           # or contract kinds; default: none)
[[members]]
code = "E06000051"
data = "../shropshire"                     # ... or a data folder (minimised when loaded)

[block_contract]                           # optional: price a regional block contract
placement_type = "external_residential"
places = 4
weekly_price = 4800.0
```

Paths are relative to the REGION.toml file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.profile import CouncilCode

#: What a member may offer the regional pool: provider kinds or contract kinds of vacancies.
POOL_KINDS = (
    "in_house_carer",
    "ifa",
    "children_home",
    "supported_accommodation",
    "in_house",
    "block",
    "framework",
    "spot",
)


class RegionError(ValueError):
    """A REGION.toml that cannot be used, with the file and field named."""


class Member(BaseModel):
    """One member council: its share or its data folder, and what it offers the pool."""

    code: CouncilCode
    share: Path | None = None
    data: Path | None = None
    pool: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_source(self) -> Member:
        if (self.share is None) == (self.data is None):
            raise ValueError("give exactly one of share (a share zip) or data (a DATA folder)")
        unknown = [k for k in self.pool if k not in POOL_KINDS]
        if unknown:
            raise ValueError(f"pool: unknown {unknown}; expected any of {', '.join(POOL_KINDS)}")
        return self


class BlockContract(BaseModel):
    """A regional block contract to price against spot purchase."""

    placement_type: str
    places: int = Field(gt=0)
    weekly_price: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _known(self) -> BlockContract:
        if self.placement_type not in PLACEMENT_TYPES:
            raise ValueError(f"placement_type {self.placement_type!r} is not a placement type id")
        return self


class RegionConfig(BaseModel):
    """A region: its name, members, threshold and the block contract to price."""

    name: str
    members: tuple[Member, ...] = Field(min_length=1)
    small_count_max: int | None = Field(default=None, ge=5)
    block_contract: BlockContract | None = None

    @model_validator(mode="after")
    def _distinct(self) -> RegionConfig:
        codes = [m.code for m in self.members]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"members: {', '.join(twice)} listed more than once")
        return self


def load_region(path: Path) -> RegionConfig:
    """Read REGION.toml; member paths are made relative to its folder. RegionError when bad."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegionError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegionError(f"{path}: not TOML: {exc}") from None
    try:
        config = RegionConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise RegionError(f"{path}: {where}: {first['msg']}") from None
    base = Path(path).resolve().parent
    members = tuple(
        m.model_copy(
            update={
                "share": None if m.share is None else base / m.share,
                "data": None if m.data is None else base / m.data,
            }
        )
        for m in config.members
    )
    return config.model_copy(update={"members": members})
