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


def _is_copy(ret: ReturnRows, other: ReturnRows) -> tuple[int, int] | None:
    k, n, ended = _shared(ret, other)
    return (k, n) if n and ended and k >= SHARED * n else None


def copied_returns(returns: Sequence[ReturnRows]) -> list[Problem]:
    """One error per return that copies another (of a pair of copies, the later one is named)."""
    problems: list[Problem] = []
    ordered = sorted(returns, key=lambda r: (r.year, r.folder))
    for i, ret in enumerate(ordered):
        for j, other in enumerate(ordered):
            if i == j:
                continue
            found = _is_copy(ret, other)
            if found is None or (j > i and _is_copy(other, ret) is not None):
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
