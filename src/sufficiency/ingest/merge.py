"""Multi-year merge: each return is the authority for its own year (DESIGN.md "Data folder").

Two timelines come out of the returns' episodes:

* the **history** (``merge_episodes``): one episode per (CHILD, DECOM) over all returns, the
  latest return's row winning, overlaps truncated at the next DECOM. It is what cs-demand-model
  reads (the ``standard-v1`` forecast keeps it for parity), and it links periods of care;
* the **authoritative timeline** (``merge_returns``): inside the year a loaded return covers
  (1 April to 31 March), only that return's own episodes; before and between the loaded years,
  the history; after the latest one, its own episodes (what it has open stays open). Pieces of
  one episode that meet at a year boundary are joined back into one episode. So a measure at a
  date or over a year counts exactly the children the return for that year shows: a child open
  at the end of one return and absent from the next loaded return leaves on the 1 April after
  it, and a child a later return places in an earlier loaded year is not counted in that year.

Each repair is reported as a warning naming the rows or the children (never silently made).
Frames carry ``_row`` and ``_file`` (where each row came from) until the Dataset is built.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import polars as pl

from sufficiency.dataset import CUTS_SCHEMA, IN_MEMORY, sorted_by
from sufficiency.dates import looked_after_during, year_end
from sufficiency.ingest.checks import day_text, report
from sufficiency.ingest.child_details import details_differ, fill_blank_details
from sufficiency.ingest.problems import Problem, Severity, listed
from sufficiency.ingest.readers import FILE, ROW

#: The merge's number for each child, in CHILD order (sorts and matches on it are cheaper than
#: on the text; dropped before the merge hands its frames back).
_CID = "_cid"


def report_by_file(
    bad: pl.DataFrame,
    severity: Severity,
    code: str,
    column: str | None,
    message: str,
    value_col: str | None = None,
    detail_col: str | None = None,
) -> list[Problem]:
    """``checks.report`` file by file, in row order, for rows that may come from several files
    of a return."""
    out: list[Problem] = []
    if bad.height == 0:
        return out
    # only the columns a problem quotes are sorted and split (``bad`` may be every row)
    quoted = [c for c in (value_col or column, detail_col) if c is not None and c in bad.columns]
    bad = bad.select(list(dict.fromkeys([FILE, ROW, *quoted])))
    for (file,), part in bad.sort(FILE, ROW).group_by(FILE, maintain_order=True):
        out += report(
            part, severity, code, str(file), column, message, value_col, detail_col=detail_col
        )
    return out


#: The repairs of an episode that does not end before the child's next one starts: which
#: episodes each code names, and its message ({d} is the next episode's DECOM; the problem's
#: value is the file's own DEC, blank when open).
_EPISODE_REPAIRS: dict[str, tuple[pl.Expr, str]] = {
    "open_episode_not_last": (
        pl.col("DEC").is_null(),
        "this episode has no DEC but the child has a later episode: it is closed on {d}, "
        "the next episode's DECOM",
    ),
    "overlapping_episodes": (
        pl.col("DEC").is_not_null(),
        "this episode ends after the child's next episode starts: DEC is truncated to {d}, "
        "the next episode's DECOM",
    ),
}


def merge_episodes(eps: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """Repair returns' episodes (each row with ``return_year``), stably sorted by CHILD and DECOM
    (``merge_returns`` sorts them once: rows of one key in file and return order).

    One row per (CHILD, DECOM): an exact copy of the row before it (same return) is dropped as
    ``duplicate_row``; otherwise the later row wins, the earlier one reported as
    ``duplicate_episode`` (same return, other values: an error naming both rows and the
    columns that differ) or ``duplicate_episode_across_returns``.
    """
    problems: list[Problem] = []
    same_next = (pl.col("CHILD") == pl.col("CHILD").shift(-1)) & (
        pl.col("DECOM") == pl.col("DECOM").shift(-1)
    )
    if eps.select(same_next.any()).item():
        eps, dup_problems = _one_per_key(eps)
        problems += dup_problems
    same_child = pl.col("CHILD").shift(-1) == pl.col("CHILD")
    nxt = pl.when(same_child).then(pl.col("DECOM").shift(-1)).otherwise(None)
    eps = eps.with_columns(nxt.alias("__next"))
    open_not_last = pl.col("DEC").is_null() & pl.col("__next").is_not_null()
    overlap = pl.col("DEC") > pl.col("__next")
    flagged = eps.filter(open_not_last | overlap).with_columns(
        day_text("DEC").alias("v"),
        day_text("__next").alias("d"),
    )
    if flagged.height:
        for code, (which, message) in _EPISODE_REPAIRS.items():
            problems += report_by_file(
                flagged.filter(which),
                "warning",
                code,
                "DEC",
                message,
                value_col="v",
                detail_col="d",
            )
        eps = eps.with_columns(
            pl.when(open_not_last | overlap)
            .then(pl.col("__next"))
            .otherwise(pl.col("DEC"))
            .alias("DEC")
        )
    return eps.drop("__next"), problems


def _one_per_key(eps: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """Drop exact copies, then keep the last row of each (CHILD, DECOM); report both."""
    problems: list[Problem] = []
    values = [c for c in eps.columns if c not in (ROW, FILE, "return_year", _CID)]
    same_prev = (pl.col("CHILD") == pl.col("CHILD").shift(1)) & (
        pl.col("DECOM") == pl.col("DECOM").shift(1)
    )
    same_key_and_year = same_prev & (pl.col("return_year") == pl.col("return_year").shift(1))
    # every value compared only when a return repeats a key (across returns is the common case)
    if eps.select(same_key_and_year.fill_null(False).any()).item():
        copy = same_key_and_year & pl.all_horizontal(
            pl.col(c).eq_missing(pl.col(c).shift(1)) for c in values
        )
        copies = eps.select(copy.fill_null(False).alias("c"))["c"]
        problems += report_by_file(
            eps.filter(copies),
            "warning",
            "duplicate_row",
            None,
            "this row repeats an earlier row exactly: the copy is dropped",
        )
        eps = eps.filter(~copies)
    same_next = (pl.col("CHILD") == pl.col("CHILD").shift(-1)) & (
        pl.col("DECOM") == pl.col("DECOM").shift(-1)
    )
    flags = eps.select(
        same_next.fill_null(False).alias("s"),
        (pl.col("return_year") == pl.col("return_year").shift(-1)).alias("same_year"),
        pl.col("return_year").shift(-1).alias("later"),
    )
    superseded = flags["s"]
    if superseded.any():
        # what differs is worked out only for a key a return repeats (an error, and rare): the
        # rows it names and each one's next row (a copy across returns names no columns)
        clash = (superseded & flags["same_year"]).fill_null(False)
        if clash.any():
            near = clash | clash.shift(1, fill_value=False)
            pairs = eps.filter(near).with_columns(_conflict(values).alias("__d"))
            problems += report_by_file(
                pairs.filter(clash.filter(near)).with_columns(day_text("DECOM").alias("v")),
                "error",
                "duplicate_episode",
                "DECOM",
                "a later row of this return has the same CHILD and DECOM {v} but another {d}: "
                "a child has one episode starting on a day, and which row is right cannot be "
                "known; correct or remove one of them",
                value_col="v",
                detail_col="__d",
            )
        problems += report_by_file(
            eps.select(FILE, ROW, "DECOM")
            .with_columns(flags.get_column("later").cast(pl.Utf8))
            .filter(superseded & ~clash),
            "warning",
            "duplicate_episode_across_returns",
            "DECOM",
            "the same episode (CHILD, DECOM) is in the later {v} return: each return's row is "
            "used for its own year, the later row for the episode's details",
            value_col="later",
        )
        eps = eps.filter(~superseded)
    return eps, problems


def _conflict(values: list[str]) -> pl.Expr:
    """For a row the next one repeats the key of: the columns whose values differ and where the
    next row is (``PLACE, LS (ssda903/2026/episodes.csv row 7)``)."""
    differ = [
        pl.when(~pl.col(c).eq_missing(pl.col(c).shift(-1))).then(pl.lit(c))
        for c in values
        if c not in ("CHILD", "DECOM")
    ]
    where = pl.format(" ({} row {})", pl.col(FILE).shift(-1).cast(pl.Utf8), pl.col(ROW).shift(-1))
    return pl.concat_str(differ, separator=", ", ignore_nulls=True) + where


def _year(frame: pl.DataFrame) -> int:
    """The return year of a return's rows (0 when it has none)."""
    year = frame.get_column("return_year").max()
    return year if isinstance(year, int) else 0


