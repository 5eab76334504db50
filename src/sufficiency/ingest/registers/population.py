"""The under-18 population given twice: la.toml's ``[population_under_18]`` and
``registers/population.csv`` (which the Dataset reads first). One number has one truth: a year
both give differently is an error naming both files; la.toml's own years are held to the
register's year-on-year rule (its ``steady`` declaration), so a digit lost or added is named
wherever it was typed."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers.validate import ROW, unsteady
from sufficiency.schema import REGISTERS

#: Where the profile's population lives, as problems name it.
PROFILE = "la.toml"
_COUNT = "population_under_18"


def population_problems(
    register: pl.DataFrame | None, label: str, profile: Mapping[int, int]
) -> list[Problem]:
    """Errors for years the population register (typed, file ``label``) and la.toml's
    ``profile`` populations both give differently; warnings for la.toml's jumps."""
    return _disagreements(register, label, profile) + _profile_jumps(profile)


def _disagreements(
    register: pl.DataFrame | None, label: str, profile: Mapping[int, int]
) -> list[Problem]:
    """One error per year given differently by the register and la.toml: which is right is the
    council's to say, so neither is used silently."""
    if register is None or not profile:
        return []
    given = dict(register.select("year", _COUNT).drop_nulls().iter_rows())
    return [
        Problem(
            "error",
            "population_disagrees",
            label,
            None,
            _COUNT,
            str(given[year]),
            f"{_COUNT} for 31 March {year} is {given[year]:,} in {label} but {profile[year]:,} "
            f"in {PROFILE}: one number with two values; correct the "
            f"wrong one, or give the year in one file only ({label} is read first)",
        )
        for year in sorted(set(given) & set(profile))
        if given[year] != profile[year]
    ]


def _profile_jumps(profile: Mapping[int, int]) -> list[Problem]:
    """Warnings for la.toml's populations jumping from one year to the next, by the register's
    own rule (no spreadsheet row to name)."""
    if len(profile) < 2:
        return []
    frame = pl.DataFrame(
        {ROW: [None] * len(profile), "year": list(profile), _COUNT: list(profile.values())},
        schema={ROW: pl.Int64, "year": pl.Int64, _COUNT: pl.Int64},
    )
    return unsteady(frame, REGISTERS["population"].steady, PROFILE)
