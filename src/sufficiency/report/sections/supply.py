"""What the supply sections share (residential, fostering, supported accommodation, care
leavers): the children in their placement types, their catalogue measures, and what the council
should add when a register is missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.measures.catalogue import Measure
from sufficiency.report.model import Block, Row, Table
from sufficiency.report.sections.blocks import cell, measure_blocks, placeholder, table_block
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sources import YearValues
from sufficiency.results import Share as ShareResult

#: Which catalogue measures belong in which section (by id prefix or theme).
SECTION_MEASURES: dict[str, tuple[str, ...]] = {
    "residential": (
        "supply_homes_",
        "supply_provider_market",
        "supply_block_contract",
        "supply_average_fees",
        "supply_spot_share",
    ),
    "fostering": ("supply_carer", "supply_reg24", "supply_recruitment_", "supply_adopters_"),
    "supported_accommodation": ("supply_supported_",),
    "care_leavers": ("care_leavers_",),
    "home_finding": (),
}
SECTION_THEMES = {"care_leavers": ("care_leavers",), "home_finding": ("home_finding", "matching")}


def section_measure_ids(sid: str, info: Mapping[str, Measure]) -> list[str]:
    """The catalogue measures a section shows (by theme or id prefix), in catalogue order."""
    prefixes = SECTION_MEASURES.get(sid, ())
    themes = SECTION_THEMES.get(sid, ())
    return [
        m.id for m in info.values() if m.theme in themes or (prefixes and m.id.startswith(prefixes))
    ]


def has_value(cur: YearValues, ids: Sequence[str]) -> bool:
    """True when any of the measures has something to show (a share with a denominator)."""

    def useful(v: Any) -> bool:
        if v is None:
            return False
        if isinstance(v, Mapping):
            return any(useful(x) for x in v.values())
        return True

    def has(mid: str) -> bool:
        result = cur.result(mid)
        if isinstance(result, ShareResult):
            return result.denominator != 0
        return useful(result.to_json())

    return any(has(i) for i in ids)


def children_in(sid: str, title: str, types: Sequence[str], cur: YearValues) -> list[Block]:
    """Children at 31 March in the section's placement types."""
    by_type = cur.get("cla_by_placement_type")
    if not types or not isinstance(by_type, Mapping):
        return []
    rows = [
        Row(PLACEMENT_TYPE_TITLES[t], [cell(cur, "cla_by_placement_type", t)])
        for t in types
        if t in by_type
    ]
    return [
        table_block(
            Table(
                f"{sid}_children",
                f"Children looked after in {title.lower()}",
                ["Placement type", "Children at 31 March"],
                rows,
                caption=f"Children looked after at 31 March {cur.year} in these placement types",
                definitions=["cla_by_placement_type"],
            )
        )
    ]


def supply_blocks(
    inp: StatementInputs,
    sid: str,
    title: str,
    *,
    types: Sequence[str] = (),
    registers: Sequence[str] = (),
    needs: str,
    ids: Sequence[str] | None = None,
    before: Sequence[Block] = (),
    skip: Sequence[str] = (),
) -> list[Block]:
    """A supply section: its children, ``before`` (a trend), its measures, and a placeholder
    naming ``needs`` when a register is missing or no measure has a value."""
    cur = inp.cur
    ids = section_measure_ids(sid, inp.info) if ids is None else list(ids)
    blocks = children_in(sid, title, types, cur) + list(before)
    filled = has_value(cur, ids)
    if filled:
        shown = [i for i in ids if i not in skip]
        blocks += measure_blocks(cur, shown, inp.info, title)
    if not filled or any(not inp.has_register(r) for r in registers):
        blocks.append(
            placeholder(
                f"{title}: supply and sufficiency",
                needs
                + (
                    ""
                    if ids
                    else " and the supply measures (sufficiency.supply) in the measure catalogue"
                ),
                "the homes and places available, occupancy and quality, set against the children "
                "who need them",
            )
        )
    return blocks
