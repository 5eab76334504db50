"""Modelled spend beside the finance system's budget and outturn (the optional ``finance``
register), by placement type, for the statement year.

Layout only: modelled spend is the catalogue's ``spend_by_placement_type``; budget and outturn
are the register's rows as the council gave them. A type whose modelled spend is suppressed
(publish mode: few children) has its budget and outturn suppressed with it, and then no total
is shown (it would give them away).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from sufficiency.codes import PLACEMENT_TYPE_TITLES, PLACEMENT_TYPES
from sufficiency.disclosure import SUPPRESSED
from sufficiency.report.model import Block, Cell, Row, Table
from sufficiency.report.sections.blocks import num_or_none, table_block, year_label
from sufficiency.report.sources import YearValues


def _pounds(value: Any) -> float | None:
    n = num_or_none(value)
    return None if n is None else round(n)


def finance_blocks(cur: YearValues, finance: pl.DataFrame | None) -> list[Block]:
    """The table, or nothing without finance rows for the statement year."""
    if finance is None:
        return []
    lines = {
        str(t): (b, o)
        for t, b, o in finance.filter(pl.col("year") == cur.year)
        .select("placement_type", "budget", "outturn")
        .iter_rows()
    }
    if not lines:
        return []
    spend = cur.get("spend_by_placement_type")
    spend = spend if isinstance(spend, Mapping) else {}
    rows = []
    totals = [0.0, 0.0, 0.0]
    hidden = False
    for t in [t for t in PLACEMENT_TYPES if t in lines]:
        budget, outturn = lines[t]
        modelled: Any = spend.get(t)
        if modelled == SUPPRESSED:
            hidden = True
            values: list[Any] = [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]
        else:
            m, b, o = _pounds(modelled), _pounds(budget), _pounds(outturn)
            values = [m, b, o, None if o is None or m is None else o - m]
            for i, v in enumerate((m, b, o)):
                totals[i] += v or 0.0
        rows.append(Row(PLACEMENT_TYPE_TITLES.get(t, t), [Cell(v, "money") for v in values]))
    if not hidden:
        m, b, o = totals
        rows.append(Row("Total", [Cell(v, "money") for v in (m, b, o, o - m)], total=True))
    return [
        table_block(
            Table(
                "finance",
                "Modelled spend beside budget and outturn",
                ["Placement type", "Modelled spend", "Budget", "Outturn", "Outturn less modelled"],
                rows,
                caption=f"{year_label(cur.year)}: modelled spend (nights of care x the council's "
                "weekly rates) beside the budget and outturn from the council's finance system",
            )
        )
    ]