def latest_per_child(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """One row per CHILD: the row from the latest return (header, uasc)."""
    if len(frames) == 1:
        return frames[0]  # the checks already left one row per child
    return _latest(_in_year_order(frames))


def header_per_child(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, list[Problem]]:
    """``latest_per_child`` of the returns' headers, its blank details taken from earlier returns,
    and each child whose DOB or SEX differs between returns named (``child_details``)."""
    if len(frames) == 1:
        return frames[0], []
    rows = _in_year_order(frames)
    last = rows.get_column("CHILD").is_last_distinct()
    differ = details_differ(rows, last)
    rows, filled = fill_blank_details(rows, last)
    return _latest(rows, last), differ + filled


def _in_year_order(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The returns' rows, the returns in year order (each child's last row is its latest)."""
    return pl.concat(sorted(frames, key=_year), how="vertical_relaxed", rechunk=True)


def _latest(rows: pl.DataFrame, last: pl.Series | None = None) -> pl.DataFrame:
    """Each child's last row (``last``: which rows those are, when known); the children (fewer
    than their rows) then sorted by CHILD, as a sort by CHILD and year gave them."""
    if last is None:
        last = rows.get_column("CHILD").is_last_distinct()
    return rows.filter(last).sort("CHILD")


# ------------------------------------------------------------------- each return's own year
_PAST = dt.date(1, 1, 1)
_FUTURE = dt.date(9999, 12, 31)
#: Ids named in one problem's message (all of them are in its ``value``).
_IDS_SHOWN = 50


@dataclass(frozen=True)
class Merged:
    """The returns' episodes merged: the authoritative timeline, the history, the cuts made."""

    #: Inside each loaded return's year, that return's own episodes (see the module docstring).
    episodes: pl.DataFrame
    #: One episode per (CHILD, DECOM), the latest return's row winning (cs-demand-model's view).
    history: pl.DataFrame
    #: Episodes of ``episodes`` whose start or end the authority cut (``dataset.CUTS_SCHEMA``:
    #: ``linked_DECOM`` the DECOM the history gives a cut start, ``end_cut`` an end on the
    #: 1 April a loaded year begins that that year's return does not show).
    cuts: pl.DataFrame
    problems: list[Problem]


