"""Headline figures of a synthetic council at a 31 March, computed from its returns.

Used to check the generator against the seed documents' magnitudes (tests, ``make demo`` notes).
Independent of the measures package on purpose: a second, simple count of the same things, with
the shared date rules (``sufficiency.dates``) and code groups (``sufficiency.codes``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.codes import (
    CHILDRENS_HOME_PLACE,
    FOSTERING_PLACE,
    PLACEMENT_START_RNE,
    SHORT_BREAK_LS,
    TEMPORARY_PLACE,
)
from sufficiency.dates import age_expr, open_on, year_end


def _d(col: str) -> pl.Expr:
    """A dd/mm/yyyy column of a return as a date (blank -> null)."""
    return pl.col(col).str.to_date("%d/%m/%Y", strict=False)


def snapshot(
    tables: dict[str, pl.DataFrame], year: int, la_postcodes: set[str] | None = None
) -> dict[str, float]:
    """CLA at 31 March ``year`` and shares: UASC, aged 16-17, fostering, 3+ placements, residential inside."""
    at = year_end(year)
    start = year_end(year - 1) + dt.timedelta(days=1)
    eps = tables["episodes"].with_columns(_d("DECOM").alias("decom"), _d("DEC").alias("dec"))
    header = tables["header"].with_columns(_d("DOB").alias("dob"))
    short_break = pl.col("LS").is_in(SHORT_BREAK_LS)
    open_now = eps.filter(open_on(at, "decom", "dec") & ~short_break)
    cla = open_now.select("CHILD").unique()
    n = cla.height
    uasc = tables.get("uasc", pl.DataFrame({"CHILD": []}, schema={"CHILD": pl.Utf8}))
    n_uasc = cla.join(uasc.select("CHILD"), on="CHILD").height
    ages = cla.join(header.select("CHILD", "dob"), on="CHILD").with_columns(
        age_expr(at, "dob").alias("age")
    )
    n_16 = ages.filter(pl.col("age") >= 16).height
    foster = open_now.filter(pl.col("PLACE").is_in(FOSTERING_PLACE)).height
    # placements in the year: the one open on 1 April and each placement starting in the year
    counted = eps.filter(
        pl.col("CHILD").is_in(cla["CHILD"].implode())
        & ~pl.col("PLACE").is_in(TEMPORARY_PLACE)
        & ~short_break
        & (
            open_on(start, "decom", "dec")
            | (pl.col("decom").is_between(start, at) & pl.col("RNE").is_in(PLACEMENT_START_RNE))
        )
    )
    three_plus = counted.group_by("CHILD").len().filter(pl.col("len") >= 3).height
    res = open_now.filter(pl.col("PLACE").is_in(CHILDRENS_HOME_PLACE))
    res_inside = (
        res.filter(pl.col("PL_POST").is_in(list(la_postcodes or set()))).height
        if la_postcodes
        else 0
    )
    return {
        "cla": float(n),
        "uasc_pct": 100.0 * n_uasc / n if n else 0.0,
        "age_16_17_pct": 100.0 * n_16 / n if n else 0.0,
        "fostering_pct": 100.0 * foster / n if n else 0.0,
        "three_plus_pct": 100.0 * three_plus / n if n else 0.0,
        "residential": float(res.height),
        "residential_inside_pct": 100.0 * res_inside / res.height if res.height else 0.0,
    }
