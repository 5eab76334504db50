"""Placements: placement types, where children live, distance from home (and, internally,
the children placed 100 miles or more away)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from sufficiency.codes import LOCATION_BANDS, PLACEMENT_TYPE_TITLES, PLACEMENT_TYPES
from sufficiency.report.model import Block, Cell, Row, Series, Table
from sufficiency.report.sections.blocks import (
    cell,
    chart,
    denominator,
    keys_in_order,
    series_values,
    share_of_cla_table,
    table_block,
    year_label,
)
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.titles import DISTANCE_TITLES, LOCATION_TITLES
from sufficiency.report.sources import YearValues


@section(
    "placements",
    "Placements",
    40,
    trend=("placed_over_20_miles", "placed_over_100_miles"),
    needs=("far_children",),
)
def placements(inp: StatementInputs) -> list[Block]:
    """Where children live: by type, by location, by distance from home."""
    cur = inp.cur
    blocks = _types(cur) + _location(cur, inp.areas.neighbouring) + _distance(inp.years, cur)
    if inp.mode == "internal" and inp.far_children is not None:
        blocks.append(far_children_block(inp.far_children, cur))
    return blocks


def _types(cur: YearValues) -> list[Block]:
    by_type = cur.get("cla_by_placement_type")
    if not isinstance(by_type, Mapping):
        return []
    keys = keys_in_order(by_type, PLACEMENT_TYPES)
    shown = [k for k in keys if by_type.get(k) not in (0, None)]
    return [
        share_of_cla_table(
            cur,
            "cla_by_placement_type",
            keys,
            PLACEMENT_TYPE_TITLES,
            "cla_by_placement_type",
            "Children looked after by placement type",
            "Placement type",
            f"Children looked after at 31 March {cur.year} by placement type",
        ),
        chart(
            "placement_type_chart",
            f"Children looked after by placement type, 31 March {cur.year}",
            "barh",
            [PLACEMENT_TYPE_TITLES.get(k, k) for k in shown],
            [Series("Children", series_values([by_type.get(k) for k in shown]))],
            "Children",
            "Placement type",
        ),
    ]


def _location(cur: YearValues, neighbouring: Sequence[str] = ()) -> list[Block]:
    """Placement type by location band (a matrix with its margins), and a chart of location;
    ``neighbouring``: the councils counted as neighbouring areas, by name."""
    blocks: list[Block] = []
    matrix = cur.get("placement_type_by_location")
    bands = list(LOCATION_BANDS)
    if isinstance(matrix, Mapping) and matrix:
        rows = []
        for k in keys_in_order(matrix, PLACEMENT_TYPES):
            cells = [cell(cur, "placement_type_by_location", k, b) for b in bands]
            cells.append(cell(cur, "cla_by_placement_type", k))
            rows.append(Row(PLACEMENT_TYPE_TITLES.get(k, k), cells))
        cells = [cell(cur, "cla_by_location", b) for b in bands]
        cells.append(cell(cur, "cla_count"))
        rows.append(Row("Total", cells, total=True))
        blocks.append(
            table_block(
                Table(
                    "placement_type_by_location",
                    "Placement type by location",
                    ["Placement type", *[LOCATION_TITLES[b] for b in bands], "Total"],
                    rows,
                    caption=f"Children looked after at 31 March {cur.year}: placement type by where "
                    "the placement is (inside the area, neighbouring areas, at a distance)"
                    + (
                        f"; the neighbouring areas are {', '.join(neighbouring)}"
                        if neighbouring
                        else ""
                    ),
                    additive=True,
                    definitions=["placement_type_by_location", "cla_by_location"],
                )
            )
        )
    by_loc = cur.get("cla_by_location")
    if isinstance(by_loc, Mapping):
        keys = keys_in_order(by_loc, LOCATION_BANDS)
        blocks.append(
            chart(
                "location_chart",
                f"Where children live, 31 March {cur.year}",
                "bar",
                [LOCATION_TITLES.get(k, k) for k in keys],
                [Series("Children", series_values([by_loc.get(k) for k in keys]))],
                "Location of placement",
                "Children",
            )
        )
    return blocks


def _distance(years: Sequence[YearValues], cur: YearValues) -> list[Block]:
    """Children placed more than 20 and 100 or more miles away, year by year; distance bands."""
    rows = [
        Row(
            year_label(yv.year),
            [
                cell(yv, "placed_over_20_miles"),
                cell(yv, "placed_over_20_miles", kind="pct"),
                cell(yv, "placed_over_100_miles"),
                cell(yv, "placed_over_100_miles", kind="pct"),
                denominator(yv, "placed_over_20_miles"),
            ],
        )
        for yv in years
    ]
    blocks = [
        table_block(
            Table(
                "distance",
                "Distance from home",
                [
                    "Year",
                    "More than 20 miles",
                    "% more than 20 miles",
                    "100 miles or more",
                    "% 100 miles or more",
                    "Children looked after (distance known or not, as the DfE counts)",
                ],
                rows,
                caption="Children looked after at 31 March placed more than 20 miles and 100 miles or "
                "more from home (straight line, as the DfE computes it)",
                definitions=["placed_over_20_miles", "placed_over_100_miles"],
            )
        )
    ]
    bands_id = next(
        (m for m in ("cla_by_distance_band", "cla_by_distance") if m in cur.values), None
    )
    dist = cur.get(bands_id) if bands_id else None
    if bands_id and isinstance(dist, Mapping):
        rows = [
            Row(DISTANCE_TITLES.get(k, k), [cell(cur, bands_id, k)])
            for k in keys_in_order(dist, tuple(DISTANCE_TITLES))
        ]
        rows.append(Row("Total", [cell(cur, "cla_count")], total=True))
        blocks.append(
            table_block(
                Table(
                    "distance_bands",
                    "Children by distance band",
                    ["Distance from home", "Children"],
                    rows,
                    caption=f"Children looked after at 31 March {cur.year} by distance band",
                    additive=True,
                    definitions=[bands_id],
                )
            )
        )
    return blocks


def far_children_block(far: pl.DataFrame, yv: YearValues) -> Block:
    """INTERNAL ONLY: children placed 100 miles or more from home at 31 March
    (``measures.drilldown.placed_at_least``)."""
    rows = [
        Row(
            str(r["CHILD"]),
            [
                Cell(PLACEMENT_TYPE_TITLES.get(r["placement_type"], r["placement_type"]), "text"),
                Cell(r["placement_start"].isoformat() if r["placement_start"] else None, "date"),
                Cell(r["distance_miles"], "miles"),
                Cell(r["pl_la"], "text"),
            ],
        )
        for r in far.iter_rows(named=True)
    ]
    return Block(
        "table",
        table=Table(
            "children_100_miles",
            "Children placed 100 miles or more from home (internal)",
            ["Child", "Placement type", "Placement start", "Miles", "Placement LA"],
            rows,
            caption=f"Child-level list at 31 March {yv.at.year}: internal use only",
            child_level=True,
            definitions=["placed_over_100_miles"],
        ),
    )
