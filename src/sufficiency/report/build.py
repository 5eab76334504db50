"""Assemble ``StatementData`` from library results: the statement's sections, in order.

Section order follows the seed statements (Hertfordshire 2024, Herefordshire 2023-28):
introduction and the duty, key messages, children looked after, placements, stability, costs,
residential / fostering / supported accommodation / care leavers sufficiency, forecast, gap, home
finding, action plan and targets, definitions. Values come from the measure catalogue; in publish
mode they pass first through the statement's one disclosure step (``report.protect``: every
table, the JSON, the forecast and the gap protected together and audited before anything is
written); register-based tables come from the council's registers as supplied.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from sufficiency import disclosure
from sufficiency.codes import (
    AGE_BANDS,
    FINE_AGE_BANDS,
    LOCATION_BANDS,
    PLACEMENT_TYPE_TITLES,
    PLACEMENT_TYPES,
)
from sufficiency.disclosure import SUPPRESSED
from sufficiency.measures.catalogue import Measure
from sufficiency.measures.change import percent_change
from sufficiency.measures.child_population import population_ethnicity
from sufficiency.measures.comparators import Comparator, comparator_for, comparators
from sufficiency.measures.drilldown import placed_at_least
from sufficiency.measures.targets import POLARITY, assess, read_targets
from sufficiency.report import sources
from sufficiency.report.messages import key_messages
from sufficiency.report.model import (
    Block,
    Cell,
    CellKind,
    Chart,
    Placeholder,
    Row,
    Section,
    Series,
    StatementData,
    Table,
)
from sufficiency.report.protect import protect_statement
from sufficiency.report.providers import SECTOR_TITLES
from sufficiency.report.sources import YearValues
from sufficiency.results import Result
from sufficiency.results import Share as ShareResult

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset

Mode = Literal["publish", "internal"]

AGE_TITLES = {
    "under_1": "Under 1",
    "1_to_4": "1 to 4",
    "5_to_9": "5 to 9",
    "10_to_15": "10 to 15",
    "16_plus": "16 and over",
}
FINE_AGE_TITLES = {
    "under_1": "Under 1",
    "1_to_4": "1 to 4",
    "5_to_9": "5 to 9",
    "10_to_12": "10 to 12",
    "13_to_15": "13 to 15",
    "16_to_17": "16 to 17",
    "18_plus": "18 and over",
}
SEX_TITLES = {"M": "Male", "F": "Female", "U": "Not known", "male": "Male", "female": "Female"}
LOCATION_TITLES = {
    "inside": "Inside the council's area",
    "neighbouring": "Neighbouring areas",
    "distant": "At a distance",
    "unknown": "Location not known",
}
DISTANCE_TITLES = {
    "up_to_20": "Up to 20 miles",
    "over_20_under_100": "Over 20 and under 100 miles",
    "100_plus": "100 miles or more",
    "unknown": "Distance not known",
}
AREA_TITLES = {
    "england": "England",
    "region": "Region",
    "statistical_neighbours": "Statistical neighbours",
}

DUTY_TEXT = (
    "Section 22G of the Children Act 1989 requires local authorities to take steps that secure, "
    "so far as reasonably practicable, sufficient accommodation within their area which meets the "
    "needs of the children they look after and whose circumstances are such that it would be "
    "consistent with their welfare to be provided with accommodation in the area (the "
    "'sufficiency duty'). This statement sets out the council's children looked after, where they "
    "live, the homes available to them, the expected need for homes and what the council will do "
    "to close any gap."
)


# ------------------------------------------------------------------------------- cell helpers
def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(yv: YearValues, measure_id: str, *keys: str, kind: str = "count") -> Cell:
    value = yv.get(measure_id, *keys)
    if not keys and isinstance(yv.result(measure_id), ShareResult):  # one cell: count or pct
        keys = ("pct" if kind == "pct" else "count",)
        value = yv.get(measure_id, *keys)
    return Cell(value, kind, ref=yv.ref(measure_id, *keys))  # type: ignore[arg-type]


def _pct_cell(part: Any, whole: Any, source: str) -> Cell:
    """The percentage a count of children is of a total, by the share rule (``results.Share``:
    one decimal, suppressed when either count is, none of a zero total)."""

    def usable(v: Any) -> bool:
        return disclosure.is_suppressed(v) or (isinstance(v, int) and not isinstance(v, bool))

    if not usable(part) or not usable(whole):
        return Cell(None, "pct", source=source)
    return Cell(ShareResult(part, whole).pct, "pct", source=source)


def _share_of_cla_table(
    cur: YearValues,
    measure_id: str,
    keys: Sequence[str],
    titles: Mapping[str, str],
    table_id: str,
    title: str,
    label: str,
    caption: str,
    mode: Mode,
) -> Block:
    """A breakdown of children looked after: children and % of all, with a total row."""
    total = cur.get("cla_count")
    values = cur.get(measure_id)
    assert isinstance(values, Mapping)
    rows = [
        Row(
            titles.get(k, k),
            [
                _cell(cur, measure_id, k),
                _pct_cell(values.get(k), total, "derived:share of CLA"),
            ],
        )
        for k in keys
    ]
    rows.append(
        Row(
            "Total",
            [_cell(cur, "cla_count"), _pct_cell(total, total, "derived:share of CLA")],
            total=True,
        )
    )
    table = Table(
        table_id,
        title,
        [label, "Children", "%"],
        rows,
        caption=caption,
        additive=True,
        definitions=[measure_id],
    )
    return _table_block(table, mode)


def _change_cell(prev: Any, cur: Any, source: str) -> Cell:
    """The per cent change on the previous year (``measures.change``), as a cell."""
    return Cell(percent_change(prev, cur), "pct", source=source)


def _num_or_none(value: Any) -> float | None:
    return float(value) if _is_num(value) else None


def _table_block(table: Table, mode: Mode) -> Block:
    """A table as a block (in publish mode its figures come already protected, across every
    table together, by ``report.protect``)."""
    del mode
    return Block("table", table=table)


def _p(text: str) -> Block:
    return Block("paragraph", text=text)


def _placeholder(title: str, needs: str, fills_with: str) -> Block:
    return Block("placeholder", placeholder=Placeholder(title, needs, fills_with))


def _series_values(values: Sequence[Any]) -> list[float | None]:
    return [_num_or_none(v) for v in values]


def _fmt_num(v: float, unit: str) -> str:
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    return text + unit


def _alt(title: str, categories: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """Alt text that states the data: every point for short series, a summary for long ones."""
    parts = []
    for s in series:
        label = f"{s.name}: " if len(series) > 1 else ""
        pts = [(c, v) for c, v in zip(categories, s.values, strict=False) if v is not None]
        if not pts:
            parts.append(label + "no values shown")
        elif len(categories) <= 10:
            parts.append(
                label
                + "; ".join(
                    f"{c}: {_fmt_num(v, unit)}" if v is not None else f"{c}: not shown"
                    for c, v in zip(categories, s.values, strict=False)
                )
            )
        else:
            hi = max(pts, key=lambda p: p[1])
            parts.append(
                label
                + f"from {_fmt_num(pts[0][1], unit)} ({pts[0][0]}) to {_fmt_num(pts[-1][1], unit)} "
                f"({pts[-1][0]}), highest {_fmt_num(hi[1], unit)} ({hi[0]})"
            )
    note = (
        " Values not shown are suppressed or not available."
        if any(v is None for s in series for v in s.values) and len(categories) <= 10
        else ""
    )
    return f"{title}. " + ". ".join(parts) + "." + note


def _chart(
    cid: str,
    title: str,
    kind: Literal["bar", "line", "barh"],
    categories: list[str],
    series: list[Series],
    x_label: str,
    y_label: str,
    unit: str = "",
) -> Block:
    return Block(
        "chart",
        chart=Chart(
            cid,
            title,
            kind,
            categories,
            series,
            x_label,
            y_label,
            _alt(title, categories, series, unit),
            unit,
        ),
    )


def _same_year(mark: Comparator | None, year: int) -> Comparator | None:
    """A comparator only for its own year: a year-by-year table or chart never draws an older
    published figure as if it were current."""
    return mark if mark is not None and mark.year == year else None


def _year_label(year: int) -> str:
    return f"{year - 1}-{str(year)[2:]}"


# ----------------------------------------------------------------------------------- sections
def _withheld(record: Any, info: Mapping[str, Measure]) -> list[str]:
    """Titles of the measures a publish-mode statement withholds, with their years."""
    if record is None:
        return []
    out = []
    for table in sorted(record.protection.withheld):
        mid, _, day = table.partition("@")
        title = info[mid].title if mid in info else mid
        out.append(f"{title} ({_year_label(int(day[:4]))})")
    return out


def _introduction(
    ds: Dataset, year: int, mode: Mode, registers: list[str], withheld: Sequence[str] = ()
) -> Section:
    blocks = [
        _p(DUTY_TEXT),
        _p(
            f"This statement covers the year 1 April {year - 1} to 31 March {year} "
            f"({_year_label(year)}). Figures for children looked after are taken from the "
            f"council's SSDA903 returns ({', '.join(_year_label(y) for y in ds.returns)}), "
            "counted as the Department for Education counts them: children looked after under an "
            "agreed series of short-term breaks are excluded."
        ),
    ]
    if registers:
        blocks.append(
            _p(
                "Supply, costs, benchmarks and plans come from the council's registers: "
                + ", ".join(sorted(registers))
                + "."
            )
        )
    else:
        blocks.append(
            _p(
                "No registers (costs, carers, homes, benchmarks, actions, targets) were "
                "supplied, so the sections that depend on them say what would fill them."
            )
        )
    if mode == "publish":
        blocks.append(
            _p(
                f"Counts of children from {disclosure.threshold_text(ds.profile.small_count_max)}"
                ", and percentages, rates, bed nights, spend and forecasts built on them, are "
                "shown as [c] to protect children's privacy (the Department for Education's "
                "threshold for local authority figures). Further figures are suppressed wherever "
                "a total, a group of placement types, a table's margins, another table or another "
                "year would let a reader work a suppressed number out, and before the statement "
                "is written an audit checks that no suppressed number can be narrowed to fewer "
                "than three possible values. Providers are shown by sector, not by name."
            )
        )
        if withheld:
            blocks.append(
                _p(
                    "Withheld because no suppression could stop the small numbers in them "
                    "being worked out: " + "; ".join(withheld) + "."
                )
            )
    else:
        blocks.append(
            _p(
                "INTERNAL VERSION: small numbers are not suppressed and child-level tables are "
                "included. Do not publish or share outside the council's analysts."
            )
        )
    return Section("introduction", "Introduction and the sufficiency duty", blocks)


def _cla_section(
    years: list[YearValues],
    marks: Sequence[Comparator],
    mode: Mode,
    info: Mapping[str, Measure],
    pop_ethnicity: Mapping[str, float] | None = None,
) -> Section:
    cur = years[-1]
    blocks: list[Block] = []
    # trend
    rows = []
    prev: YearValues | None = None
    for yv in years:
        cells = [
            _cell(yv, "cla_count"),
            _change_cell(
                prev.get("cla_count") if prev else None,
                yv.get("cla_count"),
                "derived:cla_count change on previous year",
            ),
            _cell(yv, "cla_rate_per_10k", kind="rate"),
            _cell(yv, "starts"),
            _cell(yv, "ceased"),
            _cell(yv, "uasc_count"),
        ]
        rows.append(Row(_year_label(yv.year), cells))
        prev = yv
    blocks.append(
        _table_block(
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
            ),
            mode,
        )
    )
    blocks.append(
        _chart(
            "cla_trend_chart",
            "Children looked after at 31 March",
            "line",
            [_year_label(y.year) for y in years],
            [Series("Children looked after", _series_values([y.get("cla_count") for y in years]))],
            "Year (ending 31 March)",
            "Children",
        )
    )
    # rate vs benchmarks
    areas = [
        a
        for a in AREA_TITLES
        if any(b.measure_id == "cla_rate_per_10k" and b.area == a for b in marks)
    ]
    if areas:
        rows = []
        for yv in years:
            cells = [_cell(yv, "cla_rate_per_10k", kind="rate")]
            for a in areas:
                mark = _same_year(comparator_for(marks, "cla_rate_per_10k", yv.year, a), yv.year)
                cells.append(
                    Cell(
                        mark.value if mark else None,
                        "rate",
                        source=f"{mark.source} ({mark.year})" if mark else None,
                    )
                )
            rows.append(Row(_year_label(yv.year), cells))
        blocks.append(
            _table_block(
                Table(
                    "cla_rate_benchmarks",
                    "Rate of children looked after per 10,000 compared",
                    ["Year", "This council", *[AREA_TITLES[a] for a in areas]],
                    rows,
                    caption="Children looked after per 10,000 children under 18, beside the "
                    "published figures for England, the region and the statistical neighbours "
                    "for the same year (blank where the DfE has not yet published that year)",
                    definitions=["cla_rate_per_10k"],
                ),
                mode,
            )
        )
        blocks.append(
            _chart(
                "cla_rate_chart",
                "Children looked after per 10,000 children",
                "line",
                [_year_label(y.year) for y in years],
                [Series("This council", _series_values([y.get("cla_rate_per_10k") for y in years]))]
                + [
                    Series(
                        AREA_TITLES[a],
                        [
                            (
                                m.value
                                if (
                                    m := _same_year(
                                        comparator_for(marks, "cla_rate_per_10k", y.year, a),
                                        y.year,
                                    )
                                )
                                else None
                            )
                            for y in years
                        ],
                    )
                    for a in areas
                ],
                "Year (ending 31 March)",
                "Rate per 10,000",
            )
        )
    else:
        blocks.append(
            _placeholder(
                "Comparison with England, region and statistical neighbours",
                "the council's ONS code in la.toml (the DfE's published figures for every "
                "council are built in), or registers/benchmarks.csv with rows for measure_id "
                "cla_rate_per_10k (year, area england / region / statistical_neighbours, value, "
                "source)",
                "the council's rate per 10,000 set against its comparators, year by year",
            )
        )
    # age
    total = cur.get("cla_count")
    by_age = cur.get("cla_by_age_band")
    if isinstance(by_age, Mapping):
        blocks.append(
            _share_of_cla_table(
                cur,
                "cla_by_age_band",
                _keys(by_age, AGE_BANDS),
                AGE_TITLES,
                "cla_by_age",
                "Children looked after by age",
                "Age at 31 March",
                f"Children looked after at 31 March {cur.year} by age band",
                mode,
            )
        )
        blocks.append(
            _chart(
                "cla_age_chart",
                f"Children looked after by age, 31 March {cur.year}",
                "bar",
                [AGE_TITLES.get(k, k) for k in _keys(by_age, AGE_BANDS)],
                [
                    Series(
                        "Children",
                        _series_values([by_age.get(k) for k in _keys(by_age, AGE_BANDS)]),
                    )
                ],
                "Age at 31 March (years)",
                "Children",
            )
        )
    fine = cur.get("cla_by_fine_age_band")
    if isinstance(fine, Mapping):
        blocks.append(
            _share_of_cla_table(
                cur,
                "cla_by_fine_age_band",
                _keys(fine, FINE_AGE_BANDS),
                FINE_AGE_TITLES,
                "cla_by_fine_age",
                "Children looked after by age (statement bands)",
                "Age at 31 March",
                f"Children looked after at 31 March {cur.year} by the finer age bands "
                "sufficiency statements use",
                mode,
            )
        )
    by_sex = cur.get("cla_by_sex")
    if isinstance(by_sex, Mapping):
        blocks.append(
            _share_of_cla_table(
                cur,
                "cla_by_sex",
                list(by_sex),
                SEX_TITLES,
                "cla_by_sex",
                "Children looked after by sex",
                "Sex",
                f"Children looked after at 31 March {cur.year} by sex",
                mode,
            )
        )
    eth_id = next((m for m in ("cla_by_ethnicity", "cla_by_ethnic_group") if m in cur.values), None)
    eth = cur.get(eth_id) if eth_id else None
    if eth_id and isinstance(eth, Mapping):
        pop = pop_ethnicity or {}

        def pop_cell(k: str) -> list[Cell]:
            if not pop:
                return []
            return [Cell(pop.get(k), "pct", source="register:population")]

        rows = [
            Row(
                str(k).replace("_", " ").capitalize(),
                [
                    _cell(cur, eth_id, k),
                    _pct_cell(eth.get(k), total, "derived:share of CLA"),
                    *pop_cell(str(k)),
                ],
            )
            for k in eth
        ]
        rows.append(
            Row(
                "Total",
                [
                    _cell(cur, "cla_count"),
                    _pct_cell(total, total, "derived:share of CLA"),
                    *([Cell(None, "pct")] if pop else []),
                ],
                total=True,
            )
        )
        blocks.append(
            _table_block(
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
                ),
                mode,
            )
        )
    if not pop_ethnicity:
        blocks.append(
            _placeholder(
                "Ethnicity compared with the council's population",
                "the under-18 population by ethnic group (census 2021) as columns "
                "ethnicity_<group>_pct in registers/population.csv (groups as in the table "
                "above: white, mixed, asian, black, other)",
                "the ethnic make-up of children looked after beside the council's child population",
            )
        )
    # UASC (separated migrant children): share of CLA, then by age with its total
    share = cur.get("uasc_share")
    rows = [
        Row(
            "Unaccompanied asylum-seeking children (UASC)",
            [
                _cell(cur, "uasc_count"),
                _denominator(cur, "uasc_share"),
                _cell(cur, "uasc_share", kind="pct"),
            ],
        ),
    ]
    blocks.append(
        _table_block(
            Table(
                "uasc",
                "Unaccompanied asylum-seeking (separated migrant) children",
                ["", "UASC at 31 March", "All children looked after", "% of children looked after"],
                rows,
                caption=f"Separated migrant children looked after at 31 March {cur.year}",
                definitions=["uasc_count", "uasc_share"],
            ),
            mode,
        )
    )
    by_age = cur.get("uasc_by_age")
    if isinstance(by_age, Mapping):
        keys = _keys(by_age, FINE_AGE_BANDS)
        rows = [Row(FINE_AGE_TITLES.get(k, k), [_cell(cur, "uasc_by_age", k)]) for k in keys]
        rows.append(Row("Total", [_cell(cur, "uasc_count")], total=True))
        blocks.append(
            _table_block(
                Table(
                    "uasc_by_age",
                    "Separated migrant children by age",
                    ["Age at 31 March", "Children"],
                    rows,
                    caption=f"UASC looked after at 31 March {cur.year} by age",
                    additive=True,
                    definitions=["uasc_by_age", "uasc_count"],
                ),
                mode,
            )
        )
    if isinstance(share, Mapping) and share.get("count") == SUPPRESSED:
        blocks.append(_p("The number of separated migrant children is small and is not shown."))
    return Section("children_looked_after", "Children looked after", blocks)


def _keys(values: Mapping[str, Any], order: Sequence[str]) -> list[str]:
    first = [k for k in order if k in values]
    return first + [k for k in values if k not in first]


def _placements_section(
    ds: Dataset, years: list[YearValues], marks: Sequence[Comparator], mode: Mode
) -> Section:
    cur = years[-1]
    blocks: list[Block] = []
    by_type = cur.get("cla_by_placement_type")
    if isinstance(by_type, Mapping):
        keys = _keys(by_type, PLACEMENT_TYPES)
        blocks.append(
            _share_of_cla_table(
                cur,
                "cla_by_placement_type",
                keys,
                PLACEMENT_TYPE_TITLES,
                "cla_by_placement_type",
                "Children looked after by placement type",
                "Placement type",
                f"Children looked after at 31 March {cur.year} by placement type",
                mode,
            )
        )
        shown = [k for k in keys if by_type.get(k) not in (0, None)]
        blocks.append(
            _chart(
                "placement_type_chart",
                f"Children looked after by placement type, 31 March {cur.year}",
                "barh",
                [PLACEMENT_TYPE_TITLES.get(k, k) for k in shown],
                [Series("Children", _series_values([by_type.get(k) for k in shown]))],
                "Children",
                "Placement type",
            )
        )
    matrix = cur.get("placement_type_by_location")
    if isinstance(matrix, Mapping) and matrix:
        bands = list(LOCATION_BANDS)
        rows = []
        for k in _keys(matrix, PLACEMENT_TYPES):
            inner = matrix[k] if isinstance(matrix[k], Mapping) else {}
            cells = [_cell(cur, "placement_type_by_location", k, b) for b in bands]
            cells.append(_cell(cur, "cla_by_placement_type", k))
            rows.append(Row(PLACEMENT_TYPE_TITLES.get(k, k), cells))
            del inner
        cells = [_cell(cur, "cla_by_location", b) for b in bands]
        cells.append(_cell(cur, "cla_count"))
        rows.append(Row("Total", cells, total=True))
        blocks.append(
            _table_block(
                Table(
                    "placement_type_by_location",
                    "Placement type by location",
                    ["Placement type", *[LOCATION_TITLES[b] for b in bands], "Total"],
                    rows,
                    caption=f"Children looked after at 31 March {cur.year}: placement type by where "
                    "the placement is (inside the area, neighbouring areas, at a distance)",
                    additive=True,
                    definitions=["placement_type_by_location", "cla_by_location"],
                ),
                mode,
            )
        )
    by_loc = cur.get("cla_by_location")
    if isinstance(by_loc, Mapping):
        blocks.append(
            _chart(
                "location_chart",
                f"Where children live, 31 March {cur.year}",
                "bar",
                [LOCATION_TITLES.get(k, k) for k in _keys(by_loc, LOCATION_BANDS)],
                [
                    Series(
                        "Children",
                        _series_values([by_loc.get(k) for k in _keys(by_loc, LOCATION_BANDS)]),
                    )
                ],
                "Location of placement",
                "Children",
            )
        )
    # distance
    rows = []
    for yv in years:
        rows.append(
            Row(
                _year_label(yv.year),
                [
                    _cell(yv, "placed_over_20_miles"),
                    _cell(yv, "placed_over_20_miles", kind="pct"),
                    _cell(yv, "placed_over_100_miles"),
                    _cell(yv, "placed_over_100_miles", kind="pct"),
                    _denominator(yv, "placed_over_20_miles"),
                ],
            )
        )
    blocks.append(
        _table_block(
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
            ),
            mode,
        )
    )
    bands_id = next(
        (m for m in ("cla_by_distance_band", "cla_by_distance") if m in cur.values), None
    )
    if bands_id and isinstance(cur.get(bands_id), Mapping):
        dist = cur.get(bands_id)
        rows = [
            Row(DISTANCE_TITLES.get(k, k), [_cell(cur, bands_id, k)])
            for k in _keys(dist, tuple(DISTANCE_TITLES))
        ]
        rows.append(Row("Total", [_cell(cur, "cla_count")], total=True))
        blocks.append(
            _table_block(
                Table(
                    "distance_bands",
                    "Children by distance band",
                    ["Distance from home", "Children"],
                    rows,
                    caption=f"Children looked after at 31 March {cur.year} by distance band",
                    additive=True,
                    definitions=[bands_id],
                ),
                mode,
            )
        )
    if mode == "internal":
        blocks.append(_drilldown_100_miles(ds, cur))
    return Section("placements", "Placements", blocks)


def _denominator(yv: YearValues, measure_id: str) -> Cell:
    value = yv.get(measure_id)
    den = value.get("denominator") if isinstance(value, Mapping) else None
    return Cell(den, "count", ref=yv.ref(measure_id, "denominator"))


def _drilldown_100_miles(ds: Dataset, yv: YearValues) -> Block:
    """INTERNAL ONLY: children placed 100 miles or more from home at 31 March."""
    at = yv.at
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
        for r in placed_at_least(ds, at).iter_rows(named=True)
    ]
    return Block(
        "table",
        table=Table(
            "children_100_miles",
            "Children placed 100 miles or more from home (internal)",
            ["Child", "Placement type", "Placement start", "Miles", "Placement LA"],
            rows,
            caption=f"Child-level list at 31 March {at.year}: internal use only",
            child_level=True,
            definitions=["placed_over_100_miles"],
        ),
    )


def _stability_section(years: list[YearValues], marks: Sequence[Comparator], mode: Mode) -> Section:
    blocks: list[Block] = []
    rows = []
    for yv in years:
        rows.append(
            Row(
                _year_label(yv.year),
                [
                    _cell(yv, "stability_three_plus"),
                    _cell(yv, "stability_three_plus", kind="pct"),
                    _cell(yv, "stability_long_term"),
                    _cell(yv, "stability_long_term", kind="pct"),
                ],
            )
        )
    blocks.append(
        _table_block(
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
            ),
            mode,
        )
    )
    comparators = []
    for mid in ("stability_three_plus", "stability_long_term", "placed_over_20_miles"):
        for area in AREA_TITLES:
            mark = comparator_for(marks, mid, years[-1].year, area)
            if mark:
                comparators.append((mid, area, mark))
    if comparators:
        rows = [
            Row(
                f"{_MEASURE_SHORT.get(mid, mid)}: {AREA_TITLES[area]}",
                [
                    _cell(years[-1], mid, kind="pct"),
                    Cell(mark.value, "pct", source=f"register:benchmarks {mark.year}"),
                ],
            )
            for mid, area, mark in comparators
        ]
        blocks.append(
            _table_block(
                Table(
                    "stability_benchmarks",
                    "Stability and distance compared",
                    ["Measure and comparator", "This council %", "Comparator %"],
                    rows,
                    caption=f"This council in {_year_label(years[-1].year)} against its comparators",
                ),
                mode,
            )
        )
    blocks.append(
        _chart(
            "stability_chart",
            "Children with three or more placements in the year",
            "line",
            [_year_label(y.year) for y in years],
            [
                Series(
                    "This council",
                    _series_values([_share_pct(y.get("stability_three_plus")) for y in years]),
                )
            ]
            + [
                Series(
                    AREA_TITLES[a],
                    [
                        (
                            m.value
                            if (m := comparator_for(marks, "stability_three_plus", y.year, a))
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
    return Section("stability", "Placement stability", blocks)


_MEASURE_SHORT = {
    "stability_three_plus": "Three or more placements",
    "stability_long_term": "Long-term stability",
    "placed_over_20_miles": "Placed more than 20 miles away",
}


def _share_pct(value: Any) -> Any:
    return value.get("pct") if isinstance(value, Mapping) else None


def weekly_costs(years: Sequence[YearValues]) -> dict[str, dict[str, float]]:
    """Average weekly cost paid by placement type, year by year (the catalogue's measure)."""
    out: dict[str, dict[str, float]] = {}
    for yv in years:
        value = yv.get("average_weekly_cost_by_type")
        if isinstance(value, Mapping):
            for t, v in value.items():
                if _is_num(v):
                    out.setdefault(str(t), {})[str(yv.year)] = float(v)
    return out


def _costs_section(ds: Dataset, years: list[YearValues], mode: Mode) -> Section:
    blocks: list[Block] = []
    cur = years[-1]
    if sources.register(ds, "costs") is None or cur.get("spend_total") is None:
        blocks.append(
            _placeholder(
                "Weekly costs and spend by placement type",
                "registers/costs.csv with placement_type, year (the year the financial year "
                "ends) and weekly_cost (optionally urn or provider)",
                "average weekly cost of each placement type year by year, and spend by type "
                "(each placement's bed nights costed at its weekly cost)",
            )
        )
        return Section("costs", "Costs", blocks, status="placeholder")
    costs = weekly_costs(years)
    types = [t for t in PLACEMENT_TYPES if t in costs]
    cost_years = [y for y in years if isinstance(y.get("average_weekly_cost_by_type"), Mapping)]
    rows = [
        Row(
            PLACEMENT_TYPE_TITLES.get(t, t),
            [_cell(y, "average_weekly_cost_by_type", t, kind="money") for y in cost_years],
        )
        for t in types
    ]
    blocks.append(
        _table_block(
            Table(
                "weekly_costs",
                "Average weekly cost by placement type",
                ["Placement type", *[_year_label(y.year) for y in cost_years]],
                rows,
                caption="Spend divided by the weeks of care it bought, by placement type and "
                "financial year",
                definitions=["average_weekly_cost_by_type"],
            ),
            mode,
        )
    )
    blocks.append(
        _chart(
            "weekly_costs_chart",
            "Average weekly cost by placement type",
            "line",
            [_year_label(y.year) for y in cost_years],
            [
                Series(
                    PLACEMENT_TYPE_TITLES.get(t, t),
                    [costs[t].get(str(y.year)) for y in cost_years],
                )
                for t in types[:7]
            ],
            "Financial year",
            "Weekly cost (£)",
        )
    )
    spend = cur.get("spend_by_placement_type")
    if isinstance(spend, Mapping):
        rows = []
        for t in _keys(spend, PLACEMENT_TYPES):
            if spend.get(t) in (None, 0) and cur.get("bed_nights_by_placement_type", t) in (
                None,
                0,
            ):
                continue
            rows.append(
                Row(
                    PLACEMENT_TYPE_TITLES.get(t, t),
                    [
                        _cell(cur, "bed_nights_by_placement_type", t, kind="number"),
                        _cell(cur, "average_weekly_cost_by_type", t, kind="money"),
                        _cell(cur, "spend_by_placement_type", t, kind="money"),
                    ],
                )
            )
        rows.append(
            Row(
                "Total",
                [
                    _cell(cur, "bed_nights_total", kind="number"),
                    Cell(None, "money"),
                    _cell(cur, "spend_total", kind="money"),
                ],
                total=True,
            )
        )
        blocks.append(
            _table_block(
                Table(
                    "spend_by_type",
                    "Bed nights and spend by placement type",
                    [
                        "Placement type",
                        "Bed nights in the year",
                        "Average weekly cost",
                        "Spend in the year",
                    ],
                    rows,
                    caption=f"Bed nights and spend in {_year_label(cur.year)} by placement type",
                    definitions=[
                        "bed_nights_by_placement_type",
                        "average_weekly_cost_by_type",
                        "spend_by_placement_type",
                        "spend_total",
                    ],
                ),
                mode,
            )
        )
        uncosted = cur.get("uncosted_bed_nights")
        if _is_num(uncosted) and uncosted:
            blocks.append(
                _p(
                    f"{uncosted:,} bed nights had no weekly cost in registers/costs and are left "
                    "out of the spend above."
                )
            )
    return Section("costs", "Costs", blocks)


def _kind_for(info: Measure | None, key: str = "") -> CellKind:
    unit = info.unit if info else "number"
    if key.endswith("_pct") or key == "pct":
        return "pct"
    if unit == "money" or key in ("spend", "weekly_cost", "cost"):
        return "money"
    if unit == "rate":
        return "rate"
    if unit in ("count", "counts", "share", "table") and key not in ("median", "beds_per_child"):
        return "count"
    return "number"


def _label(key: str) -> str:
    """A key's title: placement types and sectors by their titles, other ids in words; a name
    (a provider's) as it is written."""
    if key in PLACEMENT_TYPE_TITLES:
        return PLACEMENT_TYPE_TITLES[key]
    if key in SECTOR_TITLES:
        return SECTOR_TITLES[key]
    if not re.fullmatch(r"[a-z0-9_]+", key):
        return key
    return key.replace("_pct", " (%)").replace("_", " ").capitalize()


def measure_blocks(
    cur: YearValues, ids: Sequence[str], info: Mapping[str, Measure], mode: Mode, title: str
) -> list[Block]:
    """Lay out any catalogue measures: single values in one table, breakdowns in their own.

    Shares show count, denominator and percentage; flat breakdowns a row per key; nested
    breakdowns a matrix. Values that are absent (None) are left out: the data did not support them.
    """
    blocks: list[Block] = []
    singles: list[Row] = []
    for mid in ids:
        value = cur.get(mid)
        m = info.get(mid)
        name = m.title if m else mid
        if value is None or (isinstance(value, Mapping) and not value):
            continue
        if isinstance(cur.result(mid), ShareResult):
            singles.append(
                Row(
                    name,
                    [_cell(cur, mid), _denominator(cur, mid), _cell(cur, mid, kind="pct")],
                )
            )
        elif not isinstance(value, Mapping):
            singles.append(
                Row(
                    name,
                    [
                        Cell(value, _kind_for(m), ref=cur.ref(mid)),
                        Cell(None, "count"),
                        Cell(None, "pct"),
                    ],
                )
            )
        elif all(not isinstance(v, Mapping) for v in value.values()):
            rows = [
                Row(_label(str(k)), [Cell(v, _kind_for(m, str(k)), ref=cur.ref(mid, str(k)))])
                for k, v in value.items()
                if not isinstance(v, list)
            ]
            blocks.append(
                _table_block(
                    Table(
                        mid,
                        name,
                        ["", "Value"],
                        rows,
                        caption=f"{name}, year ending 31 March {cur.year}",
                        definitions=[mid],
                    ),
                    mode,
                )
            )
        else:
            cols: list[str] = []
            for inner in value.values():
                if isinstance(inner, Mapping):
                    cols += [
                        str(c)
                        for c, v in inner.items()
                        if str(c) not in cols and not isinstance(v, Mapping | list)
                    ]
            rows = [
                Row(
                    _label(str(k)),
                    [
                        Cell(
                            inner.get(c),
                            _kind_for(m, c),
                            ref=cur.ref(mid, str(k), c),
                        )
                        for c in cols
                    ],
                )
                for k, inner in value.items()
                if isinstance(inner, Mapping)
            ]
            blocks.append(
                _table_block(
                    Table(
                        mid,
                        name,
                        ["", *[_label(c) for c in cols]],
                        rows,
                        caption=f"{name}, year ending 31 March {cur.year}",
                        definitions=[mid],
                    ),
                    mode,
                )
            )
    if singles:
        blocks.insert(
            0,
            _table_block(
                Table(
                    f"{title.lower().replace(' ', '_')}_measures",
                    f"{title}: key measures",
                    ["Measure", "Value", "Out of", "%"],
                    singles,
                    caption=f"{title}, 31 March {cur.year} (shares: children counted, out of how "
                    "many, and the percentage)",
                    definitions=[r for r in ids if r in cur.values],
                ),
                mode,
            ),
        )
    return blocks


#: Which catalogue measures belong in which supply section (by id prefix or theme).
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

SUPPLY_NEEDS = {
    "residential": "registers/homes.csv (urn, name, provider, sector, local_authority, postcode, "
    "places, rating, ...), registers/contracts.csv and registers/costs.csv",
    "fostering": "registers/carers.csv (household_id, status, approval_types, places, occupied, "
    "...), registers/recruitment.csv and registers/adopters.csv",
    "supported_accommodation": "registers/supported_accommodation.csv (provider, urn, postcode, "
    "units, occupied, uasc_only, registered_date)",
    "care_leavers": "the SSDA903 OC3 table (care leavers' accommodation and activity)",
}

SECTION_REGISTERS = {
    "residential": ("homes",),
    "fostering": ("carers",),
    "supported_accommodation": ("supported_accommodation",),
}

PLACEMENT_GROUPS = {
    "residential": ("in_house_residential", "external_residential", "secure", "residential_school"),
    "fostering": ("in_house_fostering", "family_and_friends", "ifa", "other_public_fostering"),
    "supported_accommodation": ("supported_accommodation", "independent_living"),
}


def section_measure_ids(sid: str, info: Mapping[str, Measure]) -> list[str]:
    prefixes = SECTION_MEASURES.get(sid, ())
    themes = SECTION_THEMES.get(sid, ())
    return [
        m.id for m in info.values() if m.theme in themes or (prefixes and m.id.startswith(prefixes))
    ]


def _has_value(cur: YearValues, ids: Sequence[str]) -> bool:
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


def _table_present(ds: Dataset, name: str) -> bool:
    frame = ds.tables.get(name)
    return frame is not None and frame.height > 0


def _supply_section(
    ds: Dataset,
    sid: str,
    title: str,
    years: list[YearValues],
    info: Mapping[str, Measure],
    mode: Mode,
) -> Section:
    """Residential, fostering, supported accommodation and care leavers sufficiency."""
    cur = years[-1]
    blocks: list[Block] = []
    by_type = cur.get("cla_by_placement_type")
    if sid in PLACEMENT_GROUPS and isinstance(by_type, Mapping):
        rows = [
            Row(PLACEMENT_TYPE_TITLES[t], [_cell(cur, "cla_by_placement_type", t)])
            for t in PLACEMENT_GROUPS[sid]
            if t in by_type
        ]
        blocks.append(
            _table_block(
                Table(
                    f"{sid}_children",
                    f"Children looked after in {title.lower()}",
                    ["Placement type", "Children at 31 March"],
                    rows,
                    caption=f"Children looked after at 31 March {cur.year} in these placement types",
                    definitions=["cla_by_placement_type"],
                ),
                mode,
            )
        )
    ids = section_measure_ids(sid, info)
    if sid == "care_leavers" and not _table_present(ds, "oc3"):
        ids = []  # without the OC3 table the care leaver measures are empty, not zero
    if sid == "fostering" and "supply_carer_net_change" in ids:
        blocks.extend(_foster_trend(years, mode))
    missing = [r for r in SECTION_REGISTERS.get(sid, ()) if sources.register(ds, r) is None]
    status: Literal["complete", "partial", "placeholder"] = "complete"
    if _has_value(cur, ids):
        shown = [i for i in ids if not (sid == "fostering" and i == "supply_carer_net_change")]
        blocks.extend(measure_blocks(cur, shown, info, mode, title))
    else:
        status = "partial" if sid in PLACEMENT_GROUPS else "placeholder"
    if missing or status != "complete":
        blocks.append(
            _placeholder(
                f"{title}: supply and sufficiency",
                SUPPLY_NEEDS[sid]
                + (
                    ""
                    if ids
                    else " and the supply measures (sufficiency.supply) in the measure catalogue"
                ),
                "the homes and places available, occupancy and quality, set against the children "
                "who need them",
            )
        )
        if status == "complete":
            status = "partial"
    return Section(sid, title, blocks, status=status)


def _foster_trend(years: Sequence[YearValues], mode: Mode) -> list[Block]:
    """In-house foster households year by year (Hertfordshire's net gain / loss)."""
    rows = []
    keys = ("start", "approvals", "deregistrations", "net", "end")
    for yv in years:
        if not isinstance(yv.get("supply_carer_net_change"), Mapping):
            continue
        rows.append(
            Row(
                _year_label(yv.year),
                [_cell(yv, "supply_carer_net_change", k, kind="number") for k in keys]
                + [_cell(yv, "supply_carer_places", kind="number")],
            )
        )
    if not rows:
        return []
    return [
        _table_block(
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
                caption="Approved in-house fostering households (registers/carers)",
                definitions=["supply_carer_net_change", "supply_carer_places"],
            ),
            mode,
        )
    ]


