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


def _shared(
    later: ReturnRows, other: ReturnRows, hashes: dict[int, pl.Series]
) -> tuple[int, int, bool]:
    """How many of ``later``'s rows are rows of ``other``, of how many, and whether one ended.

    ``hashes`` holds each return's row hashes (by ``id``), made once rather than once a pair.
    """
    if set(later.episodes.columns) != set(other.episodes.columns):
        # the columns both have (ingest gives every episodes table the same ones)
        cols = [
            c
            for c in EPISODES.columns
            if c in later.episodes.columns and c in other.episodes.columns
        ]
        mine = later.episodes.select(cols).hash_rows()
        theirs = other.episodes.select(cols).hash_rows()
    else:
        mine, theirs = hashes[id(later)], hashes[id(other)]
    shared = mine.is_in(theirs.implode())
    ended = later.episodes.get_column("DEC").is_not_null()
    return int(shared.sum()), mine.len(), bool((shared & ended).any())


def copied_returns(returns: Sequence[ReturnRows]) -> list[Problem]:
    """One error per return that copies another (of a pair of copies, the later one is named)."""
    problems: list[Problem] = []
    if len(returns) < 2:
        return problems
    ordered = sorted(returns, key=lambda r: (r.year, r.folder))
    hashes = {id(r): _row_hashes(r) for r in ordered}
    found_pairs: dict[tuple[int, int], tuple[int, int] | None] = {}

    def is_copy(i: int, j: int) -> tuple[int, int] | None:
        """``ordered[i]`` as a copy of ``ordered[j]``: (rows shared, rows), or None."""
        if (i, j) not in found_pairs:
            k, n, ended = _shared(ordered[i], ordered[j], hashes)
            found_pairs[i, j] = (k, n) if n and ended and k >= SHARED * n else None
        return found_pairs[i, j]

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
