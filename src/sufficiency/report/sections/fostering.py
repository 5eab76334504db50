"""Fostering: in-house carers year by year, approvals, recruitment and adopters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sufficiency.report.model import Block, Row, Table
from sufficiency.report.sections.blocks import cell, table_block, year_label
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.supply import section_measure_ids, supply_blocks
from sufficiency.report.sources import YearValues

TYPES = ("in_house_fostering", "family_and_friends", "ifa", "other_public_fostering")
NET = "supply_carer_net_change"


@section(
    "fostering",
    "Fostering",
    80,
    trend=(NET, "supply_carer_places"),
    needs=("registers:carers", "registers:recruitment", "registers:adopters"),
)
def fostering(inp: StatementInputs) -> list[Block]:
    """Children in foster care, the carer households' trend and the fostering measures."""
    ids = section_measure_ids("fostering", inp.info)
    return supply_blocks(
        inp,
        "fostering",
        "Fostering",
        types=TYPES,
        registers=("carers",),
        needs="registers/carers.csv (household_id, status, approval_types, places, occupied, "
        "...), registers/recruitment.csv and registers/adopters.csv",
        ids=ids,
        before=foster_trend(inp.years) if NET in ids else (),
        skip=(NET,),
    )


def foster_trend(years: Sequence[YearValues]) -> list[Block]:
    """In-house foster households year by year (approvals, deregistrations, net change)."""
    keys = ("start", "approvals", "deregistrations", "net", "end")
    rows = [
        Row(
            year_label(yv.year),
            [cell(yv, NET, k, kind="number") for k in keys]
            + [cell(yv, "supply_carer_places", kind="number")],
        )
        for yv in years
        if isinstance(yv.get(NET), Mapping)
    ]
    if not rows:
        return []
    return [
        table_block(
            Table(
                "foster_households",
                "In-house foster carer households, year by year",
                [
                    "Year",
                    "Households at 1 April",
                    "Approvals",
                    "Deregistrations",
                    "Net gain or loss",
                    "Households at 31 March",
                    "Approved places at 31 March",
                ],
                rows,
                caption="Approved in-house fostering households (the council's carers register)",
                definitions=[NET, "supply_carer_places"],
            )
        )
    ]
