"""Children looked after: the trend, the rate beside comparators, age, sex, ethnicity, UASC."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sufficiency.codes import AGE_BANDS, FINE_AGE_BANDS
from sufficiency.disclosure import SUPPRESSED
from sufficiency.measures.comparators import comparator_for
from sufficiency.report.model import Block, Cell, Row, Series, Table
from sufficiency.report.sections.blocks import (
    cell,
    change_cell,
    chart,
    denominator,
    keys_in_order,
    paragraph,
    pct_cell,
    placeholder,
    same_year,
    series_values,
    share_of_cla_table,
    table_block,
    year_label,
)
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section
from sufficiency.report.sections.titles import (
    AGE_TITLES,
    AREA_TITLES,
    FINE_AGE_TITLES,
    SEX_TITLES,
)
from sufficiency.report.sources import YearValues

TREND = ("cla_count", "cla_rate_per_10k", "starts", "ceased", "uasc_count")


@section(
    "children_looked_after",
    "Children looked after",
    30,
    trend=TREND,
    needs=("benchmarks", "population_ethnicity"),
    part=True,
)
def children_looked_after(inp: StatementInputs) -> list[Block]:
    """Who the children looked after are, year by year and at 31 March."""
    blocks = _trend(inp.years)
    blocks += _rate(inp)
    blocks += _ages(inp.cur)
    blocks += _ethnicity(inp.cur, inp.population_ethnicity)
    blocks += _uasc(inp.cur)
    return blocks


def _trend(years: Sequence[YearValues]) -> list[Block]:
    rows = []
    prev: YearValues | None = None
    for yv in years:
        cells = [
            cell(yv, "cla_count"),
            change_cell(
                prev.get("cla_count") if prev else None,
                yv.get("cla_count"),
                "derived:cla_count change on previous year",
            ),
            cell(yv, "cla_rate_per_10k", kind="rate"),
            cell(yv, "starts"),
            cell(yv, "ceased"),
            cell(yv, "uasc_count"),
        ]
        rows.append(Row(year_label(yv.year), cells))
        prev = yv
    return [
        table_block(
            Table(
                "cla_trend",
                "Children looked after, year by year",
                [
                    "Year",
                    "Looked after at 31 March",
                    "Change on previous year",
                    "Rate per 10,000 under 18",
                    "Started to be looked after",
                    "Ceased to be looked after",
                    "UASC at 31 March",
                ],
                rows,
                caption="Children looked after at 31 March, starts and ceased in each year",
                definitions=["cla_count", "cla_rate_per_10k", "starts", "ceased", "uasc_count"],
            )
        ),
        chart(
            "cla_trend_chart",
            "Children looked after at 31 March",
            "line",
            [year_label(y.year) for y in years],
            [Series("Children looked after", series_values([y.get("cla_count") for y in years]))],
            "Year (ending 31 March)",
            "Children",
        ),
    ]


def _rate(inp: StatementInputs) -> list[Block]:
    """The rate per 10,000 beside the same year's published comparators."""
    years, marks = inp.years, inp.marks
    areas = [
        a
        for a in AREA_TITLES
        if any(b.measure_id == "cla_rate_per_10k" and b.area == a for b in marks)
    ]
    if not areas:
        return [
            placeholder(
                "Comparison with England, region and statistical neighbours",
                "the council's ONS code in la.toml (the DfE's published figures for every "
                "council are built in), or registers/benchmarks.csv with rows for measure_id "
                "cla_rate_per_10k (year, area england / region / statistical_neighbours, value, "
                "source)",
                "the council's rate per 10,000 set against its comparators, year by year",
                required=False,
            )
        ]

    def mark(year: int, area: str) -> Any:
        return same_year(comparator_for(marks, "cla_rate_per_10k", year, area), year)

    rows = []
    for yv in years:
        cells = [cell(yv, "cla_rate_per_10k", kind="rate")]
        for a in areas:
            m = mark(yv.year, a)
            cells.append(
                Cell(
                    m.value if m else None,
                    "rate",
                    source=f"{m.source} ({m.year})" if m else None,
                )
            )
        rows.append(Row(year_label(yv.year), cells))
    return [
        table_block(
            Table(
                "cla_rate_benchmarks",
                "Rate of children looked after per 10,000 compared",
                ["Year", "This council", *[AREA_TITLES[a] for a in areas]],
                rows,
                caption="Children looked after per 10,000 children under 18, beside the "
                "published figures for England, the region and the statistical neighbours "
                "for the same year (blank where the DfE has not yet published that year, and "
                "the council's own where it did not yet exist)",
                definitions=["cla_rate_per_10k"],
            )
        ),
        *_compared_with(inp),
        chart(
            "cla_rate_chart",
            "Children looked after per 10,000 children",
            "line",
            [year_label(y.year) for y in years],
            [Series("This council", series_values([y.get("cla_rate_per_10k") for y in years]))]
            + [
                Series(
                    AREA_TITLES[a],
                    [(m.value if (m := mark(y.year, a)) else None) for y in years],
                )
                for a in areas
            ],
            "Year (ending 31 March)",
            "Rate per 10,000",
        ),
    ]


