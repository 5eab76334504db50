"""Placement stability: short- and long-term stability year by year, beside comparators."""

from __future__ import annotations

from sufficiency.measures.comparators import comparator_for
from sufficiency.report.caveats import denominator_caveat
from sufficiency.report.messages import DISTANCE_COMPARED
from sufficiency.report.model import Block, Cell, Row, Series, Table
from sufficiency.report.sections.blocks import (
    cell,
    chart,
    paragraph,
    same_year,
    series_values,
    share_pct,
    table_block,
    year_label,
)
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.titles import AREA_TITLES

#: The measures set beside their published comparators: distance by the DfE's own measure
#: (``DISTANCE_COMPARED``), the only distance figure it publishes for other areas.
MEASURE_SHORT = {
    "stability_three_plus": "Three or more placements",
    "stability_long_term": "Long-term stability",
    DISTANCE_COMPARED: "Placed outside the council's area and more than 20 miles from home",
}


@section(
    "stability",
    "Placement stability",
    50,
    trend=("stability_three_plus", "stability_long_term"),
    needs=("benchmarks",),
)
def stability(inp: StatementInputs) -> list[Block]:
    """Stability year by year, this year against comparators, and a chart of the trend."""
    years, marks = inp.years, inp.marks
    rows = [
        Row(
            year_label(yv.year),
            [
                cell(yv, "stability_three_plus"),
                cell(yv, "stability_three_plus", kind="pct"),
                cell(yv, "stability_long_term"),
                cell(yv, "stability_long_term", kind="pct"),
            ],
        )
        for yv in years
    ]
    blocks = [
        table_block(
            Table(
                "stability",
                "Placement stability",
                [
                    "Year",
                    "Three or more placements",
                    "% three or more placements",
                    "Same placement 2+ years",
                    "% same placement 2+ years",
                ],
                rows,
                caption="Short-term and long-term placement stability (DfE definitions)",
                definitions=["stability_three_plus", "stability_long_term"],
            )
        )
    ]
    comparators = [
        (mid, area, mark)
        for mid in MEASURE_SHORT
        for area in AREA_TITLES
        if (mark := comparator_for(marks, mid, years[-1].year, area))
    ]
    compared = list(dict.fromkeys(mid for mid, _, _ in comparators))
    if comparators:
        blocks.append(
            table_block(
                Table(
                    "stability_benchmarks",
                    "Stability and distance compared",
                    ["Measure and comparator", "This council %", "Comparator %"],
                    [
                        Row(
                            f"{MEASURE_SHORT.get(mid, mid)}: {AREA_TITLES[area]}",
                            [
                                cell(years[-1], mid, kind="pct"),
                                Cell(mark.value, "pct", source=f"register:benchmarks {mark.year}"),
                            ],
                        )
                        for mid, area, mark in comparators
                    ],
                    caption=f"This council in {year_label(years[-1].year)} against its comparators"
                    + (
                        "; distance is the DfE's measure, children placed outside the "
                        "council's area and more than 20 miles from home (the distance table's "
                        "'more than 20 miles' counts those inside the area too)"
                        if DISTANCE_COMPARED in compared
                        else ""
                    ),
                    definitions=compared,
                )
            )
        )
    blocks.append(
        chart(
            "stability_chart",
            "Children with three or more placements in the year",
            "line",
            [year_label(y.year) for y in years],
            [
                Series(
                    "This council",
                    series_values([share_pct(y.get("stability_three_plus")) for y in years]),
                )
            ]
            + [
                Series(
                    AREA_TITLES[a],
                    [
                        (
                            m.value
                            if (
                                m := same_year(
                                    comparator_for(marks, "stability_three_plus", y.year, a),
                                    y.year,
                                )
                            )
                            else None
                        )
                        for y in years
                    ],
                )
                for a in AREA_TITLES
                if any(b.measure_id == "stability_three_plus" and b.area == a for b in marks)
            ],
            "Year (ending 31 March)",
            "Per cent of children looked after",
            "%",
        )
    )
    note = denominator_caveat(
        years,
        "stability_long_term",
        "Long-term stability",
        "children under 16 looked after for two and a half years or more",
    )
    if note:
        blocks.append(paragraph(note))
    return blocks
