"""The statement's data model: plain, JSON-serialisable records the renderers lay out.

``StatementData`` is assembled once from library results (measures, registers, forecast, gap,
matching); the HTML, PDF, XLSX and JSON renderers only format it, so every output shows the same
numbers. A suppressed value is the string ``"c"`` (DESIGN.md), displayed as ``[c]``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal

from sufficiency.disclosure import SUPPRESSED, SUPPRESSED_TEXT

CellKind = Literal["count", "pct", "rate", "money", "number", "text", "date", "miles"]
CellValue = int | float | str | None


@dataclass
class Cell:
    """One table cell; ``ref`` names the measure value it shows (``id[.key[.key]]@YYYY-MM-DD``)."""

    value: CellValue
    kind: CellKind = "count"
    ref: str | None = None
    source: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.value == SUPPRESSED


@dataclass
class Row:
    """A table row: its header (the ``<th scope="row">``), cells, and whether it is a total."""

    header: str
    cells: list[Cell]
    total: bool = False


@dataclass
class Table:
    """A captioned table; ``additive`` when rows sum to the total row (secondary suppression)."""

    id: str
    title: str
    columns: list[str]
    rows: list[Row]
    caption: str = ""
    notes: list[str] = field(default_factory=list)
    additive: bool = False
    definitions: list[str] = field(default_factory=list)
    child_level: bool = False


@dataclass
class Series:
    """One line or bar series of a chart (None = missing or suppressed, not plotted)."""

    name: str
    values: list[float | None]


@dataclass
class Chart:
    """A chart specification; the renderer draws it (matplotlib SVG) with the given alt text."""

    id: str
    title: str
    kind: Literal["bar", "line", "barh"]
    categories: list[str]
    series: list[Series]
    x_label: str
    y_label: str
    alt: str
    unit: str = ""


@dataclass
class Placeholder:
    """A section whose capability or data is not yet available: what would fill it.

    ``required``: the section cannot be published without it (publish mode refuses to write);
    an optional one (a comparison beside a table that is shown) is left out of a published
    statement.
    """

    title: str
    needs: str
    fills_with: str
    required: bool = True


@dataclass
class Block:
    """One piece of a section, in order: a paragraph, narrative, list, table, chart or placeholder."""

    kind: Literal["paragraph", "narrative", "messages", "table", "chart", "placeholder"]
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: Chart | None = None
    placeholder: Placeholder | None = None


@dataclass
class Section:
    """A numbered statement section (``id`` matches ``narrative/<id>.md``)."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    status: Literal["complete", "partial", "placeholder"] = "complete"
    #: Starts a major part of the printed statement (a page break before it, none otherwise).
    part: bool = False

    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]

    def charts(self) -> list[Chart]:
        return [b.chart for b in self.blocks if b.chart is not None]


@dataclass
class StatementData:
    """Everything the statement shows, and the numbers behind it."""

    la_name: str
    la_code: str
    year: int
    period_start: str
    period_end: str
    mode: Literal["publish", "internal"]
    generated: str
    sections: list[Section]
    key_messages: list[str]
    measures: dict[str, Any]
    definitions: list[dict[str, str]]
    extras: dict[str, Any] = field(default_factory=dict)
    #: Which data (SHA-256), product version, comparators' vintage and mode made it
    #: (``report.provenance``).
    provenance: dict[str, Any] = field(default_factory=dict)
    #: Publish mode: the disclosure step's record (what is hidden, the truth the gate audits
    #: against); never written.
    disclosure: Any = field(default=None, repr=False, compare=False)

    @property
    def year_label(self) -> str:
        return f"{self.year - 1}-{str(self.year)[2:]}"

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables()]

    def to_json(self) -> dict[str, Any]:
        out = {
            f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name != "disclosure"
        }
        out["year_label"] = self.year_label
        return out


def _plain(value: Any) -> Any:
    """A field as JSON-ready data (dataclasses as dicts)."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def chart_value(v: float | None, unit: str) -> str:
    """A chart's value as its alt text and its table of figures state it: whole numbers without
    decimals, others to one; ``£`` before the number, any other unit after; "–" when not shown."""
    if v is None:
        return "–"
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    return f"£{text}" if unit == "£" else text + unit


def download_value(cell: Cell) -> object:
    """A cell as a workbook or CSV holds it: the number itself, ``[c]`` when suppressed, "" when
    empty."""
    if cell.suppressed:
        return SUPPRESSED_TEXT
    return "" if cell.value is None else cell.value


def fmt_value(cell: Cell) -> str:
    """Display text of a cell: ``[c]`` for suppressed, thousands separators, units."""
    v = cell.value
    if v is None:
        return "–"
    if v == SUPPRESSED:
        return SUPPRESSED_TEXT
    if isinstance(v, str):
        return v
    if cell.kind == "pct":
        return f"{v:.1f}%"
    if cell.kind == "money":
        return f"£{v:,.0f}"
    if cell.kind in ("rate", "miles"):
        return f"{v:,.1f}"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.1f}"
    return f"{int(v):,}"