def _ages(cur: YearValues) -> list[Block]:
    """Children by age band (one table, the DfE's bands, and its chart) and by sex."""
    blocks: list[Block] = []
    by_age = cur.get("cla_by_age_band")
    if isinstance(by_age, Mapping):
        keys = keys_in_order(by_age, AGE_BANDS)
        blocks.append(
            share_of_cla_table(
                cur,
                "cla_by_age_band",
                keys,
                AGE_TITLES,
                "cla_by_age",
                "Children looked after by age",
                "Age at 31 March",
                f"Children looked after at 31 March {cur.year} by age band",
            )
        )
        blocks.append(
            chart(
                "cla_age_chart",
                f"Children looked after by age, 31 March {cur.year}",
                "bar",
                [AGE_TITLES.get(k, k) for k in keys],
                [Series("Children", series_values([by_age.get(k) for k in keys]))],
                "Age at 31 March (years)",
                "Children",
            )
        )
    by_sex = cur.get("cla_by_sex")
    if isinstance(by_sex, Mapping):
        blocks.append(
            share_of_cla_table(
                cur,
                "cla_by_sex",
                list(by_sex),
                SEX_TITLES,
                "cla_by_sex",
                "Children looked after by sex",
                "Sex",
                f"Children looked after at 31 March {cur.year} by sex",
            )
        )
    return blocks


def _ethnicity(cur: YearValues, pop_ethnicity: Mapping[str, float] | None) -> list[Block]:
    """Children by ethnic group, beside the child population's make-up when it is given."""
    blocks: list[Block] = []
    total = cur.get("cla_count")
    eth_id = next((m for m in ("cla_by_ethnicity", "cla_by_ethnic_group") if m in cur.values), None)
    eth = cur.get(eth_id) if eth_id else None
    pop = pop_ethnicity or {}
    if eth_id and isinstance(eth, Mapping):

        def pop_cell(k: str) -> list[Cell]:
            return [Cell(pop.get(k), "pct", source="register:population")] if pop else []

        rows = [
            Row(
                str(k).replace("_", " ").capitalize(),
                [
                    cell(cur, eth_id, k),
                    pct_cell(eth.get(k), total, "derived:share of CLA"),
                    *pop_cell(str(k)),
                ],
            )
            for k in eth
        ]
        rows.append(
            Row(
                "Total",
                [
                    cell(cur, "cla_count"),
                    pct_cell(total, total, "derived:share of CLA"),
                    *([Cell(None, "pct")] if pop else []),
                ],
                total=True,
            )
        )
        blocks.append(
            table_block(
                Table(
                    "cla_by_ethnicity",
                    "Children looked after by ethnicity",
                    ["Ethnic group", "Children", "%"]
                    + (["% of under-18 population"] if pop else []),
                    rows,
                    caption=f"Children looked after at 31 March {cur.year} by ethnic group"
                    + (" beside the council's child population" if pop else ""),
                    additive=True,
                    definitions=[eth_id],
                )
            )
        )
    if not pop_ethnicity:
        blocks.append(
            placeholder(
                "Ethnicity compared with the council's population",
                "the under-18 population by ethnic group (census 2021) as columns "
                "ethnicity_<group>_pct in registers/population.csv (groups as in the table "
                "above: white, mixed, asian, black, other)",
                "the ethnic make-up of children looked after beside the council's child population",
                required=False,
            )
        )
    return blocks


def _uasc(cur: YearValues) -> list[Block]:
    """Separated migrant children: their share of all, then by age with their total."""
    blocks: list[Block] = []
    share = cur.get("uasc_share")
    rows = [
        Row(
            "Unaccompanied asylum-seeking children (UASC)",
            [
                cell(cur, "uasc_count"),
                denominator(cur, "uasc_share"),
                cell(cur, "uasc_share", kind="pct"),
            ],
        ),
    ]
    blocks.append(
        table_block(
            Table(
                "uasc",
                "Unaccompanied asylum-seeking (separated migrant) children",
                ["", "UASC at 31 March", "All children looked after", "% of children looked after"],
                rows,
                caption=f"Separated migrant children looked after at 31 March {cur.year}",
                definitions=["uasc_count", "uasc_share"],
            )
        )
    )
    by_age = cur.get("uasc_by_age")
    if isinstance(by_age, Mapping):
        keys = keys_in_order(by_age, FINE_AGE_BANDS)
        rows = [Row(FINE_AGE_TITLES.get(k, k), [cell(cur, "uasc_by_age", k)]) for k in keys]
        rows.append(Row("Total", [cell(cur, "uasc_count")], total=True))
        blocks.append(
            table_block(
                Table(
                    "uasc_by_age",
                    "Separated migrant children by age",
                    ["Age at 31 March", "Children"],
                    rows,
                    caption=f"UASC looked after at 31 March {cur.year} by age",
                    additive=True,
                    definitions=["uasc_by_age", "uasc_count"],
                )
            )
        )
    if isinstance(share, Mapping) and share.get("count") == SUPPRESSED:
        blocks.append(
            paragraph("The number of separated migrant children is small and is not shown.")
        )
    return blocks


def _compared_with(inp: StatementInputs) -> list[Block]:
    """Which region and statistical neighbours the comparisons are with, by name."""
    areas = inp.areas
    said = []
    if areas.region:
        said.append(f"The region is {areas.region}.")
    if areas.statistical_neighbours:
        said.append(
            "The statistical neighbours are the ten councils the DfE finds most like this one "
            f"(2025 model): {', '.join(areas.statistical_neighbours)}; their figure is the "
            "simple mean of theirs."
        )
    return [paragraph(" ".join(said))] if said else []
