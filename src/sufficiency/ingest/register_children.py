"""Registers that name children by the returns' CHILD: rows whose child is in no return.

A permanence plan is a looked-after child's: a row whose ``child_id`` no return holds counts for
no child. A disabled children register holds children not looked after too, so only one whose
ids match no child of the returns at all is named (ids from another system: the EHCP share of
children looked after read 0%).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from sufficiency.ingest.problems import Problem, listed

#: Register -> True when every row's child should be in the returns, False when some should.
CHILD_REGISTERS: Mapping[str, bool] = {"permanence_plans": True, "disabled_children": False}


def unmatched_children(
    registers: Mapping[str, pl.DataFrame], children: pl.Series, files: Mapping[str, str]
) -> list[Problem]:
    """A warning per register of ``CHILD_REGISTERS`` whose ``child_id``s the returns' CHILDs
    (``children``) do not hold, as declared there; ``files`` names each register's file."""
    problems: list[Problem] = []
    for name, every in CHILD_REGISTERS.items():
        frame = registers.get(name)
        if frame is None or "child_id" not in frame.columns or frame.height == 0:
            continue
        ids = frame.get_column("child_id").drop_nulls().cast(pl.String).unique(maintain_order=True)
        missing = ids.filter(~ids.is_in(children.implode())).to_list()
        if not missing or (not every and len(missing) < ids.len()):
            continue
        scope = "no child" if not every else "those rows count for no child"
        problems.append(
            Problem(
                "warning",
                "register_unknown_children",
                files.get(name, f"registers/{name}.csv"),
                None,
                "child_id",
                ", ".join(missing),
                f"{len(missing)} of {ids.len()} child_id(s) are no CHILD of the returns ({listed(missing, 5)}): "
                f"{scope} of the returns matches them; child_id is the CHILD the returns give "
                "the child (ids from another system?)",
            )
        )
    return problems
