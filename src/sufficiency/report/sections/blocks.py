"""The pieces sections are made of: cells, tables, charts, paragraphs and placeholders.

Helpers only lay results out: a percentage comes from the share rule (``results.Share``), a
change from ``measures.change``; nothing here computes a measure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from sufficiency import disclosure
from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.disclosure import SUPPRESSED
from sufficiency.measures.catalogue import Measure
from sufficiency.measures.change import percent_change
from sufficiency.measures.comparators import Comparator
from sufficiency.report.model import (
    Block,
    Cell,
    CellKind,
    Chart,
    Placeholder,
    Row,
    Series,
    Table,
    chart_value,
)
from sufficiency.report.providers import SECTOR_TITLES
from sufficiency.report.sources import YearValues
from sufficiency.results import Share as ShareResult


def is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def num_or_none(value: Any) -> float | None:
    return float(value) if is_num(value) else None


def year_label(year: int) -> str:
    """``2024`` -> ``2023-24`` (the financial year ending 31 March ``year``)."""
    return f"{year - 1}-{str(year)[2:]}"


def keys_in_order(values: Mapping[str, Any], order: Sequence[str]) -> list[str]:
    """The keys of ``values``: those in ``order`` first, in that order, then the rest."""
    first = [k for k in order if k in values]
    return first + [k for k in values if k not in first]


# ---------------------------------------------------------------------------------- cells
def cell(yv: YearValues, measure_id: str, *keys: str, kind: str = "count") -> Cell:
    """The cell of one measure value (a share alone shows its count, or its pct)."""
    value = yv.get(measure_id, *keys)
    if not keys and isinstance(yv.result(measure_id), ShareResult):
        keys = ("pct" if kind == "pct" else "count",)
        value = yv.get(measure_id, *keys)
    return Cell(value, kind, ref=yv.ref(measure_id, *keys))  # type: ignore[arg-type]


def pct_cell(part: Any, whole: Any, source: str) -> Cell:
    """The percentage a count of children is of a total, by the share rule (``results.Share``:
    one decimal, suppressed when either count is, none of a zero total)."""

    def usable(v: Any) -> bool:
        return disclosure.is_suppressed(v) or (isinstance(v, int) and not isinstance(v, bool))

    if not usable(part) or not usable(whole):
        return Cell(None, "pct", source=source)
    return Cell(ShareResult(part, whole).pct, "pct", source=source)


def change_cell(prev: Any, cur: Any, source: str) -> Cell:
    """The per cent change on the previous year (``measures.change``), as a cell."""
    return Cell(percent_change(prev, cur), "pct", source=source)


def denominator(yv: YearValues, measure_id: str) -> Cell:
    """The denominator of a share, as a count cell."""
    value = yv.get(measure_id)
    den = value.get("denominator") if isinstance(value, Mapping) else None
    return Cell(den, "count", ref=yv.ref(measure_id, "denominator"))


def share_pct(value: Any) -> Any:
    return value.get("pct") if isinstance(value, Mapping) else None


def round1(v: Any) -> float | str | None:
    """A forecast or gap figure to one decimal place (``"c"`` when it is suppressed)."""
    if v == SUPPRESSED:
        return SUPPRESSED
    return round(float(v), 1) if is_num(v) else None


def same_year(mark: Comparator | None, year: int) -> Comparator | None:
    """A comparator only for its own year: a year-by-year table or chart never draws an older
    published figure as if it were current."""
    return mark if mark is not None and mark.year == year else None


# ---------------------------------------------------------------------------------- blocks
def paragraph(text: str) -> Block:
    return Block("paragraph", text=text)


def table_block(table: Table) -> Block:
    """A table as a block (in publish mode its figures come already protected, across every
    table together, by ``report.protect``)."""
    return Block("table", table=table)


def placeholder(title: str, needs: str, fills_with: str, *, required: bool = True) -> Block:
    """What the council should add to fill a section (internal mode; publish mode refuses a
    required one and leaves out an optional one)."""
    return Block("placeholder", placeholder=Placeholder(title, needs, fills_with, required))


def share_of_cla_table(
    cur: YearValues,
    measure_id: str,
    keys: Sequence[str],
    titles: Mapping[str, str],
    table_id: str,
    title: str,
    label: str,
    caption: str,
) -> Block:
    """A breakdown of children looked after: children and % of all, with a total row."""
    total = cur.get("cla_count")
    values = cur.get(measure_id)
    assert isinstance(values, Mapping)
    rows = [
        Row(
            titles.get(k, k),
            [cell(cur, measure_id, k), pct_cell(values.get(k), total, "derived:share of CLA")],
        )
        for k in keys
    ]
    rows.append(
        Row(
            "Total",
            [cell(cur, "cla_count"), pct_cell(total, total, "derived:share of CLA")],
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
    return table_block(table)


# ---------------------------------------------------------------------------------- charts
def series_values(values: Sequence[Any]) -> list[float | None]:
    return [num_or_none(v) for v in values]


def alt_text(title: str, categories: Sequence[str], series: Sequence[Series], unit: str) -> str:
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
                    f"{c}: {chart_value(v, unit)}" if v is not None else f"{c}: not shown"
                    for c, v in zip(categories, s.values, strict=False)
                )
            )
        else:
            hi = max(pts, key=lambda p: p[1])
            parts.append(
                label
                + f"from {chart_value(pts[0][1], unit)} ({pts[0][0]}) to {chart_value(pts[-1][1], unit)} "
                f"({pts[-1][0]}), highest {chart_value(hi[1], unit)} ({hi[0]})"
            )
    note = (
        " Values not shown are suppressed or not available."
        if any(v is None for s in series for v in s.values) and len(categories) <= 10
        else ""
    )
    return f"{title}. " + ". ".join(parts) + "." + note


def chart(
    cid: str,
    title: str,
    kind: Literal["bar", "line", "barh"],
    categories: list[str],
    series: list[Series],
    x_label: str,
    y_label: str,
    unit: str = "",
) -> Block:
    """A chart block with alt text stating its data."""
    alt = alt_text(title, categories, series, unit)
    return Block(
        "chart", chart=Chart(cid, title, kind, categories, series, x_label, y_label, alt, unit)
    )


# ---------------------------------------------------------------------- catalogue measures
def kind_for(info: Measure | None, key: str = "") -> CellKind:
    """The display kind of a measure's value (or of one key of it)."""
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


