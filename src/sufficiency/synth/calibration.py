"""Headline figures of a synthetic council at a 31 March, computed from its returns.

Used to check the generator against the seed documents' magnitudes (tests, ``make demo`` notes).
Independent of the measures package on purpose: a second, simple count of the same things.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.codes import placement_type_expr


def _d(col: str) -> pl.Expr:
    return pl.col(col).str.to_date("%d/%m/%Y", strict=False)


def snapshot(
    tables: dict[str, pl.DataFrame], year: int, la_postcodes: set[str] | None = None
) -> dict[str, float]:
    """CLA at 31 March ``year`` and shares: UASC, aged 16-17, fostering, 3+ placements, residential inside."""
    at = dt.date(year, 3, 31)
    start = dt.date(year - 1, 4, 1)
    eps = tables["episodes"].with_columns(_d("DECOM").alias("decom"), _d("DEC").alias("dec"))
    header = tables["header"].with_columns(_d("DOB").alias("dob"))
    open_now = eps.filter(
        (pl.col("decom") <= at)
        & (pl.col("dec").is_null() | (pl.col("dec") > at))
        & ~pl.col("LS").is_in(["V3", "V4"])
    )
    cla = open_now.select("CHILD").unique()
    n = cla.height
    uasc = tables.get("uasc", pl.DataFrame({"CHILD": []}, schema={"CHILD": pl.Utf8}))
    n_uasc = cla.join(uasc.select("CHILD"), on="CHILD").height
    ages = cla.join(header.select("CHILD", "dob"), on="CHILD").with_columns(
        ((pl.lit(at).cast(pl.Date) - pl.col("dob")).dt.total_days() / 365.25).alias("age")
    )
    n_16 = ages.filter(pl.col("age") >= 16).height
    typed = open_now.with_columns(placement_type_expr().alias("ptype"))
    foster = typed.filter(pl.col("PLACE").str.starts_with("U")).height
    moves = (
        eps.filter(
            pl.col("CHILD").is_in(cla["CHILD"].implode())
            & (pl.col("decom") <= at)
            & (pl.col("dec").is_null() | (pl.col("dec") >= start))
            & pl.col("RNE").is_in(["S", "P", "B", "T", "U"])
            & ~pl.col("PLACE").is_in(["T0", "T1", "T2", "T3", "T4"])
        )
        .group_by("CHILD")
        .len()
    )
    # the placement open on 1 April counts even if it started earlier (it is one of the year's)
    first_open = eps.filter(
        pl.col("CHILD").is_in(cla["CHILD"].implode())
        & (pl.col("decom") < start)
        & (pl.col("dec").is_null() | (pl.col("dec") >= start))
    )
    carried = first_open.sort("decom").group_by("CHILD").agg(pl.col("RNE").last())
    moves = (
        pl.concat(
            [
                moves.select("CHILD", "len"),
                carried.select("CHILD", pl.lit(0, pl.UInt32).alias("len")),
            ]
        )
        .group_by("CHILD")
        .agg(pl.col("len").sum())
    )
    # count placements in the year: starts within the year, plus the one open at the start
    starts_in_year = (
        eps.filter(
            pl.col("CHILD").is_in(cla["CHILD"].implode())
            & (pl.col("decom") >= start)
            & (pl.col("decom") <= at)
            & pl.col("RNE").is_in(["S", "P", "B", "T", "U"])
        )
        .group_by("CHILD")
        .len()
        .rename({"len": "starts"})
    )
    open_at_start = first_open.select("CHILD").unique().with_columns(pl.lit(1).alias("carry"))
    counts = (
        cla.join(starts_in_year, on="CHILD", how="left")
        .join(open_at_start, on="CHILD", how="left")
        .with_columns(
            (pl.col("starts").fill_null(0) + pl.col("carry").fill_null(0)).alias("placements")
        )
    )
    three_plus = counts.filter(pl.col("placements") >= 3).height
    res = typed.filter(pl.col("PLACE").is_in(["K2", "R1"]))
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
