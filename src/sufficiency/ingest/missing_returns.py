"""Returns missing between two others: the years around a gap are read, but the missing
year's figures (a trend's 31 March in it, starts and leavers in its year) can only come from the
other returns' episodes, and children who started and left within it are in none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from sufficiency.ingest.checks import return_label
from sufficiency.ingest.problems import Problem


def missing_returns(years: Iterable[int], folder: str) -> list[Problem]:
    """A warning for each year with no return between the first and the last given (``folder``:
    where returns live, as problems name it)."""
    held = sorted(set(years))
    if len(held) < 2:
        return []
    return [
        Problem.whole_file(
            "warning",
            "return_missing",
            f"{folder}{year}",
            f"no {return_label(year)} return (no folder {folder}{year}) between the "
            f"{return_label(before)} and {return_label(after)} returns: figures for 31 March "
            f"{year} and the year to it are worked out from the other returns' episodes alone, "
            f"so children who started and left within {return_label(year)} are missing from "
            "them; add the return",
        )
        for before, after in pairwise(held)
        for year in range(before + 1, after)
    ]
