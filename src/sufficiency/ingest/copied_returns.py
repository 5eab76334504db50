"""Returns that are copies of another year's: identical, or sharing 95% or more of their episodes.

Consecutive returns rightly share the episodes still open between them, unchanged; a copy also
shares the episodes that ended, which no later return can hold unchanged as its own. So a return
is named when 95% or more of its episode rows are rows of another return, some of them ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from sufficiency.ingest.checks import return_label
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.tables import EPISODES

#: The share of a return's episode rows found in another return that makes it a copy.
SHARED = 0.95


@dataclass(frozen=True)
class ReturnRows:
    """One loaded return: its year, its folder (as problems name it) and its episodes."""

    year: int
    folder: str
    episodes: pl.DataFrame


def _row_hashes(ret: ReturnRows) -> pl.Series:
    """A hash of each of the return's episode rows over the EPISODES columns it has."""
    cols = [c for c in EPISODES.columns if c in ret.episodes.columns]
    return ret.episodes.select(cols).hash_rows()


def _shared(later: ReturnRows, other: ReturnRows) -> tuple[int, int, bool]:
    """How many of ``later``'s rows are rows of ``other``, of how many, and whether one ended."""
    cols = [
        c for c in EPISODES.columns if c in later.episodes.columns and c in other.episodes.columns
    ]
    mine = later.episodes.select(cols).hash_rows()
    theirs = other.episodes.select(cols).hash_rows()
    shared = mine.is_in(theirs.implode())
    ended = later.episodes.get_column("DEC").is_not_null()
    return int(shared.sum()), mine.len(), bool((shared & ended).any())


def _all_shared(ordered: Sequence[ReturnRows]) -> dict[tuple[int, int], tuple[int, bool]] | None:
    """``_shared`` of every pair (i, j) at once, from each return's row hashes made once and one
    join: (rows of return i that are rows of return j, whether one of them ended); a pair
    missing shares none. None when the returns' columns differ (then each pair is compared on
    the columns both have)."""
    if len({frozenset(r.episodes.columns) for r in ordered}) != 1:
        return None
    rows = pl.concat(
        pl.DataFrame(
            {
                "h": _row_hashes(r),
                "ended": r.episodes.get_column("DEC").is_not_null(),
                "r": pl.Series([i], dtype=pl.UInt32).new_from_index(0, r.episodes.height),
            }
        )
        for i, r in enumerate(ordered)
    )
    rows = rows.filter(pl.col("h").is_duplicated())  # a row no other row shares is in no pair
    holders = rows.lazy().select("h", pl.col("r").alias("o")).unique()
    counts = (  # lazy: Polars' streaming engine joins and groups faster than eager calls
        rows.lazy()
        .join(holders, on="h")
        .filter(pl.col("r") != pl.col("o"))
        .group_by("r", "o")
        .agg(pl.len().alias("k"), pl.col("ended").any())
        .collect()
    )
    return {(r, o): (k, ended) for r, o, k, ended in counts.iter_rows()}


def copied_returns(returns: Sequence[ReturnRows]) -> list[Problem]:
    """One error per return that copies another (of a pair of copies, the later one is named)."""
    problems: list[Problem] = []
    if len(returns) < 2:
        return problems
    ordered = sorted(returns, key=lambda r: (r.year, r.folder))
    pairs = _all_shared(ordered)

    def is_copy(i: int, j: int) -> tuple[int, int] | None:
        """``ordered[i]`` as a copy of ``ordered[j]``: (rows shared, rows), or None."""
        if pairs is None:
            k, n, ended = _shared(ordered[i], ordered[j])
        else:
            (k, ended), n = pairs.get((i, j), (0, False)), ordered[i].episodes.height
        return (k, n) if n and ended and k >= SHARED * n else None

    for i, ret in enumerate(ordered):
        for j, other in enumerate(ordered):
            if i == j:
                continue
            found = is_copy(i, j)
            if found is None or (j > i and is_copy(j, i) is not None):
                continue  # a pair of copies is named once, at the later return
            k, n = found
            m = other.episodes.height
            what = (
                "is identical to"
                if k == n == m
                else f"shares {k} of its {n} episode rows ({100 * k // n}%) with"
            )
            problems.append(
                Problem.whole_file(
                    "error",
                    "duplicate_return",
                    ret.folder,
                    f"this return {what} the {return_label(other.year)} return ({other.folder}): "
                    "it looks like a copy of that return; put each year's own return in its "
                    "folder",
                )
            )
            break
    return problems
