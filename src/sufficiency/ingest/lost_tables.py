"""Optional tables the latest return lost: a table (uasc, ad1, placed_for_adoption, dolo...)
with rows in the return before it but missing, or only a header line, in the latest, while the
latest return's header still holds children those rows were for. Read as it is, what those rows
told (a child's UASC status...) is lost without a word (UASC children 36 -> 10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from sufficiency.dates import year_end
from sufficiency.ingest.checks import return_label
from sufficiency.ingest.problems import Problem, listed
from sufficiency.ingest.tables import TABLES, TableSpec


@dataclass(frozen=True)
class ReturnTables:
    """One return's checked tables, its year and its folder as problems name it."""

    year: int
    folder: str
    tables: Mapping[str, pl.DataFrame]


def _still_held(spec: TableSpec, year: int) -> pl.Expr:
    """Rows of a table in the return ending 31 March ``year`` that still hold the year after:
    those whose ``until`` date had not come by then (every row of a table without one)."""
    if spec.until is None:
        return pl.lit(True)
    return (pl.col(spec.until) > year_end(year)).fill_null(True)


def lost_tables(returns: Sequence[ReturnTables]) -> list[Problem]:
    """A warning for each optional table with rows in the return before the latest that the
    latest return has no rows of, for the children of those rows its header still holds."""
    if len(returns) < 2:
        return []
    before, latest = sorted(returns, key=lambda r: r.year)[-2:]
    header = latest.tables.get("header")
    if header is None or header.height == 0:
        return []
    children = header.get_column("CHILD").drop_nulls().implode()
    problems: list[Problem] = []
    for name, earlier in before.tables.items():
        spec = TABLES.get(name)
        now = latest.tables.get(name)
        if spec is None or spec.core or earlier.height == 0 or (now is not None and now.height):
            continue
        held = earlier.filter(pl.col("CHILD").is_in(children) & _still_held(spec, before.year))
        ids = held.get_column("CHILD").unique().sort()
        if ids.len():
            problems.append(_lost(name, ids, before.year, latest, missing=now is None))
    return problems


def _lost(name: str, ids: pl.Series, earlier: int, latest: ReturnTables, missing: bool) -> Problem:
    """The warning that the latest return lost table ``name``'s rows for children ``ids``."""
    label, was = return_label(latest.year), return_label(earlier)
    table = (
        f"the {label} return has no {name} table"
        if missing
        else f"the {label} return's {name} table has only its header line, no rows"
    )
    spec = TABLES[name]
    still = (
        f"children whose {name} rows still hold in {label} (blank or later {spec.until})"
        if spec.until
        else f"children in its {name} table"
    )
    return Problem.whole_file(
        "warning",
        "table_lost",
        latest.folder,
        f"{table}, though the {was} return lists {ids.len()} {still} whom the {label} header "
        f"still holds ({listed(ids)}): read so, their {spec.tells or name + ' rows'} is "
        f"lost for {label}; add their rows to the {label} {name} table, or check it is whole",
    )
