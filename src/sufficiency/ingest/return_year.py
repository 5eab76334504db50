"""Which collection year a return's episodes show, judged by most of their dates.

A return ending 31 March Y holds no date after that day. When more than half of a folder's
episodes have a date after the end of its year, the folder holds a later return: the earliest
year that at most half of them are after. When none of its episodes is open during its year
(all ended before it began), it holds an earlier one: the earlier year most of them fit.
Otherwise the folder's year stands, so one mistyped date cannot re-year a folder; an episode
starting after the year is named instead. Returns that also carry earlier history (episodes that
ended before the year) keep their year - unless nothing at all happens in it: when no episode
starts or ends in the folder's year, none is after it and some ended before it, the folder holds
the return of the last year its dates reach (the latest return put in a folder named a year, or
decades, too late: every child a year older, no starts, no leavers, published without a word).
Such a "quiet" year is only taken when no other folder holds the year its dates show (a small
council's quiet year beside the return before it keeps its folder's year). An end more than a
year after the latest start (31/12/2099 for "no end date") is a placeholder, not a date of the
return: it is named as a DEC after the year, and casts no vote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from sufficiency.dates import financial_year_expr, year_end
from sufficiency.ingest.checks import day_text, return_label
from sufficiency.ingest.merge import report_by_file
from sufficiency.ingest.problems import Problem


@dataclass(frozen=True)
class YearFit:
    """The year a return's dates show when it is not its folder's, and the rows that misfit."""

    #: The year the dates show, when it differs from the folder's; None when the folder is right.
    implied: int | None = None
    #: Why, in words (how many episodes fit each year).
    detail: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: True when ``implied`` rests only on no date falling in the folder's year (see the module
    #: docstring): the folder's year stands if another folder holds ``implied``.
    quiet: bool = False


def fit_year(eps: pl.DataFrame, year: int) -> YearFit:
    """Judge the folder year ``year`` of a return from its episodes (DECOM, DEC as dates)."""
    end, before_start = year_end(year), year_end(year - 1)
    eps = without_placeholder_ends(eps)

    def within(col: str) -> pl.Expr:
        return (pl.col(col) > before_start) & (pl.col(col) <= end)

    dated, after_end, ended_before, in_year = eps.select(
        pl.max_horizontal("DECOM", "DEC").is_not_null().sum().alias("dated"),
        ((pl.col("DECOM") > end) | (pl.col("DEC") > end)).sum().alias("after_end"),
        (pl.col("DEC") <= before_start).sum().alias("ended_before"),
        (within("DECOM") | within("DEC")).sum().alias("in_year"),
    ).row(0)
    quiet = in_year == 0 and after_end == 0 and 0 < ended_before < dated
    if 2 * after_end <= dated and ended_before < dated and not quiet:  # the common case
        return YearFit(problems=_late_starts(eps, year, dated - after_end, dated))
    years = eps.select(
        financial_year_expr(pl.max_horizontal("DECOM", "DEC")).alias("latest"),
        financial_year_expr("DEC").alias("ended"),
    ).filter(pl.col("latest").is_not_null())
    n = years.height
    if n == 0:
        return YearFit()
    latest: dict[int, int] = dict(years.get_column("latest").value_counts().iter_rows())
    ended: dict[int, int] = dict(years.get_column("ended").drop_nulls().value_counts().iter_rows())

    def after(y: int) -> int:
        return sum(c for fy, c in latest.items() if fy > y)

    def misfits(y: int) -> int:
        return after(y) + sum(c for fy, c in ended.items() if fy < y)

    implied: int | None = None
    if quiet:
        last = max(latest)
        return YearFit(
            last,
            f"no episode starts or ends in the {return_label(year)} return's year and "
            f"{ended_before} ended before it: its latest dates are in the {return_label(last)} "
            "year",
            quiet=True,
        )
    if 2 * after(year) > n:
        implied = min(y for y in latest if y > year and 2 * after(y) <= n)
    elif sum(c for fy, c in ended.items() if fy < year) == n:
        earlier = [y for y in latest if y < year]
        implied = min(earlier, key=lambda y: (misfits(y), year - y)) if earlier else None
    if implied is None:
        return YearFit(problems=_late_starts(eps, year, n - after(year), n))
    detail = (
        f"{n - misfits(implied)} of the {n} episodes fit the {return_label(implied)} return by "
        f"their dates ({n - misfits(year)} fit the {return_label(year)} return)"
    )
    return YearFit(implied, detail)


def without_placeholder_ends(eps: pl.DataFrame) -> pl.DataFrame:
    """``eps`` with each DEC after the year following its latest DECOM blank: no return holds
    such an end (a placeholder for an open episode), so it says nothing of the return's year."""
    reach = eps.select(financial_year_expr(pl.col("DECOM").max())).item()
    if reach is None:
        return eps
    bound = year_end(reach + 1)
    return eps.with_columns(pl.when(pl.col("DEC") <= bound).then(pl.col("DEC")).alias("DEC"))


def _late_starts(eps: pl.DataFrame, year: int, fit: int, n: int) -> list[Problem]:
    """Episodes starting after the return's year: outliers among dates that fit it."""
    end = year_end(year)
    late = eps.filter(pl.col("DECOM") > end).with_columns(day_text("DECOM").alias("v"))
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
