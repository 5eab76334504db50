"""Which collection year a return's episodes show: the year most of their dates fit.

An episode fits the return ending 31 March Y when none of its dates is after that day and, if
it ended, it did not end before the year began. The year with the fewest misfits wins (the
folder's own year on a tie), so one mistyped date cannot re-year a folder: the misfit is named
instead. Returns that also carry earlier history still fit their own year best.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from sufficiency.dates import financial_year_expr, year_end
from sufficiency.ingest.checks import return_label
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.return_checks import report_by_file


@dataclass(frozen=True)
class YearFit:
    """The year a return's dates show when it is not its folder's, and the rows that misfit."""

    #: The year the dates show, when it differs from the folder's; None when the folder is right.
    implied: int | None = None
    #: Why, in words (how many episodes fit each year).
    detail: str = ""
    problems: list[Problem] = field(default_factory=list)


def fit_year(eps: pl.DataFrame, year: int) -> YearFit:
    """Judge the folder year ``year`` of a return from its episodes (DECOM, DEC as dates)."""
    years = eps.select(
        financial_year_expr(pl.max_horizontal("DECOM", "DEC")).alias("latest"),
        financial_year_expr("DEC").alias("ended"),
    ).filter(pl.col("latest").is_not_null())
    n = years.height
    if n == 0:
        return YearFit()
    latest = dict(years.get_column("latest").value_counts().iter_rows())
    ended = dict(years.get_column("ended").drop_nulls().value_counts().iter_rows())

    def misfits(y: int) -> int:
        return sum(c for fy, c in latest.items() if fy > y) + sum(
            c for fy, c in ended.items() if fy < y
        )

    candidates = sorted({year, *latest})
    best = min(misfits(y) for y in candidates)
    if misfits(year) == best:
        return YearFit(problems=_late_starts(eps, year, n - best, n))
    implied = min(
        (y for y in candidates if misfits(y) == best), key=lambda y: (abs(y - year), -y)
    )
    detail = (
        f"{n - best} of the {n} episodes fit the {return_label(implied)} return by their dates "
        f"({n - misfits(year)} fit the {return_label(year)} return)"
    )
    return YearFit(implied, detail)


def _late_starts(eps: pl.DataFrame, year: int, fit: int, n: int) -> list[Problem]:
    """Episodes starting after the return's year: outliers among dates that fit it."""
    end = year_end(year)
    late = eps.filter(pl.col("DECOM") > end).with_columns(
        pl.col("DECOM").dt.strftime("%d/%m/%Y").alias("v")
    )
    return report_by_file(
        late,
        "error",
        "decom_after_collection_year",
        "DECOM",
        f"DECOM {{v}} is after {end:%d/%m/%Y}, the end of the {return_label(year)} return that "
        f"the other dates show ({fit} of the {n} episodes fit it): an episode cannot start "
        "after its return's year; check the date",
        value_col="v",
    )
