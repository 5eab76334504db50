"""Episodes read against the child's episode before and after them: REC X1 says another
episode follows on DEC, an RNE other than S says this episode continues one that ends on DECOM.

Unchecked, each miscounted without a word: an X1 with nothing after it counts the child neither
as looked after nor as leaving (an export closing open episodes at 31 March with X1 gave
children looked after 196 -> 0), an ending REC before an episode that continues counts a leaver
with no start, and a continuing episode with nothing before it a start (a "current episode"
extract: starts 70 -> 41, placement moves 91 -> 0). Frames carry ``_row`` and ``_file``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import polars as pl

from sufficiency.dates import year_end
from sufficiency.ingest.checks import day_text, return_label
from sufficiency.ingest.merge import report_by_file
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.readers import FILE, ROW

#: RNE codes that continue a period of care (every code but S, "started to be looked after"):
#: a change of legal status (L), of placement (P, B, U) or of both (T).
CONTINUING_RNE = ("L", "P", "T", "U", "B")
#: The episode columns these checks read.
_COLUMNS = ("CHILD", "DECOM", "RNE", "DEC", "REC", ROW, FILE)


def _next_start(eps: pl.DataFrame, starts: pl.DataFrame) -> pl.DataFrame:
    """``eps`` (sorted by DECOM) with the child's next episode after each one from ``starts``
    (CHILD, ``__next``: its DECOM, and whatever else ``starts`` gives of it)."""
    return eps.join_asof(
        starts.sort("__next"),
        left_on="DECOM",
        right_on="__next",
        by="CHILD",
        strategy="forward",
        allow_exact_matches=False,
        check_sortedness=False,  # sorted by DECOM here (not checked within CHILD groups)
    )


def closed_at_year_end(eps: pl.DataFrame, year: int) -> tuple[pl.DataFrame, list[Problem]]:
    """A return's episodes with REC X1 on the 31 March that ends its year and no episode of the
    child starting by then read as open (DEC, REC blank), with a warning for each: an export
    that closes open episodes at the collection date (the DfE's returns leave them open)."""
    end = year_end(year)
    if not {"CHILD", "DECOM", "DEC", "REC"} <= set(eps.columns):
        return eps, []
    closed = (pl.col("REC") == "X1") & (pl.col("DEC") == end)
    if not eps.select(closed.any()).item():
        return eps, []
    rows = eps.with_row_index("__i")
    starts = rows.filter(pl.col("CHILD").is_not_null() & pl.col("DECOM").is_not_null()).select(
        "CHILD", pl.col("DECOM").alias("__next")
    )
    found = _next_start(rows.filter(closed & pl.col("DECOM").is_not_null()).sort("DECOM"), starts)
    lone = found.filter(pl.col("__next").is_null() | (pl.col("__next") > pl.col("DEC"))).sort("__i")
    if lone.height == 0:
        return eps, []
    problems = report_by_file(
        lone.with_columns(day_text("DEC").alias("__v")),
        "warning",
        "x1_closes_open_episode",
        "DEC",
        f"DEC {{v}} with REC X1 (another episode follows) on {end:%d/%m/%Y}, the last day of the "
        f"{return_label(year)} collection year, but no episode of child {{d}} starts by then in "
        "this return: read as an export closing an open episode, so the episode is read as "
        f"still open (DEC and REC blank) and the child counts as looked after on {end:%d/%m/%Y}; "
        "if the child left care that day, give the REC that ended care",
        value_col="__v",
        detail_col="CHILD",
    )
    reopen = pl.col("__i").is_in(lone.get_column("__i").implode())
    opened = rows.with_columns(
        pl.when(reopen).then(None).otherwise(pl.col("DEC")).alias("DEC"),
        pl.when(reopen).then(None).otherwise(pl.col("REC")).alias("REC"),
    )
    return opened.drop("__i"), problems


def reopened_then_closed(problems: list[Problem]) -> list[Problem]:
    """``problems`` with an episode ``closed_at_year_end`` read as open and the merge closed
    again at the child's next episode (which a later return holds) told once: the X1 warning
    says so, and the merge's ``open_episode_not_last`` at its row, which would quote the blank
    as the file's DEC, goes."""
    reopened = {(p.file, p.row) for p in problems if p.code == "x1_closes_open_episode"}
    closed = {
        (p.file, p.row)
        for p in problems
        if p.code == "open_episode_not_last" and (p.file, p.row) in reopened
    }
    if not closed:
        return problems
    note = "; a later return holds the child's next episode, which closes it"
    out: list[Problem] = []
    for p in problems:
        if (p.file, p.row) in closed:
            if p.code == "open_episode_not_last":
                continue
            if p.code == "x1_closes_open_episode":
                p = replace(p, message=p.message + note)
        out.append(p)
    return out


def episodes_in_sequence(
    history: pl.DataFrame,
    loaded: Collection[int] = (),
    repaired: Collection[tuple[str | None, int | None]] = (),
) -> list[Problem]:
    """Warnings for episodes their neighbours contradict, in every loaded return's episodes
    merged (``history``: one row a CHILD and DECOM, sorted by them, the latest return's, with
    ``return_year`` and each row's file and row): REC X1 with no episode starting by DEC
    (``x1_without_next_episode``), an ending REC whose next episode continues the period
    (``rec_ends_continued_episode``), and a continuing RNE inside the year (after its first
    day) with no episode ending on DECOM (``rne_without_previous_episode``). The child's next
    and previous episodes are the rows beside it (no join: a pass over the sorted rows).
    ``loaded``: the years of the returns loaded (an episode on 1 April is checked when the
    return before it is one). ``repaired``: the rows (file, row) the merge truncated as
    overlapping the next: their children's sequences are not read (the repaired dates are not
    the file's, and the overlap is the problem named)."""
    if not {*_COLUMNS, "return_year"} <= set(history.columns):
        return []
    if history.schema["DECOM"] != pl.Date or history.schema["DEC"] != pl.Date:
        return []
    if repaired:
        history = history.filter(~pl.col("CHILD").is_in(_children_at(history, repaired).implode()))
    same_next = pl.col("CHILD").shift(-1) == pl.col("CHILD")
    same_prev = pl.col("CHILD").shift(1) == pl.col("CHILD")
    found = history.select(*_COLUMNS, pl.col("return_year").alias("__year")).with_columns(
        pl.when(same_next).then(pl.col("DECOM").shift(-1)).alias("__next"),
        pl.when(same_next).then(pl.col("RNE").shift(-1)).alias("__next_rne"),
        pl.when(same_next).then(pl.col(FILE).shift(-1).cast(pl.Utf8)).alias("__next_file"),
        pl.when(same_next).then(pl.col(ROW).shift(-1)).alias("__next_row"),
        pl.when(same_prev).then(pl.col("DECOM").shift(1)).alias("__prev"),
        pl.when(same_prev).then(pl.col("DEC").shift(1)).alias("__prev_dec"),
        # after the year's first day, unless the return before is loaded: an episode ending on
        # 1 April may be held by the return before (open at its end) alone
        pl.date(
            pl.col("__year") - 1,
            4,
            pl.when((pl.col("__year") - 1).is_in(list(loaded))).then(1).otherwise(2),
        ).alias("__first"),
        pl.date(pl.col("__year"), 3, 31).alias("__last"),
    )
    return _x1_alone(found) + _ended_then_continued(found) + _continues_nothing(found)


def _children_at(
    history: pl.DataFrame, rows: Collection[tuple[str | None, int | None]]
) -> pl.Series:
    """The children of ``history``'s rows at ``rows`` (file, row)."""
    at = pl.DataFrame(
        {"__f": [f for f, _ in rows], "__r": [r for _, r in rows]},
        schema={"__f": pl.Utf8, "__r": history.schema[ROW]},
    )
    return (
        history.select("CHILD", pl.col(FILE).cast(pl.Utf8).alias("__f"), pl.col(ROW).alias("__r"))
        .join(at, on=["__f", "__r"])
        .get_column("CHILD")
    )


def _ended_in_year() -> pl.Expr:
    """Rows ending in their return's year (a later DEC is named already, and the later return
    that holds the episode checks it)."""
    return pl.col("DEC").is_not_null() & (pl.col("DEC") <= pl.col("__last"))


def _followed() -> pl.Expr:
    """Rows whose child has an episode starting after theirs, by their DEC."""
    return pl.col("__next").is_not_null() & (pl.col("__next") <= pl.col("DEC"))


def _x1_alone(found: pl.DataFrame) -> list[Problem]:
    """REC X1 ("another episode follows") with nothing starting by DEC in any loaded return."""
    bad = found.filter((pl.col("REC") == "X1") & _ended_in_year() & ~_followed())
    return report_by_file(
        bad.with_columns(
            (pl.col("CHILD") + pl.lit(" starts on DEC ") + day_text("DEC")).alias("__d")
        ),
        "warning",
        "x1_without_next_episode",
        "REC",
        "REC {v} says another episode follows, but no episode of child {d} in any loaded "
        "return: the child counts neither as looked after after that day nor as leaving care; "
        "give the reason care ended (REC), or add the episode that follows",
        detail_col="__d",
    )


def _ended_then_continued(found: pl.DataFrame) -> list[Problem]:
    """An ending REC (not X1) whose child's next episode starts by DEC continuing the period."""
    bad = found.filter(
        pl.col("REC").is_not_null()
        & (pl.col("REC") != "X1")
        & _ended_in_year()
        & _followed()
        & pl.col("__next_rne").is_in(CONTINUING_RNE)
    )
    detail = (
        pl.lit("child ")
        + pl.col("CHILD")
        + pl.lit("'s next episode (")
        + pl.col("__next_file")
        + pl.lit(" row ")
        + pl.col("__next_row").cast(pl.Utf8)
        + pl.lit(") starts on ")
        + day_text("__next")
        + pl.lit(" with RNE ")
        + pl.col("__next_rne")
    )
    return report_by_file(
        bad.with_columns(detail.alias("__d")),
        "warning",
        "rec_ends_continued_episode",
        "REC",
        "REC {v} says the child left care on this episode's DEC, but {d}, which says it "
        "continues the period of care: counted as a leaver with no start of care after; give "
        "REC X1 if care went on (a new period cannot begin the day the last ended: the DfE's "
        "rule 431)",
        detail_col="__d",
    )


def _continues_nothing(found: pl.DataFrame) -> list[Problem]:
    """A continuing RNE starting inside its return's year (after its first day), with no
    episode of the child open up to its DECOM (ending on it, or later, as the merge then ends
    it there) in any loaded return."""
    covered = pl.col("__prev").is_not_null() & (
        pl.col("__prev_dec").is_null() | (pl.col("__prev_dec") >= pl.col("DECOM"))
    )
    bad = found.filter(
        pl.col("RNE").is_in(CONTINUING_RNE)
        & pl.col("DECOM").is_between(pl.col("__first"), pl.col("__last"))
        & ~covered
    )
    detail = (
        pl.when(pl.col("__prev").is_null())
        .then(pl.lit("no episode of child ") + pl.col("CHILD") + pl.lit(" ends on DECOM "))
        .otherwise(
            pl.lit("child ")
            + pl.col("CHILD")
            + pl.lit("'s episode before it ends on ")
            + day_text("__prev_dec")
            + pl.lit(", not on DECOM ")
        )
        + day_text("DECOM")
        + pl.lit(" in any loaded return")
    )
    return report_by_file(
        bad.with_columns(detail.alias("__d")),
        "warning",
        "rne_without_previous_episode",
        "RNE",
        "RNE {v} says this episode continues a period of care, but {d}: the period is read as "
        "beginning here (the time in care and placements before it lost, though it is not "
        "counted as a start, which is RNE S); give RNE S if the child started to be looked "
        "after that day, or add the episode before it (is the table an extract of current "
        "episodes only?)",
        detail_col="__d",
    )
