"""The sufficiency gap (``sufficiency.supply.gap``): need, capacity and shortfall by year and
placement type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.report.model import Block, Cell, CellKind, Row, Table, fmt_value
from sufficiency.report.sections.blocks import (
    measure_blocks,
    num_or_none,
    paragraph,
    placeholder,
    round1,
    table_block,
    year_label,
)
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.supply import has_value

COLUMNS: tuple[tuple[str, CellKind], ...] = (
    ("need", "number"),
    ("capacity", "number"),
    ("shortfall", "number"),
    ("shortfall_cost", "money"),
)


@section("gap", "Sufficiency gap", 120, needs=("gap", "registers:carers", "registers:homes"))
def gap(inp: StatementInputs) -> list[Block]:
    """One row per year and placement type, or what the council should add."""
    data = inp.gap
    if not data:
        return [
            *nights_gap(inp),
            placeholder(
                "Gap between need and available homes",
                "the supply and gap capability (sufficiency.supply: capacity from carers, homes, "
                "supported accommodation, vacancies and contracts set against the forecast)",
                "for each future year and placement type: homes needed, homes available, the "
                "shortfall and what the shortfall costs",
            ),
        ]
    rows = []
    for yr in data.get("years", []):
        day = f"{yr.get('year')}-03-31"
        for t, v in yr.get("by_type", {}).items():
            rows.append(
                Row(
                    f"{yr.get('year')}: {PLACEMENT_TYPE_TITLES.get(t, t)}",
                    [
                        Cell(
                            round1(v.get(key)),
                            kind,
                            ref=f"gap.{t}.{key}@{day}",
                            source="gap:" + str(data.get("scenario")) if key == "need" else "gap",
                        )
                        for key, kind in COLUMNS
                    ],
                )
            )
    return [
        *routes(data),
        table_block(
            Table(
                "gap",
                "Need, capacity and shortfall by year and placement type",
                ["Year and placement type", "Need", "Capacity", "Shortfall", "Cost of shortfall"],
                rows,
                caption=f"Scenario: {data.get('scenario', 'baseline')}",
            )
        ),
        *spare(data),
        *nights_gap(inp),
    ]


#: The catalogue measure setting short-break nights needed against nights available.
NIGHTS_GAP = "short_break_nights_forecast"


def nights_gap(inp: StatementInputs) -> list[Block]:
    """Overnight short-break nights needed against nights available by type, the next three
    years (a catalogue measure, so the disclosure control applies)."""
    if NIGHTS_GAP not in inp.info or not has_value(inp.cur, [NIGHTS_GAP]):
        return []
    return measure_blocks(inp.cur, [NIGHTS_GAP], inp.info, "Overnight short breaks")


#: In-house types whose spare places could bring children home from external placements.
IN_HOUSE = {
    "in_house_fostering": ("in-house foster place", "independent fostering agencies"),
    "in_house_residential": ("in-house children's home bed", "external children's homes"),
}


def _n(value: float) -> str:
    """A number of places as the gap's tables print it (one rule: ``model.fmt_value``)."""
    return fmt_value(Cell(value, "number"))


def _first(data: Mapping[str, Any]) -> Mapping[str, Any]:
    years = data.get("years") or [{}]
    return years[0] if isinstance(years[0], Mapping) else {}


def routes(data: Mapping[str, Any]) -> list[Block]:
    """How the shortfall of each type is bought in the first year: through a framework contract
    (at its price) rather than spot-purchased."""
    first = _first(data)
    year = int(first.get("year") or 0)
    out = []
    for t, v in (first.get("by_type") or {}).items():
        if not isinstance(v, Mapping) or not v.get("framework"):
            continue
        short, price = num_or_none(v.get("shortfall")), num_or_none(v.get("framework_weekly_price"))
        title = PLACEMENT_TYPE_TITLES.get(t, t)
        at = f" at £{price:,.0f} a week on average" if price is not None else ""
        if short is not None and short > 0:
            text = (
                f"{title} placements beyond the council's own and contracted capacity "
                f"({_n(short)} places in {year_label(year)}) are bought through a framework "
                f"contract{at}, not spot-purchased one by one."
            )
        else:
            text = f"{title} placements are bought through a framework contract{at}."
        out.append(paragraph(text))
    return out


def spare(data: Mapping[str, Any]) -> list[Block]:
    """Spare in-house capacity in the first year, as the opportunity it is (not only
    "shortfall 0")."""
    first = _first(data)
    by_type = first.get("by_type") or {}
    parts = []
    for t, (unit, external) in IN_HOUSE.items():
        v = by_type.get(t)
        n = num_or_none(v.get("spare")) if isinstance(v, Mapping) else None
        if n is not None and round(n) >= 1:
            parts.append((f"{_n(n)} {unit}{'s' if round(n) != 1 else ''}", external))
    if not parts:
        return []
    return [
        paragraph(
            f"Spare in-house capacity in {year_label(int(first.get('year') or 0))}: "
            + " and ".join(p for p, _ in parts)
            + " beyond the children expected to need them. This is an opportunity: children "
            "now placed with "
            + " and ".join(e for _, e in parts)
            + " could live in the council's own homes, closer to home, if their needs and the "
            "homes match."
        )
    ]