def label(key: str) -> str:
    """A key's title: placement types and sectors by their titles, other ids in words; a name
    (a provider's) as it is written."""
    if key in PLACEMENT_TYPE_TITLES:
        return PLACEMENT_TYPE_TITLES[key]
    if key in SECTOR_TITLES:
        return SECTOR_TITLES[key]
    if not re.fullmatch(r"[a-z0-9_]+", key):
        return key
    return key.replace("_pct", " (%)").replace("_", " ").capitalize()


def _value_table(mid: str, name: str, value: Mapping[str, Any], cur: YearValues, m: Any) -> Table:
    """A flat breakdown as rows of key and value, or a nested one as a matrix."""
    caption = f"{name}, year ending 31 March {cur.year}"
    if all(not isinstance(v, Mapping) for v in value.values()):
        rows = [
            Row(label(str(k)), [Cell(v, kind_for(m, str(k)), ref=cur.ref(mid, str(k)))])
            for k, v in value.items()
            if not isinstance(v, list)
        ]
        return Table(mid, name, ["", "Value"], rows, caption=caption, definitions=[mid])
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
            label(str(k)),
            [Cell(inner.get(c), kind_for(m, c), ref=cur.ref(mid, str(k), c)) for c in cols],
        )
        for k, inner in value.items()
        if isinstance(inner, Mapping)
    ]
    return Table(
        mid, name, ["", *[label(c) for c in cols]], rows, caption=caption, definitions=[mid]
    )


def measure_blocks(
    cur: YearValues, ids: Sequence[str], info: Mapping[str, Measure], title: str
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
                Row(name, [cell(cur, mid), denominator(cur, mid), cell(cur, mid, kind="pct")])
            )
        elif not isinstance(value, Mapping):
            singles.append(
                Row(
                    name,
                    [
                        Cell(value, kind_for(m), ref=cur.ref(mid)),
                        Cell(None, "count"),
                        Cell(None, "pct"),
                    ],
                )
            )
        else:
            blocks.append(table_block(_value_table(mid, name, value, cur, m)))
    if singles:
        blocks.insert(
            0,
            table_block(
                Table(
                    f"{title.lower().replace(' ', '_')}_measures",
                    f"{title}: key measures",
                    ["Measure", "Value", "Out of", "%"],
                    singles,
                    caption=f"{title}, 31 March {cur.year} (shares: children counted, out of how "
                    "many, and the percentage)",
                    definitions=[r for r in ids if r in cur.values],
                ),
            ),
        )
    return blocks
