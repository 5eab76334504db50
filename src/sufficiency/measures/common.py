"""Shared building blocks of the measures: who is looked after on a date, ages, year overlaps.

Every definition the catalogue leans on lives here once (DESIGN.md "Groupings and definitions"):
looked after on D means an episode with DECOM <= D and DEC blank or DEC > D; children under an
agreed series of short breaks (LS V3/V4) are left out; age is completed years on D. Frames
derived from a Dataset are memoised per Dataset object (Datasets never change), so a catalogue
run builds each of them once.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

import polars as pl

from sufficiency.dataset import IN_MEMORY, sorted_by
from sufficiency.dates import age_expr, date_from_text, open_on
from sufficiency.results import Share

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset

T = TypeVar("T")

#: The Polars engine the measures' plans that filter and join a million episodes are collected
#: on (``dataset.IN_MEMORY``, which says why).
ENGINE: Final = IN_MEMORY

_MEMO: dict[int, dict[Hashable, Any]] = {}


def memo(ds: Dataset, key: Hashable, build: Callable[[], T]) -> T:
    """Return ``build()`` once per (Dataset object, key); forgotten when the Dataset is."""
    slot = _MEMO.get(id(ds))
    if slot is None:
        slot = {}
        _MEMO[id(ds)] = slot
        weakref.finalize(ds, _MEMO.pop, id(ds), None)
    if key not in slot:
        slot[key] = build()
    return slot[key]  # type: ignore[no-any-return]


def memoised(ds: Dataset, key: Hashable) -> bool:
    """Whether ``memo`` has worked out ``key`` for this Dataset object already."""
    return key in _MEMO.get(id(ds), {})


def memo_frames(
    ds: Dataset,
    family: str,
    keys: Sequence[Hashable],
    plan: Callable[[Any], pl.LazyFrame],
) -> list[pl.DataFrame]:
    """``memo`` of one frame per key of a family (memoised as ``(family, key)``): the frames not
    yet worked out are collected together (``pl.collect_all``: one lazy plan each, run side by
    side), as a table over the years reads its per-year frames."""
    slot = _MEMO.get(id(ds), {})
    missing = [k for k in dict.fromkeys(keys) if (family, k) not in slot]
    if missing:
        for k, frame in zip(
            missing, pl.collect_all([plan(k) for k in missing], engine=ENGINE), strict=True
        ):
            memo(ds, (family, k), functools.partial(_given, frame))
    return [memo(ds, (family, k), functools.partial(_collected, plan, k)) for k in keys]


def _given(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` itself (what ``memo`` keeps for a frame already collected)."""
    return frame


def _collected(plan: Callable[[Any], pl.LazyFrame], key: Any) -> pl.DataFrame:
    """The frame of ``plan`` for ``key``."""
    return plan(key).collect(engine=ENGINE)


def age_band_expr(age: pl.Expr, bands: Sequence[tuple[str, int, int | None]]) -> pl.Expr:
    """Map an age expression to band ids; ``bands`` are (id, lowest age, highest age or None)."""
    expr: Any = pl
    for i, (name, low, high) in enumerate(bands):
        cond = age >= low if high is None else (age >= low) & (age <= high)
        expr = expr.when(cond).then(pl.lit(name)) if i else pl.when(cond).then(pl.lit(name))
    result: pl.Expr = expr.otherwise(pl.lit("unknown"))
    return result


#: DfE age bands (DESIGN.md): under 1, 1-4, 5-9, 10-15, 16 and over.
DFE_AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_1", 0, 0),
    ("1_to_4", 1, 4),
    ("5_to_9", 5, 9),
    ("10_to_15", 10, 15),
    ("16_plus", 16, None),
)
#: The finer bands sufficiency statements use (Hertfordshire 2024): 10-12, 13-15, 16-17, 18+.
FINE_AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_1", 0, 0),
    ("1_to_4", 1, 4),
    ("5_to_9", 5, 9),
    ("10_to_12", 10, 12),
    ("13_to_15", 13, 15),
    ("16_to_17", 16, 17),
    ("18_plus", 18, None),
)


def last_of_child(frame: pl.DataFrame) -> pl.DataFrame:
    """The last row of each child of ``frame``, whose rows of one child are together (sorted by
    CHILD): ``unique("CHILD", keep="last", maintain_order=True)`` without hashing the ids."""
    if frame.height == 0:
        return frame
    return frame.filter((pl.col("CHILD") != pl.col("CHILD").shift(-1)).fill_null(True))


#: Who counts as looked after among the children with an episode open on a date: not those
#: under an agreed series of short breaks (LS V3/V4), as the DfE counts.
COUNTED = ~pl.col("short_break")