def _forecast_section(forecast: Mapping[str, Any] | None, years: list[YearValues]) -> Section:
    """The baseline forecast (sufficiency.forecast): children by type at each 31 March, costs."""
    blocks: list[Block] = []
    if not forecast or "error" in forecast:
        blocks.append(
            _placeholder(
                "Forecast of children looked after",
                "the forecast capability (sufficiency.forecast: transition model fitted on the "
                "returns' reference period)"
                + (
                    f" — it could not run: {forecast['error']}"
                    if forecast and "error" in forecast
                    else ""
                ),
                "projected children looked after by placement type over the next years, with "
                "uncertainty bands and scenarios",
            )
        )
        return Section("forecast", "Forecast of need", blocks, status="placeholder")
    scenarios = forecast.get("scenarios", {})
    scen: dict[str, Any] = scenarios.get("baseline") or next(iter(scenarios.values()), {})
    ref = forecast.get("reference", {})
    blocks.append(
        _p(
            f"The forecast fits a model of how children move into, between and out of care on "
            f"the council's own returns from {ref.get('start')} to {ref.get('end')} (model "
            f"configuration '{forecast.get('config')}') and projects it forward. Figures are "
            "expected numbers of children; the range shows the 10th to 90th percentile. "
            "Placement types whose current number is suppressed have their forecasts "
            "suppressed too, as they would show roughly how many children there are now."
        )
    )
    yearly = [y for y in scen.get("yearly", []) if isinstance(y, Mapping)]
    src = "forecast:" + str(scen.get("name", "baseline"))
    if yearly:
        labels = [str(y.get("date", y.get("year", "")))[:10] for y in yearly]
        cats = [
            c
            for c in forecast.get("categories", [])
            if any(
                _round(y.get("by_category", {}).get(c, {}).get("mean")) not in (None, 0)
                for y in yearly
            )
        ]
        rows = [
            Row(
                PLACEMENT_TYPE_TITLES.get(c, c),
                [
                    Cell(
                        _round(y.get("by_category", {}).get(c, {}).get("mean")),
                        "number",
                        ref=f"forecast.{c}@{label}",
                        source=src,
                    )
                    for y, label in zip(yearly, labels, strict=True)
                ],
            )
            for c in cats
        ]
        rows.append(
            Row(
                "Total (expected)",
                [
                    Cell(
                        _round(y.get("total", {}).get("mean")),
                        "number",
                        ref=f"forecast.total@{label}",
                        source=src,
                    )
                    for y, label in zip(yearly, labels, strict=True)
                ],
                total=True,
            )
        )
        rows.append(
            Row(
                "Total: low (10th percentile)",
                [Cell(_round(y.get("total", {}).get("p10")), "number", source=src) for y in yearly],
            )
        )
        rows.append(
            Row(
                "Total: high (90th percentile)",
                [Cell(_round(y.get("total", {}).get("p90")), "number", source=src) for y in yearly],
            )
        )
        blocks.append(
            Block(
                "table",
                table=Table(
                    "forecast",
                    "Forecast children looked after by placement type",
                    ["Placement type", *labels],
                    rows,
                    caption="Baseline forecast: expected children looked after at each date",
                ),
            )
        )
    monthly = [m for m in scen.get("monthly", []) if isinstance(m, Mapping)]
    if monthly:
        step = max(1, len(monthly) // 12)
        pts = monthly[::step]
        history = [(f"{y.year}-03-31", _num_or_none(y.get("cla_count"))) for y in years]
        cats_x = [h[0] for h in history] + [str(m.get("date"))[:10] for m in pts]
        pad: list[float | None] = [None] * len(history)
        blocks.append(
            _chart(
                "forecast_chart",
                "Children looked after: actual and forecast",
                "line",
                cats_x,
                [
                    Series("Actual", [h[1] for h in history] + [None] * len(pts)),
                    Series(
                        "Forecast (expected)",
                        pad + [_num_or_none(_round(m.get("total", {}).get("mean"))) for m in pts],
                    ),
                    Series(
                        "Low (10th percentile)",
                        pad + [_num_or_none(_round(m.get("total", {}).get("p10"))) for m in pts],
                    ),
                    Series(
                        "High (90th percentile)",
                        pad + [_num_or_none(_round(m.get("total", {}).get("p90"))) for m in pts],
                    ),
                ],
                "Date",
                "Children",
            )
        )
    by_year = (scen.get("costs") or {}).get("by_year") or []
    if by_year:
        types = [t for t in PLACEMENT_TYPES if any(t in (y.get("by_type") or {}) for y in by_year)]
        rows = [
            Row(
                PLACEMENT_TYPE_TITLES.get(t, t),
                [
                    Cell(
                        _round((y.get("by_type") or {}).get(t)),
                        "money",
                        ref=f"forecast_costs.{t}@{y.get('year')}-03-31",
                        source=src,
                    )
                    for y in by_year
                ],
            )
            for t in types
        ]
        rows.append(
            Row(
                "Total",
                [
                    Cell(
                        _round(y.get("total")),
                        "money",
                        ref=f"forecast_costs.total@{y.get('year')}-03-31",
                        source=src,
                    )
                    for y in by_year
                ],
                total=True,
            )
        )
        blocks.append(
            Block(
                "table",
                table=Table(
                    "forecast_costs",
                    "Forecast placement costs by financial year",
                    ["Placement type"]
                    + [
                        _year_label(int(y["year"])) + (" (part year)" if y.get("partial") else "")
                        for y in by_year
                    ],
                    rows,
                    caption="Expected bed nights of the baseline forecast costed at "
                    "registers/costs weekly rates",
                ),
            )
        )
    for w in (forecast.get("warnings") or []) + (scen.get("warnings") or []):
        blocks.append(_p(f"Forecast note: {w}"))
    return Section("forecast", "Forecast of need", blocks)


def _round(v: Any) -> float | str | None:
    """A forecast figure to one decimal place (``"c"`` when it is suppressed)."""
    if v == SUPPRESSED:
        return SUPPRESSED
    return round(float(v), 1) if _is_num(v) else None


def _gap_section(gap: Mapping[str, Any] | None) -> Section:
    if not gap:
        return Section(
            "gap",
            "Sufficiency gap",
            [
                _placeholder(
                    "Gap between need and available homes",
                    "the supply and gap capability (sufficiency.supply: capacity from carers, homes, "
                    "supported accommodation, vacancies and contracts set against the forecast)",
                    "for each future year and placement type: homes needed, homes available, the "
                    "shortfall and what the shortfall costs",
                )
            ],
            status="placeholder",
        )
    rows = []
    for yr in gap.get("years", []):
        for t, v in yr.get("by_type", {}).items():
            day = f"{yr.get('year')}-03-31"
            rows.append(
                Row(
                    f"{yr.get('year')}: {PLACEMENT_TYPE_TITLES.get(t, t)}",
                    [
                        Cell(
                            _round(v.get(key)),
                            kind,  # type: ignore[arg-type]
                            ref=f"gap.{t}.{key}@{day}",
                            source="gap:" + str(gap.get("scenario")) if key == "need" else "gap",
                        )
                        for key, kind in (
                            ("need", "number"),
                            ("capacity", "number"),
                            ("shortfall", "number"),
                            ("shortfall_cost", "money"),
                        )
                    ],
                )
            )
    return Section(
        "gap",
        "Sufficiency gap",
        [
            Block(
                "table",
                table=Table(
                    "gap",
                    "Need, capacity and shortfall by year and placement type",
                    [
                        "Year and placement type",
                        "Need",
                        "Capacity",
                        "Shortfall",
                        "Cost of shortfall",
                    ],
                    rows,
                    caption=f"Scenario: {gap.get('scenario', 'baseline')}",
                ),
            )
        ],
    )


def _home_finding_section(
    ds: Dataset, years: list[YearValues], info: Mapping[str, Measure], mode: Mode
) -> Section:
    """Home finding: referrals matched first time, locally, with siblings (matching measures)."""
    cur = years[-1]
    ids = section_measure_ids("home_finding", info)
    if sources.register(ds, "referrals") is not None and _has_value(cur, ids):
        return Section(
            "home_finding", "Home finding", measure_blocks(cur, ids, info, mode, "Home finding")
        )
    have = [
        n for n in ("referrals", "outcomes", "vacancies") if sources.register(ds, n) is not None
    ]
    return Section(
        "home_finding",
        "Home finding",
        [
            _placeholder(
                "Home finding: how well referrals are matched",
                "registers/referrals.csv and registers/outcomes.csv (one row per referral and "
                "its offers), read by the home-finding measures (sufficiency.matching)"
                + (f"; supplied so far: {', '.join(have)}" if have else ""),
                "referrals received, children placed first time in the type of home requested, "
                "placed locally, siblings placed together, days from referral to placement and "
                "the reasons offers were declined",
            )
        ],
        status="placeholder",
    )


def _action_section(
    ds: Dataset, years: list[YearValues], info: Mapping[str, Measure], mode: Mode
) -> Section:
    blocks: list[Block] = []
    actions = sources.register(ds, "actions")
    if actions is not None:
        cols = ["action_id", "area", "activity", "expected_impact", "owner", "due", "status"]
        data = actions.select(pl.col(cols).cast(pl.Utf8))  # typed by the declaration
        rows = [
            Row(
                r["action_id"] or "–",
                [Cell(r[c] or None, "text", source="register:actions") for c in cols[1:]],
            )
            for r in data.iter_rows(named=True)
        ]
        blocks.append(
            Block(
                "table",
                table=Table(
                    "actions",
                    "Action plan",
                    ["Ref", "Area", "Activity", "Expected impact", "Owner", "Due", "Status"],
                    rows,
                    caption="What the council will do (registers/actions)",
                ),
            )
        )
    else:
        blocks.append(
            _placeholder(
                "Action plan",
                "registers/actions.csv (action_id, area, activity, expected_impact, "
                "owner, due, status)",
                "the council's actions, owners, due dates and progress",
            )
        )
    targets = sources.register(ds, "targets")
    if targets is not None:
        blocks.append(Block("table", table=targets_table(targets, years[-1], info)))
    else:
        blocks.append(
            _placeholder(
                "Targets",
                "registers/targets.csv (measure_id, baseline_date, baseline, target, "
                "target_date, direction)",
                "each target's baseline, latest value from the data and a "
                "red / amber / green status computed from them",
            )
        )
    status: Literal["complete", "partial", "placeholder"] = (
        "complete"
        if actions is not None and targets is not None
        else "placeholder"
        if actions is None and targets is None
        else "partial"
    )
    return Section("action_plan", "Action plan and targets", blocks, status=status)


def targets_table(frame: pl.DataFrame, cur: YearValues, info: Mapping[str, Measure]) -> Table:
    """Targets with their latest value from the measures and the status ``measures.targets``
    gives it; a suppressed latest value is not judged (its status would reveal it)."""
    rows = []
    notes = []
    for t in read_targets(frame):
        mid = t.measure_id
        value = cur.get(mid)
        if isinstance(value, Mapping) and "pct" in value:
            latest_cell = _cell(cur, mid, kind="pct")
            kind = "pct"
        elif isinstance(value, Mapping) or value is None:
            latest_cell = Cell(None, "number")
            kind = "number"
        else:
            unit = info[mid].unit if mid in info else "number"
            kind = "rate" if unit == "rate" else "money" if unit == "money" else "number"
            latest_cell = Cell(value, kind, ref=cur.ref(mid))  # type: ignore[arg-type]
        status = (
            "Not shown (small number)"
            if latest_cell.suppressed
            else assess(t, _num_or_none(latest_cell.value)).status
        )
        if t.note:
            notes.append(t.note)
        elif t.direction_from == "polarity" and mid in POLARITY:
            notes.append(
                f"{mid}: no direction in the register, so '{t.direction}' from the published "
                f"polarity ({POLARITY[mid].source})"
            )
        rows.append(
            Row(
                info[mid].title if mid in info else mid,
                [
                    Cell(t.baseline, kind, source="register:targets"),  # type: ignore[arg-type]
                    Cell(
                        t.baseline_date.isoformat() if t.baseline_date else None,
                        "text",
                        source="register:targets",
                    ),
                    Cell(t.target, kind, source="register:targets"),  # type: ignore[arg-type]
                    Cell(
                        t.target_date.isoformat() if t.target_date else None,
                        "text",
                        source="register:targets",
                    ),
                    latest_cell,
                    Cell(status, "text", source="derived:rag"),
                ],
            )
        )
    return Table(
        "targets",
        "Targets and progress",
        [
            "Measure",
            "Baseline",
            "Baseline date",
            "Target",
            "Target date",
            f"Latest ({cur.at.isoformat()})",
            "Status (RAG)",
        ],
        rows,
        caption="Targets from registers/targets; the latest value comes from the data; "
        "Green = target met, Amber = better than baseline, Red = not improving",
        notes=notes,
    )


def _definitions(
    info: Mapping[str, Measure], cur: YearValues
) -> tuple[Section, list[dict[str, str]]]:
    defs = [
        {
            "id": m.id,
            "title": m.title,
            "theme": m.theme,
            "unit": m.unit,
            "definition": m.definition,
            "source": m.source,
        }
        for m in sorted(info.values(), key=lambda m: (m.theme, m.id))
    ]
    rows = []
    for m in sorted(info.values(), key=lambda m: (m.theme, m.id)):
        value = cur.get(m.id)
        if isinstance(value, Mapping) and "pct" in value:
            cells = [_cell(cur, m.id), _cell(cur, m.id, kind="pct")]
        elif _is_num(value) or value == SUPPRESSED:
            kind = "rate" if m.unit == "rate" else "money" if m.unit == "money" else "number"
            cells = [Cell(value, kind, ref=cur.ref(m.id)), Cell(None, "pct")]  # type: ignore[arg-type]
        else:
            continue
        rows.append(Row(m.title, cells))
    blocks = [
        _p(
            "Every number in this statement comes from the measure catalogue below, computed from "
            "the council's returns and registers; the same numbers are in statement.json and "
            "statement.xlsx."
        ),
        Block(
            "table",
            table=Table(
                "all_measures",
                "Headline measures",
                ["Measure", "Value", "%"],
                rows,
                caption=f"Every single-value measure at 31 March {cur.year}",
            ),
        ),
        Block("messages", items=[f"{d['title']} ({d['id']}): {d['definition']}" for d in defs]),
    ]
    return Section("definitions", "Definitions and data", blocks), defs


# ------------------------------------------------------------------------------------ entry
#: Measures the trend tables need for the years before the statement year.
TREND_IDS = (
    "cla_count",
    "cla_rate_per_10k",
    "starts",
    "ceased",
    "uasc_count",
    "placed_over_20_miles",
    "placed_over_100_miles",
    "stability_three_plus",
    "stability_long_term",
    "average_weekly_cost_by_type",
    "spend_total",
    "supply_carer_net_change",
    "supply_carer_places",
)
#: Measures of the earlier years the statement does not show but its disclosure step needs
#: (which placement types had few children, so that their average weekly cost is hidden).
CONTEXT_IDS = ("cla_by_placement_type", "bed_nights_by_placement_type")

SECTION_ORDER = (
    "introduction",
    "key_messages",
    "children_looked_after",
    "placements",
    "stability",
    "costs",
    "residential",
    "fostering",
    "supported_accommodation",
    "care_leavers",
    "forecast",
    "gap",
    "home_finding",
    "action_plan",
    "definitions",
)


def _privacy_guard(sections: list[Section], ds: Dataset) -> None:
    """Publish mode: child-level rows never leave as plain ids (HMAC pseudonyms, or dropped)."""
    from sufficiency.privacy import SecretMissing, load_secret, pseudonymise

    for section in sections:
        keep: list[Block] = []
        for block in section.blocks:
            if block.table is not None and block.table.child_level:
                try:
                    secret = load_secret()
                except SecretMissing:
                    continue  # no secret configured: the child-level table is left out
                for row in block.table.rows:
                    row.header = pseudonymise(row.header, secret)[:16]
            keep.append(block)
        section.blocks = keep


def statement_years(ds: Dataset, year: int, span: int = 5) -> list[int]:
    """The years shown in trends: the statement year and up to ``span - 1`` earlier returns."""
    return [y for y in sorted(set(ds.returns)) if y <= year][-span:]


def statement_inputs(
    ds: Dataset, year: int, *, context: bool = True
) -> tuple[dict[dt.date, dict[str, Result]], dict[dt.date, dict[str, Result]]]:
    """The measures the statement for ``year`` shows (every measure of the year, the trend
    measures of the years before) and, when ``context``, those its disclosure step needs
    besides (``CONTEXT_IDS`` of the years before): unsuppressed typed results by date."""
    info = sources.catalogue_info()
    earlier_ids = [m for m in TREND_IDS if m in info]
    shown = {
        dt.date(y, 3, 31): sources.measure_results(
            ds, dt.date(y, 3, 31), None if y == year else earlier_ids
        )
        for y in statement_years(ds, year)
    }
    extra = {
        at: sources.measure_results(ds, at, [m for m in CONTEXT_IDS if m in info])
        for at in shown
        if context and at.year != year
    }
    return shown, extra


def build_statement(
    ds: Dataset, year: int, mode: Mode = "publish", generated: dt.date | None = None
) -> StatementData:
    """Assemble every section of the statement for the year ending 31 March ``year``."""
    if year not in ds.returns:
        raise ValueError(
            f"no SSDA903 return for {year} (the year ending 31 March {year}); returns loaded: "
            + (", ".join(str(y) for y in ds.returns) or "none")
        )
    info = sources.catalogue_info()
    raw, context = statement_inputs(ds, year, context=mode == "publish")
    fc = sources.baseline_forecast(ds)
    forecast: dict[str, Any] = {"error": fc} if isinstance(fc, str) else fc.to_json()
    gap = sources.gap_json(ds, year, None if isinstance(fc, str) else fc)
    record = None
    if mode == "publish":
        record = protect_statement(ds, raw, context=context, forecast=forecast, gap=gap)
        raw = record.years
        forecast = record.forecast or forecast
        gap = record.gap
    years = [sources.year_values(at, results) for at, results in sorted(raw.items())]
    cur = years[-1]
    marks = comparators(ds)
    costs = weekly_costs(years)
    registers = [n for n, f in ds.registers.items() if f is not None and f.height]
    messages = key_messages(
        years,
        marks,
        {
            "weekly_costs": costs,
            "gap": gap,
            "forecast": None if isinstance(fc, str) else forecast,
        },
    )
    definitions_section, defs = _definitions(info, cur)
    sections = [
        _introduction(ds, year, mode, registers, _withheld(record, info)),
        Section("key_messages", "Key messages", [Block("messages", items=messages)]),
        _cla_section(years, marks, mode, info, population_ethnicity(ds, year)),
        _placements_section(ds, years, marks, mode),
        _stability_section(years, marks, mode),
        _costs_section(ds, years, mode),
        _supply_section(ds, "residential", "Residential care", years, info, mode),
        _supply_section(ds, "fostering", "Fostering", years, info, mode),
        _supply_section(
            ds, "supported_accommodation", "Supported accommodation", years, info, mode
        ),
        _supply_section(ds, "care_leavers", "Care leavers", years, info, mode),
        _forecast_section(forecast, years),
        _gap_section(gap),
        _home_finding_section(ds, years, info, mode),
        _action_section(ds, years, info, mode),
        definitions_section,
    ]
    if mode == "publish":
        _privacy_guard(sections, ds)
    for s in sections:
        text = ds.narrative.get(s.id)
        if text:
            before, _, after = text.partition("<!-- generated -->")
            if before.strip():
                s.blocks.insert(0, Block("narrative", text=before))
            if after.strip():
                s.blocks.append(Block("narrative", text=after))
    return StatementData(
        la_name=ds.profile.name,
        la_code=ds.profile.code,
        year=year,
        period_start=f"{year - 1}-04-01",
        period_end=f"{year}-03-31",
        mode=mode,
        generated=(generated or dt.date.today()).isoformat(),
        sections=sections,
        key_messages=messages,
        measures={
            str(y.year): {"at": y.at.isoformat(), "period": y.period, "measures": y.values}
            for y in years
        },
        definitions=defs,
        extras={
            "forecast": forecast,
            "gap": gap,
            "weekly_costs": costs,
            "benchmarks": [b.__dict__ for b in marks],
        },
        disclosure=record,
    )
