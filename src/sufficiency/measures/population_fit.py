"""Whether the under-18 population given is the council's: the rates per 10,000 divide by it, so
the whole population given in its place (five times as many) made every rate a fifth of the
council's (21.9 against its published 100) without a word. The council's own published rate is
shipped, so a rate several times off it names the population (a check of ``validate``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING

import polars as pl

from sufficiency.ingest.problems import Problem
from sufficiency.measures.common import cla_children_on

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset

#: How far the rate may be from the council's published one (times, either way) before the
#: population is named: rates move by a few per cent a year, a tenth at most in small councils.
FAR = 2.5
#: Children looked after needed before a rate is judged (a handful makes a rate of chance).
MIN_CHILDREN = 20


def population_problems(ds: Dataset) -> list[Problem]:
    """A warning when the rate per 10,000 of the latest return's 31 March is more than ``FAR``
    times off the council's published rate (its latest published year up to then)."""
    from sufficiency.published import UnknownArea
    from sufficiency.published.comparators import comparators

    if not ds.profile.code or not ds.returns:
        return []
    year = max(ds.returns)
    population = ds.population(year)
    pop = population.value
    if not pop or population.given_in is None:
        return []  # not given for the year: the ONS estimate (or an earlier year's) is used
    try:
        published = comparators(ds.profile.code, "cla_rate_per_10k", year)
    except UnknownArea:
        return []
    figure = published.published_la if published is not None else None
    if figure is None or not figure.value:
        return []
    children = cla_children_on(ds, dt.date(year, 3, 31)).height  # the costly fact, last
    if children < MIN_CHILDREN:
        return []
    rate = children / pop * 10_000
    times = rate / figure.value
    if 1 / FAR <= times <= FAR:
        return []
    how = f"{times:.1f} times" if times > 1 else f"1/{1 / times:.1f} of"
    return [
        Problem(
            "warning",
            "population_far_from_published",
            population.given_in,
            None,
            "population_under_18",
            str(pop),
            f"the under-18 population for {year} ({pop:,}) makes {children:,} children looked "
            f"after {rate:.1f} per 10,000, {how} the council's published rate ({figure.value:g} "
            f"at 31 March {figure.year}): is it the population aged under 18 (not the whole "
            "population, another year's or another council's)? Every rate per 10,000 is out by "
            "as much",
        )
    ]


def population_steps(ds: Dataset) -> list[Problem]:
    """A warning where the population used jumps from one year of the returns to the next and
    one of the two is not given for its year (the ONS estimate, or an earlier year's carried):
    la.toml giving 2026 alone beside the ONS 2025 moved the published rate 84.5 -> 113.1 in a
    year without a word, as the files' own check compares only the years they give (the
    register's rule, ``population_jump``)."""
    from sufficiency.ingest.registers.validate import ROW, unsteady
    from sufficiency.schema.registers import REGISTERS

    used = [(y, ds.population(y)) for y in sorted(ds.returns)]
    used = [(y, p) for y, p in used if p.value]
    out: list[Problem] = []
    for (y0, p0), (y1, p1) in pairwise(used):
        if p0.given_in is not None and p1.given_in is not None:
            continue  # both given: the files' own check names a jump
        pair = pl.DataFrame(
            {ROW: [None, None], "year": [y0, y1], "population_under_18": [p0.value, p1.value]},
            schema={ROW: pl.Int64, "year": pl.Int64, "population_under_18": pl.Int64},
        )
        file = p1.given_in or p0.given_in or "la.toml"
        for problem in unsteady(pair, REGISTERS["population"].steady, file):
            out.append(
                replace(
                    problem,
                    message=f"{problem.message}; {y0}'s is {_source(p0.given_in)}, {y1}'s "
                    f"{_source(p1.given_in)}: give every year's population, or none",
                )
            )
    return out


def _source(given_in: str | None) -> str:
    return f"from {given_in}" if given_in else "not given (the ONS estimate, or an earlier year's)"
