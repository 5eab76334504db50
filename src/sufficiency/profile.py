"""The LA profile: the council's identity only (DESIGN.md). ``ingest.profile_file`` reads it from
la.toml."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from sufficiency.disclosure import SMALL_MAX, SMALL_MAX_LIMIT
from sufficiency.schema import REGISTERS

#: An ONS upper-tier council code: a unitary (E06), metropolitan district (E08), London borough
#: (E09) or county (E10).
COUNCIL_CODE = r"^E(06|08|09|10)\d{6}$"
#: A neighbour's code: an English council's, or a Welsh (W06), Scottish (S12) or Northern Irish
#: (N09) one across the border, as placement postcodes' upper-tier codes are.
NEIGHBOUR_CODE = r"^(E06|E08|E09|E10|W06|S12|N09)\d{6}$"


CouncilCode = Annotated[str, Field(pattern=COUNCIL_CODE)]
NeighbourCode = Annotated[str, Field(pattern=NEIGHBOUR_CODE)]

# The under-18 population by year is checked as the population register checks its rows (the
# register's declaration holds the bounds): a year of 31 March and a count of children.
_YEAR = REGISTERS["population"].column("year")
_COUNT = REGISTERS["population"].column("population_under_18")
PopulationYear = Annotated[int, Field(ge=_YEAR.low, le=_YEAR.high)]


def _not_true_false(value: object) -> object:
    """A TOML ``true`` is not a count of children (pydantic would read it as 1)."""
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a number of children")
    return value


PopulationCount = Annotated[
    int, Field(ge=_COUNT.low, le=_COUNT.high), BeforeValidator(_not_true_false)
]


class LAProfile(BaseModel):
    """A council's identity: name, ONS upper-tier code, region, neighbours, under-18 population."""

    model_config = {"frozen": True}

    # Each field's description and example say what la.toml expects in plain words
    # (``ingest.profile_file`` names a missing or wrong key with them).
    #: Printed on the statement: never blank.
    name: str = Field(
        pattern=r"\S",
        description="the council's name, as the statement shows it",
        examples=["Herefordshire"],
    )
    code: CouncilCode = Field(
        description="the council's ONS upper-tier code (E06, E08, E09 or E10 and six digits)",
        examples=["E06000019"],
    )
    region: str = Field(default="", description="the council's region", examples=["West Midlands"])
    neighbours: tuple[NeighbourCode, ...] = Field(
        default=(),
        description="a list of council codes",
        examples=[("E06000051", "E06000020")],
    )
    population_under_18: dict[PopulationYear, PopulationCount] = Field(
        default_factory=dict,
        description="a table of the children under 18 at 31 March of each year",
        examples=[{2026: 36736}],
    )
    #: Counts of children from 1 to this are suppressed in published outputs: the DfE's 5 unless
    #: the council raises it (it may not lower it).
    small_count_max: int = Field(
        default=SMALL_MAX,
        ge=SMALL_MAX,
        le=SMALL_MAX_LIMIT,
        description=f"a whole number from {SMALL_MAX} to {SMALL_MAX_LIMIT}: the largest count "
        "of children suppressed in published outputs",
        examples=[10],
    )

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
        if self.small_count_max != SMALL_MAX:
            lines.insert(4, f"small_count_max = {self.small_count_max}")
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
        small_count_max=SMALL_MAX,
    )