def _episode_spans(ds: Dataset) -> pl.DataFrame:
    """Each episode's row number in ``episodes_typed``, CHILD, DECOM, DEC and short_break: the
    narrow frame every date's filter reads (filtering the full frame copies every column)."""
    return memo(
        ds,
        "episode_spans",
        lambda: ds.episodes_typed.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
            "CHILD",
            "DECOM",
            "DEC",
            "short_break",
        ),
    )


def children_on(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """The narrow core of ``episodes_on``: one row per child with an episode open on ``d`` (the
    latest such episode), with its row in ``episodes_typed`` (``_row``) and ``short_break``.
    Counts read this; ``episodes_on`` takes the full rows it names."""

    def build() -> pl.DataFrame:
        # episodes_typed is sorted by CHILD and DECOM, and a filter keeps the order
        return last_of_child(_episode_spans(ds).filter(open_on(d))).select(
            "_row", "CHILD", "short_break"
        )

    return memo(ds, ("children_on", d), build)


def episodes_on(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """One row per child with an episode open on ``d`` (the latest such episode), short breaks
    included, with ``age`` on ``d`` and ``short_break`` from that episode."""

    return memo(ds, ("episodes_on", d), lambda: _full_rows(ds, children_on(ds, d), d))


def cla_on(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """Children looked after on ``d`` as the DfE counts them (short breaks V3/V4 left out):
    the rows of ``episodes_on`` that count, taken straight from the episodes."""
    return memo(ds, ("cla_on", d), lambda: _full_rows(ds, cla_children_on(ds, d), d))


def _full_rows(ds: Dataset, children: pl.DataFrame, d: dt.date) -> pl.DataFrame:
    """The rows of ``episodes_typed`` that ``children`` names (``_row``), in its order, with
    ``age`` on ``d``."""
    rows = children.get_column("_row")
    return ds.episodes_typed.select(pl.all().gather(rows)).with_columns(age_expr(d).alias("age"))


def cla_children_on(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """The children ``cla_on`` gives, CHILD only (the same rows in the same order): what a
    count reads, without taking every column of every year's episodes."""
    return memo(ds, ("cla_children_on", d), lambda: children_on(ds, d).filter(COUNTED))


def count_where(frame: pl.DataFrame, condition: pl.Expr) -> int:
    """The number of rows of ``frame`` meeting ``condition``, reading only the columns it
    names (a filter of the frame would copy every column of the rows it keeps)."""
    return int(frame.lazy().filter(condition).select(pl.len()).collect(engine=ENGINE).item())


def placements_on(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """Children looked after on ``d`` (no short breaks) joined to the placement open on ``d``.

    The placement type comes from the child's episode on ``d``; location band and distance from
    the placement spell it belongs to (``Dataset.placements``: the child's latest placement
    open on ``d``).
    """

    def build() -> pl.DataFrame:
        located = ds.placements.select(
            pl.col("start").alias("placement_start"),
            pl.col("placement"),
            "location_band",
            "distance_miles",
            "distance_band",
            "pl_la",
        )
        rows = spell_of(ds, cla_children_on(ds, d), "placement_row")
        return (
            cla_on(ds, d)
            .hstack(located.select(pl.all().gather(rows)))
            .with_columns(
                pl.col("location_band").fill_null("unknown"),
                pl.col("distance_band").fill_null("unknown"),
            )
        )

    return memo(ds, ("placements_on", d), build)


def spell_of(ds: Dataset, children: pl.DataFrame, kind: str) -> pl.Series:
    """The rows of ``periods_of_care`` (``kind`` ``period_row``) or ``placements``
    (``placement_row``) holding the episodes ``children`` names (``_row``: each a child's
    latest episode open on a date, as ``children_on`` gives; so its latest open period or
    placement, ``Dataset.spell_rows``). Null where CHILD is blank, as a join on it gives."""
    rows = ds.spell_rows.get_column(kind).gather(children.get_column("_row"))
    known = pl.when(pl.col("CHILD").is_not_null()).then(pl.lit(rows))
    return children.select(known.alias(kind)).to_series()


def nights_expr(start: dt.date, end: dt.date, s: str = "DECOM", e: str = "DEC") -> pl.Expr:
    """Nights of ``start``..``end`` (inclusive) spent in a spell from ``s`` to ``e`` (DEC blank
    = still open; the night of the leaving day is not spent)."""
    stop = end + dt.timedelta(days=1)
    lo = pl.max_horizontal(pl.col(s), pl.lit(start))
    hi = pl.min_horizontal(pl.col(e).fill_null(stop), pl.lit(stop))
    return pl.max_horizontal((hi - lo).dt.total_days(), pl.lit(0))


def counts(
    frame: pl.DataFrame, column: str, keys: Iterable[str], extra: bool = True
) -> dict[str, int]:
    """Count rows by ``column`` into a dict with every key in ``keys`` (zeros kept, display
    order). Values outside ``keys`` are added after them when ``extra`` (else dropped)."""
    keys = list(keys)
    got = dict(frame.group_by(column).len().iter_rows())
    out = {k: int(got.pop(k, 0)) for k in keys}
    if extra:
        for k in sorted(got, key=lambda x: (x is None, str(x))):
            out["unknown" if k is None else str(k)] = out.get(
                "unknown" if k is None else str(k), 0
            ) + int(got[k])
    return out


def table(name: str, ds: Dataset) -> pl.DataFrame | None:
    """An optional SSDA903 table (oc3, ad1, placed_for_adoption ...) or None when absent."""
    frame = ds.tables.get(name)
    if frame is None or frame.height == 0:
        return None
    return frame


def to_date(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """Parse date columns given as text (``dates.date_from_text``: the one reading of written
    dates); leave real dates alone."""
    exprs = [
        date_from_text(pl.col(c)).alias(c)
        for c in columns
        if c in frame.columns and frame.schema[c] == pl.Utf8
    ]
    return frame.with_columns(exprs) if exprs else frame


def code_expr(column: str) -> pl.Expr:
    """A coded column trimmed and upper-cased (codes compare exactly after this)."""
    return pl.col(column).cast(pl.Utf8).str.strip_chars().str.to_uppercase()


def code_in(frame: pl.DataFrame, column: str, codes: Iterable[str]) -> pl.Expr:
    """``code_expr(column).is_in(codes)`` for the rows of ``frame``: the code of each distinct
    value is worked out once (a million episodes hold a handful of codes), then the rows are
    matched on their values as recorded. Null where the value is blank, as ``is_in`` gives."""
    raw = frame.lazy().select(pl.col(column).cast(pl.Utf8).unique()).collect(engine=ENGINE)
    wanted = raw.filter(code_expr(column).is_in(list(codes))).get_column(column).to_list()
    return pl.col(column).cast(pl.Utf8).is_in(wanted)


def code_group_expr(column: str, groups: Mapping[str, Sequence[str]], default: str) -> pl.Expr:
    """Map the codes in ``column`` (trimmed, upper-cased) to group ids; others -> ``default``."""
    mapping = {code: name for name, codes in groups.items() for code in codes}
    return code_expr(column).replace_strict(mapping, default=default, return_dtype=pl.Utf8)


def counts_by_group(
    frame: pl.DataFrame,
    column: str,
    groups: Mapping[str, Sequence[str]],
    default: str,
    extra: bool = True,
) -> dict[str, int]:
    """``counts`` of ``frame`` by the group (``code_group_expr``) of the codes in ``column``."""
    grouped = frame.select(code_group_expr(column, groups, default).alias("_group"))
    return counts(grouped, "_group", groups, extra=extra)


def counts_by_band(
    frame: pl.DataFrame, age: pl.Expr, bands: Sequence[tuple[str, int, int | None]]
) -> dict[str, int]:
    """``counts`` of ``frame`` by the band (``age_band_expr``) of ``age``, in the bands' order."""
    # the age worked out once (each band's test would work it out again), then banded
    banded = frame.select(age.alias("_age")).select(
        age_band_expr(pl.col("_age"), bands).alias("_band")
    )
    return counts(banded, "_band", [b[0] for b in bands])


def share_where(frame: pl.DataFrame, condition: pl.Expr, among: pl.Expr | None = None) -> Share:
    """The share of the rows of ``frame`` that meet ``condition``, of all rows or of those
    meeting ``among`` (counted by ``count_where``: no rows are copied)."""
    if among is None:
        return Share(count_where(frame, condition), frame.height)
    return Share(count_where(frame, among & condition), count_where(frame, among))


def linked_spells(ds: Dataset) -> pl.DataFrame:
    """``ds.placements`` sorted by child and start, with the previous spell's start and end and
    the next spell's start (null across children). Built once per Dataset."""

    def build() -> pl.DataFrame:
        spells = sorted_by(ds.placements, ["CHILD", "start"])
        same_prev = pl.col("CHILD") == pl.col("CHILD").shift(1)
        same_next = pl.col("CHILD") == pl.col("CHILD").shift(-1)
        return spells.with_columns(
            pl.when(same_prev).then(pl.col("start").shift(1)).alias("prev_start"),
            pl.when(same_prev).then(pl.col("end").shift(1)).alias("prev_end"),
            pl.when(same_next).then(pl.col("start").shift(-1)).alias("next_start"),
        )

    return memo(ds, "linked_spells", build)
