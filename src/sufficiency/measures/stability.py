"""Stability measures (DfE): short-term (3+ placements) and long-term stability, moves."""

from __future__ import annotations

import polars as pl

from sufficiency.codes import ADOPTION_PLACE, PLACEMENT_START_RNE
from sufficiency.dataset import Dataset
from sufficiency.dates import months_before, open_on
from sufficiency.measures.catalogue import Counts, Period, Share, measure
from sufficiency.measures.common import (
    ENGINE,
    cla_children_on,
    cla_on,
    code_expr,
    code_in,
    count_where,
    counts,
    linked_spells,
    memo,
    spell_of,
)
from sufficiency.measures.permanence import WITH_FOSTER_CARER_PLACE

REASON_PLACE_CHANGE: dict[str, str] = {
    "CARPL": "Change to/implementation of care plan",
    "CLOSE": "Resignation/closure of provision",
    "ALLEG": "Allegation (s47)",
    "STAND": "Standards of care concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer request due to child's behaviour",
    "CREQO": "Carer request for other reasons",
    "CHILD": "Child requests placement end",
    "LAREQ": "Responsible/area authority requests placement end",
    "PLACE": "Change in the status of placement only",
    "CUSTOD": "Custody arrangement",
    "OTHER": "Other",
}


#: RNE codes of a change of placement with the same carer(s) (SSDA903 guide, "Reason for new
#: episode": T "Change of placement (but same carer(s)) only", U "Change of legal status and
#: change of placement (but same carer(s)) at the same time"; B is "Change of legal status and
#: placement and carer(s) at the same time" - a new carer). They do not restart the DfE's
#: long-term "living with the same carer" clock.
SAME_CARER_RNE = ("T", "U")

_LACSTABLE = (
    'LAIT LACStable_2016on methodology: "The indicator is calculated by dividing the number of '
    "children looked after at 31 March with three or more placements over the course of the year "
    "by the total number of children looked after at 31 March. Any placements that were already "
    "open on 1 April at the beginning of the year and any which were open on 31 March at the end "
    "of the year are included. Where a child is subsequently placed for adoption with their "
    'existing foster carers, then this is not counted as a placement change in this indicator."'
)
_LONGSTABLE = (
    'LAIT LAC_LongStable% methodology: "Children looked after at 31 March aged under 16 who had '
    "been looked after continuously for at least 2.5 years who were living in the same placement "
    "for at least 2 years, or were placed for adoption and their adoptive placement together with "
    'their previous placement, last for at least 2 years"; the DfE table names the outcome '
    '"Living with the same carer for at least 2 years".'
)


def placements_in_year(ds: Dataset, period: Period) -> pl.DataFrame:
    """Placements each child had during ``period``, one row per counted episode: the episode
    open on its first day, plus every episode starting in it with RNE S, P, B, T or U (a new
    placement). Temporary placements (T0-T4) and short-break episodes (V3/V4) do not count;
    episodes that change only the legal status (RNE L) continue a placement, and so does being
    placed for adoption with the current foster carers (A3, A5), as the DfE counts it."""

    def build() -> pl.DataFrame:
        in_year = pl.col("DECOM").is_between(period.start, period.end)
        counted = ~pl.col("temporary") & ~pl.col("short_break")
        columns = ("CHILD", "DECOM", "DEC", "RNE", "PLACE", "linked_DECOM")
        # the dates leave a few episodes in a million; only they have their codes read (each
        # distinct code once: code_in)
        dated = (
            ds.episodes_typed.lazy()
            .select(*columns, "temporary", "short_break")
            .filter(counted & (open_on(period.start) | in_year))
            .collect(engine=ENGINE)
        )
        with_carers = code_in(dated, "PLACE", WITH_FOSTER_CARER_PLACE) & ~code_in(
            dated, "RNE", ["S"]
        )
        starts_in_year = (
            in_year
            & code_in(dated, "RNE", PLACEMENT_START_RNE).fill_null(False)
            & ~with_carers.fill_null(False)
            & (pl.col("linked_DECOM") == pl.col("DECOM"))  # not a piece the merge cut
        )
        return dated.filter(counted & (open_on(period.start) | starts_in_year)).select(
            "CHILD", "DECOM", "DEC", "RNE", "PLACE"
        )

    return memo(ds, ("placements_in_year", period), build)


