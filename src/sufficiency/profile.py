"""The LA profile (la.toml): the council's identity only (DESIGN.md)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError, field_validator

if TYPE_CHECKING:  # imported lazily: sufficiency.ingest imports the Dataset, which imports this
    from sufficiency.ingest.problems import Problem


class LAProfile(BaseModel):
    """A council's identity: name, ONS upper-tier code, region, neighbours, under-18 population."""

    model_config = {"frozen": True}

    name: str
    code: str = Field(pattern=r"^E(06|08|09|10)\d{6}$")
    region: str = ""
    neighbours: tuple[str, ...] = ()
    population_under_18: dict[int, int] = Field(default_factory=dict)

    @field_validator("population_under_18", mode="before")
    @classmethod
    def _int_keys(cls, v: object) -> object:
        if isinstance(v, dict):
            return {int(k): int(val) for k, val in v.items()}
        return v

    def population_for(self, year: int) -> int | None:
        """Under-18 population for the 31 March of ``year`` (nearest earlier year if missing)."""
        if year in self.population_under_18:
            return self.population_under_18[year]
        earlier = [y for y in self.population_under_18 if y <= year]
        if earlier:
            return self.population_under_18[max(earlier)]
        return None

    def to_toml(self) -> str:
        lines = [
            f'name = "{self.name}"',
            f'code = "{self.code}"',
            f'region = "{self.region}"',
            "neighbours = [" + ", ".join(f'"{n}"' for n in self.neighbours) + "]",
            "",
            "[population_under_18]",
        ]
        lines += [f'"{y}" = {n}' for y, n in sorted(self.population_under_18.items())]
        return "\n".join(lines) + "\n"


def unknown_profile() -> LAProfile:
    """The profile of a data folder without la.toml: no code, so no inside / neighbouring bands
    and no rates per 10,000 until the council's identity is given."""
    return LAProfile.model_construct(
        name="Unnamed council (no la.toml)",
        code="",
        region="",
        neighbours=(),
        population_under_18={},
    )


def load_profile(path: Path) -> tuple[LAProfile | None, list[Problem]]:
    """Read la.toml; return the profile or problems naming the field that is wrong."""
    from sufficiency.ingest.problems import Problem

    name = str(path)
    if not path.exists():
        return None, [
            Problem(
                "error",
                "profile_missing",
                name,
                None,
                None,
                None,
                "la.toml not found: the data folder needs the council's profile "
                "(name, code, region, neighbours, population_under_18)",
            )
        ]
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [
            Problem(
                "error",
                "profile_unreadable",
                name,
                None,
                None,
                None,
                f"la.toml is not valid TOML: {exc}",
            )
        ]
    try:
        return LAProfile.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(x) for x in err["loc"])
            problems.append(
                Problem(
                    "error",
                    "profile_invalid",
                    name,
                    None,
                    field,
                    str(err.get("input", ""))[:80],
                    f"{field}: {err['msg']}",
                )
            )
        return None, problems