def year_window(year: int) -> tuple[dt.date, dt.date]:
    """The days a return covers, half-open: [1 April year-1, 1 April year)."""
    return year_end(year - 1) + dt.timedelta(days=1), year_end(year) + dt.timedelta(days=1)


def merge_returns(frames: list[pl.DataFrame], *, name_children: bool = True) -> Merged:
    """Merge the returns' episodes (each frame one return's, with ``return_year``).

    The history is ``merge_episodes`` over all of them (its repairs are reported). The
    authoritative timeline takes, for each loaded year, only the episodes of that year's
    return (repaired on their own), clipped to its 1 April - 31 March, and the history outside
    every loaded year; children it drops or cuts are named per return (those whose episodes
    another return tells differently only when ``name_children``: most of the naming's time,
    for a caller that reads only errors and the kinds of warning; the frames are the same).
    """
    years = sorted({int(f.get_column("return_year")[0]) for f in frames if f.height})
    # One stable sort of every return's rows by CHILD and DECOM: each return's rows, taken from
    # it, are then in the order a sort of that return alone gives (not sorted again). ``_cid``
    # numbers the children in CHILD order, so the steps below sort and match on it, not on text.
    eps = sorted_by(pl.concat(frames, how="vertical_relaxed", rechunk=True), ["CHILD", "DECOM"])
    frames.clear()
    if len(years) < 2:
        history, problems = merge_episodes(eps)
        return Merged(history, history, pl.DataFrame(schema=CUTS_SCHEMA), problems)
    eps = eps.with_columns(
        pl.col("CHILD").ne_missing(pl.col("CHILD").shift(1)).cum_sum().cast(pl.UInt32).alias(_CID)
    )
    own_rows = {
        int(y): rows
        for (y,), rows in eps.partition_by("return_year", as_dict=True, maintain_order=True).items()
    }
    history, problems = merge_episodes(eps)
    del eps
    own = {y: merge_episodes(own_rows.pop(y))[0] for y in years}
    episodes, cuts = _authoritative(history, own, years)
    problems += _name_children(history, episodes, own, years, compare=name_children)
    return Merged(episodes.drop(_CID), history.drop(_CID), cuts, problems)