@measure(
    "stability_three_plus",
    title="Children with three or more placements in the year",
    theme="stability",
    unit="share",
    definition=(
        "Children looked after on the reference date who had three or more separate "
        "placements during the year ending on it, of all children looked after on that date "
        "(DfE short-term stability). The placements counted are the one open on the first day "
        "of the year and each episode starting in the year with RNE S, P, B, T or U (RNE L - "
        "a change of legal status only - is not a move); being placed for adoption with the "
        "current foster carers (A3, A5) is not a placement change; temporary placements "
        "(T0-T4) and episodes under an agreed series of short-term breaks (V3/V4) do not "
        "count, and children on short breaks on the reference date are excluded. " + _LACSTABLE
    ),
    source="DfE Children looked after in England, stability indicator (SSDA903)",
    based_on="cla_count",
)
def stability_three_plus(ds: Dataset, period: Period) -> Share:
    cla = cla_on(ds, period.end).select("CHILD")
    # a child's placements are rows together (sorted by CHILD): the third of them is a row
    # whose child is the child two rows up, so no group-by of every child's id is needed
    third = (
        placements_in_year(ds, period).lazy().filter(pl.col("CHILD") == pl.col("CHILD").shift(2))
    )
    three_plus = cla.lazy().join(third.select("CHILD"), on="CHILD", how="semi")
    return Share(int(three_plus.select(pl.len()).collect(engine=ENGINE).item()), cla.height)


def carer_spells(ds: Dataset, rows: pl.Series | None = None) -> pl.DataFrame:
    """The placement spells at ``rows`` of ``linked_spells`` (all of them when None; in the
    placements' order): CHILD, start, end, PLACE and the carer spell each belongs to: a
    placement that follows the previous one directly with RNE T or U (same carer) continues
    its carer spell. Adds ``carer_start`` (the linked start of the spell's first placement),
    ``_carer_first`` (its start) and the previous carer spell's ``prev_carer_start`` /
    ``prev_carer_end``. The carer spells are found once (``_carer_runs``); only the rows asked
    for are read."""
    runs = _carer_runs(ds)
    at = pl.int_range(pl.len(), dtype=pl.Int64) if rows is None else pl.lit(rows)
    first = pl.col("_first").gather(at)
    before = (first - 1).clip(0)  # the previous carer spell's last row
    has_prev = (first > 0) & (pl.col("CHILD").gather(before) == pl.col("CHILD").gather(at))
    return (
        runs.lazy()
        .select(
            pl.col("CHILD", "start", "end", "PLACE").gather(at),
            pl.col("linked_start").gather(first).alias("carer_start"),
            pl.col("start").gather(first).alias("_carer_first"),
            pl.when(has_prev)
            .then(pl.col("linked_start").gather(pl.col("_first").gather(before)))
            .alias("prev_carer_start"),
            pl.when(has_prev).then(pl.col("end").gather(before)).alias("prev_carer_end"),
        )
        .collect(engine=ENGINE)
    )


def _carer_runs(ds: Dataset) -> pl.DataFrame:
    """``linked_spells``' CHILD, start, end, PLACE and linked_start with ``_first``: the row of
    the first placement of the carer spell each belongs to. A carer spell is a run of rows
    (sorted by child and start; a child's first placement starts one)."""

    def build() -> pl.DataFrame:
        spells = linked_spells(ds)
        follows = (pl.col("prev_end") == pl.col("start")).fill_null(False)
        same_carer = follows & code_in(spells, "RNE", SAME_CARER_RNE).fill_null(False)
        index = pl.int_range(pl.len(), dtype=pl.Int64)
        first = pl.when(~same_carer).then(index).forward_fill()
        return (
            spells.lazy()
            .select("CHILD", "start", "end", "PLACE", "linked_start", first.alias("_first"))
            .collect(engine=ENGINE)
        )

    return memo(ds, "carer_runs", build)


@measure(
    "stability_long_term",
    title="Children in long-term stable placements",
    theme="stability",
    unit="share",
    definition=(
        "Of children looked after on the reference date who were under 16 on that date and had "
        "been looked after continuously for at least 2.5 years (their period of care started on "
        "or before the date 30 months earlier), the share who had lived with the same carer for "
        "at least 2 years (their carer spell started on or before the same date 2 years "
        "earlier), or who are placed for adoption (A3-A6) and whose adoptive placement together "
        "with the carer spell immediately before it has lasted at least 2 years (DfE long-term "
        "stability). A change of placement with the same carer (RNE T or U) does not restart "
        "the clock; RNE P, B and S do. Time in care and with the carer is linked across "
        "returns. Changed (issue 13): RNE T and U restarted the clock; on the cs-demand-model "
        "sample at 31 March 2019 14.9% (11 of 74) -> 14.0% (7 of 50), the denominator now the "
        "2018-19 return's children (the merge policy). " + _LONGSTABLE
    ),
    source="DfE Children looked after in England, long-term stability indicator",
    history_years=2.5,
)
def stability_long_term(ds: Dataset, period: Period) -> Share:
    cohort = long_term_cohort(ds, period)
    return Share(cohort.filter(pl.col("stable")).height, cohort.height)


