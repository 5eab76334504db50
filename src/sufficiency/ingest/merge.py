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


def merge_episodes(frames: list[pl.DataFrame]) -> tuple[pl.DataFrame, list[Problem]]:
    """Concatenate returns' episodes (each with ``return_year``) and repair across returns."""
    problems: list[Problem] = []
    # Frames come in return order, so a stable sort leaves the latest return last per key.
    eps = pl.concat(frames, how="vertical_relaxed").sort(["CHILD", "DECOM"], maintain_order=True)
    same_key = (pl.col("CHILD") == pl.col("CHILD").shift(-1)) & (
        pl.col("DECOM") == pl.col("DECOM").shift(-1)
    )
    superseded = eps.select(same_key.fill_null(False).alias("s"))["s"]
    if len(frames) > 1 and superseded.any():
        later = eps.select(pl.col("return_year").shift(-1).alias("later"))["later"]
        old = eps.with_columns(later).filter(superseded)
        problems += _report_by_file(
            old.with_columns(pl.col("later").cast(pl.Utf8).alias("v")),
            "warning",
            "duplicate_episode_across_returns",
            "DECOM",
            "the same episode (CHILD, DECOM) is in the later {v} return: that row is used",
            value_col="v",
        )
        eps = eps.filter(~superseded)
    same_child = pl.col("CHILD").shift(-1) == pl.col("CHILD")
    nxt = pl.when(same_child).then(pl.col("DECOM").shift(-1)).otherwise(None)
    eps = eps.with_columns(nxt.alias("__next"))
    open_not_last = pl.col("DEC").is_null() & pl.col("__next").is_not_null()
    overlap = pl.col("DEC") > pl.col("__next")
    flagged = eps.filter(open_not_last | overlap).with_columns(
        pl.col("__next").dt.strftime("%d/%m/%Y").alias("v")
    )
    if flagged.height:
        problems += _report_by_file(
            flagged.filter(pl.col("DEC").is_null()),
            "warning",
            "open_episode_not_last",
            "DEC",
            "this episode has no DEC but the child has a later episode: it is closed on {v}, "
            "the next episode's DECOM",
            value_col="v",
        )
        problems += _report_by_file(
            flagged.filter(pl.col("DEC").is_not_null()),
            "warning",
            "overlapping_episodes",
            "DEC",
            "this episode ends after the child's next episode starts: DEC is truncated to {v}, "
            "the next episode's DECOM",
            value_col="v",
        )
        eps = eps.with_columns(
            pl.when(open_not_last | overlap)
            .then(pl.col("__next"))
            .otherwise(pl.col("DEC"))
            .alias("DEC")
        )
    return eps.drop("__next"), problems


def latest_per_child(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """One row per CHILD: the row from the latest return (header, uasc)."""
    if len(frames) == 1:
        return frames[0]  # the checks already left one row per child
    rows = pl.concat(frames, how="vertical_relaxed").sort(["CHILD", "return_year"])
    return rows.filter(pl.col("CHILD").is_last_distinct())