def _clip(frame: pl.DataFrame, first: dt.date, stop: dt.date) -> pl.DataFrame:
    """The part of each episode inside [first, stop): ``_lo`` .. ``_hi`` (``_FUTURE`` = open),
    with ``_key`` its own DECOM and ``_stop`` = stop. An episode that ends inside the span
    without a night in it (a same-day episode, or one ending on ``first``) is kept as a
    zero-length piece: its ending belongs to the span."""
    return _clip_lazy(frame.lazy(), first, stop).collect(engine=IN_MEMORY)


def _clip_lazy(frame: pl.LazyFrame, first: dt.date, stop: dt.date) -> pl.LazyFrame:
    """``_clip`` as a query (for several to run at once)."""
    end = pl.col("DEC").fill_null(_FUTURE)
    lo = pl.max_horizontal(pl.col("DECOM"), pl.lit(first))
    hi = pl.min_horizontal(end, pl.lit(stop))
    ends_inside = (pl.col("DEC") >= first) & (pl.col("DEC") < stop) & (lo == hi)
    return frame.filter((lo < hi) | ends_inside.fill_null(False)).with_columns(
        pl.col("DECOM").alias("_key"), lo.alias("_lo"), hi.alias("_hi"), pl.lit(stop).alias("_stop")
    )


def _outside(years: list[int]) -> list[tuple[dt.date, dt.date]]:
    """The spans no loaded return covers: before the first, between gaps, after the last."""
    spans: list[tuple[dt.date, dt.date]] = []
    edge = _PAST
    for year in years:
        first, stop = year_window(year)
        if first > edge:
            spans.append((edge, first))
        edge = stop
    spans.append((edge, _FUTURE))
    return spans


