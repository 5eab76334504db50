"""Multi-year merge: one episode per (CHILD, DECOM), the latest return winning; overlaps repaired.

Each repair is reported as a warning against the row it changed (DESIGN.md "Data folder").
Frames carry ``_row`` and ``_file`` (where each row came from) until the Dataset is built.
"""

from __future__ import annotations

import polars as pl

from sufficiency.ingest.checks import report
from sufficiency.ingest.problems import Problem, Severity
from sufficiency.ingest.readers import ROW

FILE = "_file"


def _report_by_file(
    bad: pl.DataFrame,
    severity: Severity,
    code: str,
    column: str | None,
    message: str,
    value_col: str | None = None,
) -> list[Problem]:
    """Report rows of ``bad`` file by file (rows of several files may be mixed)."""
    out: list[Problem] = []
    if bad.height == 0:
        return out
    for (file,), part in bad.sort(FILE, ROW).group_by(FILE, maintain_order=True):
        out += report(
            part,
            severity,
            code,
            str(file),
            column,
            message,
            value_col=value_col,
        )
    return out


#: The repairs of an episode that does not end before the child's next one starts: which
#: episodes each code names, and its message ({v} is the next episode's DECOM).
_EPISODE_REPAIRS: dict[str, tuple[pl.Expr, str]] = {
    "open_episode_not_last": (
        pl.col("DEC").is_null(),
        "this episode has no DEC but the child has a later episode: it is closed on {v}, "
        "the next episode's DECOM",
    ),
    "overlapping_episodes": (
        pl.col("DEC").is_not_null(),
        "this episode ends after the child's next episode starts: DEC is truncated to {v}, "
        "the next episode's DECOM",
    ),
}


def merge_episodes(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, list[Problem]]:
    """Concatenate returns' episodes (each with ``return_year``) and repair them.

    One row per (CHILD, DECOM): an exact copy of the row before it (same return) is dropped as
    ``duplicate_row``; otherwise the later row wins, the earlier one reported as
    ``duplicate_episode`` (same return) or ``duplicate_episode_across_returns``.
    """
    problems: list[Problem] = []
    # Frames come in return order, so a stable sort keeps file / return order within a key.
    eps = pl.concat(frames, how="vertical_relaxed")
    frames.clear()  # the caller's list no longer pins the unsorted rows
    eps = eps.sort(["CHILD", "DECOM"], maintain_order=True)
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
        pl.col("__next").dt.strftime("%d/%m/%Y").alias("v")
    )
    if flagged.height:
        for code, (which, message) in _EPISODE_REPAIRS.items():
            problems += _report_by_file(
                flagged.filter(which), "warning", code, "DEC", message, value_col="v"
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
    values = [c for c in eps.columns if c not in (ROW, FILE, "return_year")]
    same_prev = (pl.col("CHILD") == pl.col("CHILD").shift(1)) & (
        pl.col("DECOM") == pl.col("DECOM").shift(1)
    )
    copy = (
        same_prev
        & (pl.col("return_year") == pl.col("return_year").shift(1))
        & pl.all_horizontal(pl.col(c).eq_missing(pl.col(c).shift(1)) for c in values)
    )
    copies = eps.select(copy.fill_null(False).alias("c"))["c"]
    if copies.any():
        problems += _report_by_file(
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
        pl.col("return_year").shift(-1).cast(pl.Utf8).alias("later"),
    )
    superseded = flags["s"]
    if superseded.any():
        old = eps.with_columns(flags.select("same_year", "later").get_columns()).filter(superseded)
        problems += _report_by_file(
            old.filter(pl.col("same_year")).with_columns(
                pl.col("DECOM").dt.strftime("%d/%m/%Y").alias("v")
            ),
            "warning",
            "duplicate_episode",
            "DECOM",
            "a later row of this return has the same CHILD and DECOM {v}: that row is used",
            value_col="v",
        )
        problems += _report_by_file(
            old.filter(~pl.col("same_year")),
            "warning",
            "duplicate_episode_across_returns",
            "DECOM",
            "the same episode (CHILD, DECOM) is in the later {v} return: that row is used",
            value_col="later",
        )
        eps = eps.filter(~superseded)
    return eps, problems


def latest_per_child(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """One row per CHILD: the row from the latest return (header, uasc)."""
    if len(frames) == 1:
        return frames[0]  # the checks already left one row per child
    rows = pl.concat(frames, how="vertical_relaxed").sort(["CHILD", "return_year"])
    return rows.filter(pl.col("CHILD").is_last_distinct())