def long_term_cohort(ds: Dataset, period: Period) -> pl.DataFrame:
    """The children ``stability_long_term`` counts (CHILD), ``stable`` true for its numerator."""
    d = period.end
    cutoff_care = months_before(d, 30)
    cutoff_place = months_before(d, 24)
    cla = cla_children_on(ds, d).select("_row", "CHILD").filter(cla_on(ds, d)["age"] < 16)
    periods = (
        ds.periods_of_care.lazy()
        .filter(open_on(d, "start", "end"))
        .select("CHILD", pl.col("linked_start").alias("care_start"))
        .collect(engine=ENGINE)
    )
    cohort = cla.join(periods, on="CHILD", how="inner").filter(pl.col("care_start") <= cutoff_care)
    # the placement each child is in on d (its latest open one) and its carer spell
    current = carer_spells(ds, spell_of(ds, cohort, "placement_row"))
    joined = cohort.select("CHILD").hstack(
        current.select("PLACE", "carer_start", "_carer_first", "prev_carer_start", "prev_carer_end")
    )
    same = pl.col("carer_start") <= cutoff_place
    adoptive = (
        pl.col("PLACE").is_in(ADOPTION_PLACE)
        & (pl.col("prev_carer_end") == pl.col("_carer_first"))
        & (pl.col("prev_carer_start") <= cutoff_place)
    )
    return joined.select("CHILD", (same | adoptive).fill_null(False).alias("stable"))


#: The columns of a placement spell ``all_moves`` keeps (what the moves' counts read).
MOVE_COLUMNS = (
    "CHILD",
    "placement",
    "start",
    "end",
    "PLACE",
    "placement_type",
    "REASON_PLACE_CHANGE",
)


def all_moves(ds: Dataset) -> pl.DataFrame:
    """Placement spells followed directly by another one (not one the multi-year merge cut to
    start there: that placement began earlier), whatever the year: worked out once per
    Dataset; each year takes those ending in it (``moves``). Columns ``MOVE_COLUMNS``."""

    def build() -> pl.DataFrame:
        same_next = pl.col("CHILD") == pl.col("CHILD").shift(-1)
        next_cut = same_next & (pl.col("linked_start").shift(-1) != pl.col("start").shift(-1))
        return (
            linked_spells(ds)
            .lazy()  # only the columns kept are copied
            .filter(
                ~pl.col("short_break")
                & pl.col("end").is_not_null()
                & (pl.col("next_start") == pl.col("end"))
                & ~next_cut.fill_null(False)
            )
            .select(MOVE_COLUMNS)
            .collect(engine=ENGINE)
        )

    return memo(ds, "moves", build)


def _ended_in(period: Period) -> pl.Expr:
    """True for a move (spell of ``all_moves``) that ended in ``period``."""
    return pl.col("end").is_between(period.start, period.end)


def moves(ds: Dataset, period: Period) -> pl.DataFrame:
    """Placement spells that ended in the year and were followed directly by another one (not
    one the multi-year merge cut to start there: that placement began earlier)."""
    return all_moves(ds).filter(_ended_in(period))


@measure(
    "placement_moves",
    title="Placement moves in the year",
    theme="stability",
    unit="count",
    definition=(
        "Placements that ended during the year with the child moving straight to another "
        "placement (the next episode starts a new placement: RNE P, B, T or U) - the number of "
        "moves, not of children. RNE L episodes are not moves."
    ),
)
def placement_moves(ds: Dataset, period: Period) -> int:
    return count_where(all_moves(ds), _ended_in(period))  # the rows of moves(ds, period)


@measure(
    "reasons_for_placement_change",
    title="Reasons for placement change in the year",
    theme="stability",
    unit="counts",
    definition=(
        "Placement moves in the year by REASON_PLACE_CHANGE recorded on the episode that "
        "ended: " + "; ".join(f"{k} {v}" for k, v in REASON_PLACE_CHANGE.items()) + "."
    ),
    breakdowns=("reason",),
    keys=tuple(REASON_PLACE_CHANGE),
)
def reasons_for_placement_change(ds: Dataset, period: Period) -> Counts:
    frame = moves(ds, period).with_columns(change_reason())
    return counts(frame, "REASON_PLACE_CHANGE", REASON_PLACE_CHANGE)


def change_reason() -> pl.Expr:
    """A move's reason as ``reasons_for_placement_change`` keys it (blank: not_recorded)."""
    return code_expr("REASON_PLACE_CHANGE").fill_null("not_recorded")
