"""Costs: average weekly cost by placement type year by year, and the year's bed nights and
spend (each placement's nights costed at ``measures.unit_costs``' weekly cost).

A printed total is the sum of the rows as printed (``printed_total``): each type's spend is
rounded to the pound, and the total rounded once could differ from their sum by a pound or two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sufficiency.codes import PLACEMENT_TYPE_TITLES, PLACEMENT_TYPES
from sufficiency.report.model import Block, Cell, Row, Series, Table
from sufficiency.report.sections.blocks import (
    cell,
    chart,
    is_num,
    keys_in_order,
    num_or_none,
    paragraph,
    placeholder,
    table_block,
    year_label,
)
from sufficiency.report.sections.finance import finance_blocks
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sources import YearValues

#: The decimal places a table prints a cell of each kind to (``model.fmt_value``): money and
#: counts whole, the rest to one place.
PRINTED_PLACES: dict[str, int] = {"money": 0, "count": 0}


def printed_total(parts: Sequence[Cell], total: Cell) -> Cell:
    """The total row's cell equal to the sum of ``parts`` as printed (as a finance reader adds a
    column up): ``total`` itself when it already is, or when a part or the total is not a shown
    number (suppressed or blank); else the sum, derived from the rows."""
    shown = [num_or_none(c.value) for c in parts]
    stated = num_or_none(total.value)
    if stated is None or not shown or None in shown:
        return total
    places = PRINTED_PLACES.get(total.kind, 1)
    summed = round(sum(round(v, places) for v in shown if v is not None), places)
    if round(stated, places) == summed:
        return total
    return Cell(
        int(summed) if places == 0 else summed,
        total.kind,
        source="derived:sum of the rows shown (each as printed)",
    )


def weekly_costs(years: Sequence[YearValues]) -> dict[str, dict[str, float]]:
    """Average weekly cost paid by placement type, year by year (the catalogue's measure)."""
    out: dict[str, dict[str, float]] = {}
    for yv in years:
        value = yv.get("average_weekly_cost_by_type")
        if isinstance(value, Mapping):
            for t, v in value.items():
                if is_num(v):
                    out.setdefault(str(t), {})[str(yv.year)] = float(v)
    return out


@section(
    "costs",
    "Costs",
    60,
    trend=("average_weekly_cost_by_type", "spend_total"),
    needs=("registers:costs",),
)
def costs(inp: StatementInputs) -> list[Block]:
    """Weekly costs and spend, or what the council should add to show them."""
    cur = inp.cur
    if not inp.has_register("costs") or cur.get("spend_total") is None:
        return [
            placeholder(
                "Weekly costs and spend by placement type",
                "registers/costs.csv with placement_type, year (the year the financial year "
                "ends) and weekly_cost (optionally urn or provider)",
                "average weekly cost of each placement type year by year, and spend by type "
                "(each placement's bed nights costed at its weekly cost)",
            )
        ]
    return _weekly(inp.years) + _spend(cur) + finance_blocks(cur, inp.finance)


def _weekly(years: Sequence[YearValues]) -> list[Block]:
    by_type = weekly_costs(years)
    types = [t for t in PLACEMENT_TYPES if t in by_type]
    cost_years = [y for y in years if isinstance(y.get("average_weekly_cost_by_type"), Mapping)]
    rows = [
        Row(
            PLACEMENT_TYPE_TITLES.get(t, t),
            [cell(y, "average_weekly_cost_by_type", t, kind="money") for y in cost_years],
        )
        for t in types
    ]
    return [
        table_block(
            Table(
                "weekly_costs",
                "Average weekly cost by placement type",
                ["Placement type", *[year_label(y.year) for y in cost_years]],
                rows,
                caption="Spend divided by the weeks of care it bought, by placement type and "
                "financial year",
                definitions=["average_weekly_cost_by_type"],
            )
        ),
        *_weekly_chart(years[-1], by_type),
    ]


def _weekly_chart(cur: YearValues, by_type: Mapping[str, Mapping[str, float]]) -> list[Block]:
    """The year's average weekly cost of every placement type with spend (one bar each, so
    none is left out and every label is legible)."""
    spend = cur.get("spend_by_placement_type")
    if not isinstance(spend, Mapping):
        return []
    types = [
        t
        for t in keys_in_order(spend, PLACEMENT_TYPES)
        if spend.get(t) not in (None, 0) and str(cur.year) in by_type.get(t, {})
    ]
    if not types:
        return []
    return [
        chart(
            "weekly_costs_chart",
            f"Average weekly cost by placement type, {year_label(cur.year)}",
            "barh",
            [PLACEMENT_TYPE_TITLES.get(t, t) for t in types],
            [Series("Weekly cost (£)", [by_type[t][str(cur.year)] for t in types])],
            "Weekly cost (£)",
            "",
            unit="£",
        )
    ]


def _spend(cur: YearValues) -> list[Block]:
    spend = cur.get("spend_by_placement_type")
    if not isinstance(spend, Mapping):
        return []
    rows = [
        Row(
            PLACEMENT_TYPE_TITLES.get(t, t),
            [
                cell(cur, "bed_nights_by_placement_type", t, kind="number"),
                cell(cur, "average_weekly_cost_by_type", t, kind="money"),
                cell(cur, "spend_by_placement_type", t, kind="money"),
            ],
        )
        for t in keys_in_order(spend, PLACEMENT_TYPES)
        if not (
            spend.get(t) in (None, 0) and cur.get("bed_nights_by_placement_type", t) in (None, 0)
        )
    ]
    totals = [
        cell(cur, "bed_nights_total", kind="number"),
        Cell(None, "money"),
        cell(cur, "spend_total", kind="money"),
    ]
    rows.append(
        Row(
            "Total",
            [printed_total([r.cells[j] for r in rows], t) for j, t in enumerate(totals)],
            total=True,
        )
    )
    blocks = [
        table_block(
            Table(
                "spend_by_type",
                "Bed nights and spend by placement type",
                [
                    "Placement type",
                    "Bed nights in the year",
                    "Average weekly cost",
                    "Spend in the year (modelled)",
                ],
                rows,
                caption=f"Bed nights and spend in {year_label(cur.year)} by placement type; "
                "spend is modelled (nights x the council's weekly rates), not the finance "
                "outturn",
                definitions=[
                    "bed_nights_by_placement_type",
                    "average_weekly_cost_by_type",
                    "spend_by_placement_type",
                    "spend_total",
                ],
            )
        )
    ]
    uncosted = cur.get("uncosted_bed_nights")
    if is_num(uncosted) and uncosted:
        blocks.append(
            paragraph(
                f"{uncosted:,} bed nights had no weekly cost in the council's costs register and are left "
                "out of the spend above."
            )
        )
    return blocks