def _authoritative(
    history: pl.DataFrame, own: dict[int, pl.DataFrame], years: list[int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each loaded year's own episodes inside it, the history before and between them, the
    latest return's own episodes after it; pieces of one episode (same CHILD and DECOM) that
    meet at a boundary joined back. Returns (episodes, cuts).

    An episode whose last piece ends on the 1 April a loaded year begins (its own DEC, or cut
    there) ends in that year without that year's return showing it: ``end_cut`` (not a leaving
    of care). A piece starting later than its episode's DECOM is a cut start (``linked_DECOM``).
    """
    spans = [(year_window(y), own[y]) for y in years]
    *before, (after, _) = _outside(years)
    spans += [((first, stop), history) for first, stop in before]
    spans.append(((after, _FUTURE), own[years[-1]]))  # what the latest return has open
    # The pieces in time order, each in CHILD, DECOM order: a stable sort by child alone then
    # orders each child's pieces by _lo and _hi (every piece starts inside its span, and inside
    # one span the repaired episodes of a child follow one another), without sorting on dates.
    spans.sort(key=lambda span: span[0][0])
    cols = history.columns
    joined = pl.concat(
        [
            _clip(frame, first, stop).select(*cols, "_key", "_lo", "_hi", "_stop")
            for (first, stop), frame in spans
        ],
        how="vertical",
        rechunk=True,  # one chunk: Polars gathers rows from it several times faster
    )
    # The joining is worked out on the keys alone, in that order; the episodes' own columns are
    # then taken once, for the last piece of each episode (not sorted, then filtered, whole).
    order = joined.select(pl.arg_sort_by(_CID, maintain_order=True).alias("_i"))
    keys = joined.select(_CID, "_key", "_lo", "_hi")[order.get_column("_i")]
    continues = (
        (pl.col(_CID) == pl.col(_CID).shift(1))
        & (pl.col("_key") == pl.col("_key").shift(1))
        & (pl.col("_lo") == pl.col("_hi").shift(1))
    ).fill_null(False)
    marked = keys.select(
        pl.col("_lo"), pl.col("_key"), continues.alias("_cont"), order.get_column("_i")
    )
    firsts = marked.filter(~pl.col("_cont")).select(
        pl.col("_lo").alias("_start"), pl.col("_key").alias("_first_key")
    )
    last_rows = marked.filter(~pl.col("_cont").shift(-1, fill_value=False)).get_column("_i")
    out = pl.concat([joined[last_rows], firsts], how="horizontal")
    starts = [year_window(y)[0] for y in years]
    truncated = (pl.col("_hi") != _FUTURE) & (
        pl.col("DEC").is_null() | (pl.col("_hi") < pl.col("DEC"))
    )
    at_boundary = (pl.col("_hi") == pl.col("_stop")) & pl.col("_stop").is_in(starts)
    out = out.with_columns(
        truncated.alias("_truncated"),
        at_boundary.alias("_end_cut"),
        (pl.col("_start") != pl.col("_first_key")).alias("_start_cut"),
    ).with_columns(
        pl.col("_start").alias("DECOM"),
        pl.when(pl.col("_hi") == _FUTURE).then(None).otherwise(pl.col("_hi")).alias("DEC"),
        *[
            pl.when(pl.col("_truncated")).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("REC", "REASON_PLACE_CHANGE")
            if c in cols
        ],
    )
    cuts = out.filter(pl.col("_start_cut") | pl.col("_end_cut")).select(
        "CHILD",
        "DECOM",
        pl.when(pl.col("_start_cut")).then(pl.col("_first_key")).alias("linked_DECOM"),
        pl.col("_end_cut").alias("end_cut"),
    )
    return out.select(cols), cuts.cast(CUTS_SCHEMA)  # type: ignore[arg-type]


def _ids(frame: pl.DataFrame, leave_out: pl.Series | None = None) -> list[str]:
    """The distinct children of ``frame`` in CHILD order, but those numbered in ``leave_out``."""
    rows = frame.select(_CID, "CHILD").filter(pl.col("CHILD").is_not_null())
    if leave_out is not None and leave_out.len():
        rows = rows.filter(~pl.col(_CID).is_in(leave_out.implode()))
    return rows.unique(_CID).sort(_CID).get_column("CHILD").to_list()


def _numbers(frame: pl.DataFrame) -> pl.Series:
    """The distinct child numbers of ``frame`` (children with a CHILD)."""
    return frame.filter(pl.col("CHILD").is_not_null()).get_column(_CID).unique()


def _named(code: str, file: str, ids: list[str], message: str) -> Problem:
    """One warning naming children: the count and ids in the message, every id in ``value``."""
    return Problem(
        "warning",
        code,
        file,
        None,
        "CHILD",
        ", ".join(ids),
        f"{len(ids)} {message}: {listed(ids, _IDS_SHOWN)}",
    )


def _file_of(frame: pl.DataFrame, year: int) -> str:
    if FILE in frame.columns and frame.height:
        return str(frame.get_column(FILE)[0])
    return f"ssda903/{year}/episodes.csv"


def _label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _name_children(
    history: pl.DataFrame,
    episodes: pl.DataFrame,
    own: dict[int, pl.DataFrame],
    years: list[int],
    compare: bool = True,
) -> list[Problem]:
    """Warnings naming the children the authority changed, per return: open at its end and
    absent from the next loaded return; placed in its year by a later return only; and, when
    ``compare``, with episodes in its year that another return tells differently (most of the
    time: every year's episodes compared with the history's)."""
    problems: list[Problem] = []
    # only the columns the comparisons read (filters then copy less)
    keep = [
        c for c in (_CID, "CHILD", "DECOM", "DEC", "LS", "PLACE", "PLACE_PROVIDER") if c in history
    ]
    history, episodes = history.select(keep), episodes.select(keep)
    own = {y: own[y].select(*keep, *([FILE] if FILE in own[y].columns else [])) for y in years}
    children = {y: _numbers(own[y]) for y in years}
    dropped: dict[int, list[pl.Series]] = {y: [] for y in years}

    def named(frame: pl.DataFrame, leave_out: pl.Series) -> tuple[list[str], pl.Series]:
        """The children of ``frame`` not in ``leave_out``: their ids and their numbers."""
        rows = frame.filter(~pl.col(_CID).is_in(leave_out.implode()))
        return _ids(rows), _numbers(rows)

    for year, nxt in itertools.pairwise(years):
        first_next, _ = year_window(nxt)
        still = own[year].filter(pl.col("DEC").is_null() | (pl.col("DEC") > year_window(year)[1]))
        gone, numbers = named(still, children[nxt])
        if gone:
            dropped[nxt].append(numbers)
            end = dt.date(first_next.year, 3, 31)
            problems.append(
                _named(
                    "absent_from_next_return",
                    _file_of(own[year], year),
                    gone,
                    f"children looked after at the end of the {_label(year)} return are not in "
                    f"the next loaded return ({_label(nxt)}): counted as looked after on "
                    f"{end:%d/%m/%Y} and as having left on {first_next:%d/%m/%Y}, and not "
                    f"counted as leaving care in {_label(nxt)} (that return does not show them)",
                )
            )
    for year in years[:-1]:
        later = [y for y in years if y > year]
        during = looked_after_during(year_window(year)[0], year_end(year))
        placed = pl.concat([own[y].filter(during) for y in later])
        extra, numbers = named(placed, children[year])
        if extra:
            dropped[year].append(numbers)
            problems.append(
                _named(
                    "missing_from_earlier_return",
                    _file_of(own[year], year),
                    extra,
                    f"children that a later return ({', '.join(_label(y) for y in later)}) "
                    f"places in {_label(year)} are not in the {_label(year)} return: not counted "
                    f"in {_label(year)} (their earlier episodes still link their time in care)",
                )
            )
    if not compare:
        return problems
    compared = [
        c
        for c in (_CID, "_lo", "_hi", "LS", "PLACE", "PLACE_PROVIDER")
        if c in history or c[0] == "_"
    ]
    # each year's children whose episodes differ, the years' queries run at once
    queries = []
    for year in years:
        window = year_window(year)
        nights = pl.col("_hi") > window[0]  # an ending on the first day is the year before's
        ours = _clip_lazy(episodes.lazy(), *window).filter(nights).select("CHILD", *compared)
        theirs = _clip_lazy(history.lazy(), *window).filter(nights).select("CHILD", *compared)
        queries.append(
            pl.concat(
                [
                    ours.join(theirs, on=compared, how="anti", nulls_equal=True),
                    theirs.join(ours, on=compared, how="anti", nulls_equal=True),
                ]
            )
        )
    # the in-memory engine: these anti-joins run ~1.4x faster there than on the streaming one
    differing = pl.collect_all(queries, engine=IN_MEMORY)
    for year, differ in zip(years, differing, strict=True):
        changed = _ids(differ, pl.concat(dropped[year]) if dropped[year] else None)
        if changed:
            problems.append(
                _named(
                    "earlier_year_changed",
                    _file_of(own[year], year),
                    changed,
                    f"children's episodes in {_label(year)} differ between the {_label(year)} "
                    f"return and another loaded return: the {_label(year)} return is used for "
                    "that year",
                )
            )
    return problems
