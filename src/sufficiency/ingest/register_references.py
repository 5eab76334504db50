"""Registers that name another register's rows: a row naming one that register does not hold.

An outcome names its referral: re-keyed on export, every outcome named no referral, and the
days from referral to placement and the placements by kind asked for read as none, while the
first-time matches still counted them.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from sufficiency.ingest.problems import Problem, listed

#: (register, its column, the register it names, that register's column). An outcome's
#: vacancy is not one: the vacancies register holds the places open now, not those filled.
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("outcomes", "referral_id", "referrals", "referral_id"),
)


def unknown_references(
    registers: Mapping[str, pl.DataFrame], files: Mapping[str, str]
) -> list[Problem]:
    """A warning per ``REFERENCES`` line whose ids the named register (when supplied) does
    not hold; ``files`` names each register's file."""
    problems: list[Problem] = []
    for name, column, target, key in REFERENCES:
        frame, other = registers.get(name), registers.get(target)
        if frame is None or other is None or column not in frame.columns or key not in other:
            continue
        ids = frame.get_column(column).drop_nulls().cast(pl.String).unique(maintain_order=True)
        held = other.get_column(key).drop_nulls().cast(pl.String)
        missing = ids.filter(~ids.is_in(held.implode())).to_list()
        if not missing:
            continue
        problems.append(
            Problem(
                "warning",
                "register_unknown_reference",
                files.get(name, f"registers/{name}.csv"),
                None,
                column,
                ", ".join(missing),
                f"{len(missing)} of {ids.len()} {column}(s) are in no row of the {target} "
                f"register ({listed(missing, 5)}): those rows count for nothing that needs the {target} "
                "row (ids changed on export?)",
            )
        )
    return problems
