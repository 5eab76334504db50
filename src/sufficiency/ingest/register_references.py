"""Registers that name another register's rows: a row naming one that register does not hold.

An outcome names its referral: re-keyed on export, every outcome named no referral, and the
days from referral to placement and the placements by kind asked for read as none, while the
first-time matches still counted them. A contract names a provider: a provider of no home or
supported accommodation the council keeps has no children placed with it, so its block places
read as unused and its children as bought spot (a framework names no one provider).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from sufficiency.ingest.problems import Problem, listed
from sufficiency.schema.provider_names import provider_key


def _as_given(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String)


@dataclass(frozen=True)
class Reference:
    """``register.column`` names a row of one of ``targets`` (register, column) by ``key``
    (the ids as written, or a provider's name as registers are matched on it)."""

    register: str
    column: str
    targets: tuple[tuple[str, str], ...]
    key: Callable[[str], pl.Expr] = _as_given
    why: str = "ids changed on export?"
    #: the rows that name one (all when None)
    rows: pl.Expr | None = None


#: Every reference between registers. An outcome's vacancy is not one: the vacancies register
#: holds the places open now, not those filled.
REFERENCES: tuple[Reference, ...] = (
    Reference("outcomes", "referral_id", (("referrals", "referral_id"),)),
    Reference(
        "contracts",
        "provider",
        (("homes", "provider"), ("supported_accommodation", "provider")),
        key=provider_key,
        rows=pl.col("kind") != "framework",  # a framework is a route to many providers
        why="spelt another way, or its homes missing from the registers? its children cannot "
        "be counted as placed under the contract",
    ),
)


def unknown_references(
    registers: Mapping[str, pl.DataFrame], files: Mapping[str, str]
) -> list[Problem]:
    """A warning per ``REFERENCES`` line whose values no target register (when one is
    supplied) holds; ``files`` names each register's file."""
    problems: list[Problem] = []
    for ref in REFERENCES:
        frame = registers.get(ref.register)
        targets = [
            registers[name].select(ref.key(column).alias("key"))
            for name, column in ref.targets
            if name in registers and column in registers[name].columns
        ]
        if frame is None or not targets or ref.column not in frame.columns:
            continue
        if ref.rows is not None:
            frame = frame.filter(ref.rows.fill_null(True))
        given = frame.select(pl.col(ref.column).cast(pl.String), ref.key(ref.column).alias("key"))
        given = given.drop_nulls().unique("key", keep="first", maintain_order=True)
        held = pl.concat(targets).get_column("key").drop_nulls()
        missing = given.filter(~pl.col("key").is_in(held.implode())).get_column(ref.column)
        if missing.is_empty():
            continue
        named = " or ".join(name for name, _ in ref.targets if name in registers)
        problems.append(
            Problem(
                "warning",
                "register_unknown_reference",
                files.get(ref.register, f"registers/{ref.register}.csv"),
                None,
                ref.column,
                ", ".join(missing),
                f"{missing.len()} of {given.height} {ref.column}(s) are in no row of the {named} "
                f"register ({listed(missing.to_list(), 5)}): those rows count for nothing that "
                f"needs the {named} row ({ref.why})",
            )
        )
    return problems
