"""Cut the simulated ground truth into SSDA903 returns, one per collection year.

A return holds every episode open at some time in its year (1 April to 31 March), with the DfE
columns and codes of that year: dd/mm/yyyy dates, SEX 1/2 before the 2024-25 return and M/F from
it, DEC/REC/REASON_PLACE_CHANGE blank while an episode is still open at 31 March, REC X1 when an
episode ends and the child stays looked after.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sufficiency.synth.simulate import YEAR, Simulation, days

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)
UASC_COLUMNS = ("CHILD", "SEX", "DOB", "DUC")

#: First collection year whose supported accommodation code is K3 (H5 is no longer valid).
K3_FROM_YEAR = 2026
#: First collection year (year the return ends) whose SEX codes are M / F rather than 1 / 2.
SEX_LETTERS_FROM = 2025


def _fmt(col: str) -> pl.Expr:
    """Days-since-epoch column -> dd/mm/yyyy string (null stays null)."""
    return pl.col(col).cast(pl.Int32).cast(pl.Date).dt.strftime("%d/%m/%Y")


def year_bounds(year: int) -> tuple[int, int]:
    """First and last day (days since epoch) of the collection year ending 31 March ``year``."""
    return days(dt.date(year - 1, 4, 1)), days(dt.date(year, 3, 31))


def sex_expr(year: int) -> pl.Expr:
    """SEX as the collection year codes it."""
    if year >= SEX_LETTERS_FROM:
        return pl.when(pl.col("male")).then(pl.lit("M")).otherwise(pl.lit("F"))
    return pl.when(pl.col("male")).then(pl.lit("1")).otherwise(pl.lit("2"))


def episodes_for(sim: Simulation, year: int) -> pl.DataFrame:
    """The episodes table of the return ending 31 March ``year`` (with helper columns)."""
    start, end = year_bounds(year)
    eps = sim.episodes.filter((pl.col("DECOM") <= end) & (pl.col("DEC") >= start))
    open_at_end = pl.col("DEC") > end
    return eps.with_columns(
        pl.when(open_at_end).then(None).otherwise(pl.col("DEC")).alias("DEC"),
        pl.when(open_at_end).then(None).otherwise(pl.col("REC")).alias("REC"),
        pl.when(open_at_end)
        .then(None)
        .otherwise(pl.col("REASON_PLACE_CHANGE"))
        .alias("REASON_PLACE_CHANGE"),
    ).join(sim.children.select("cidx", "CHILD"), on="cidx")


def build_return(sim: Simulation, year: int) -> dict[str, pl.DataFrame]:
    """All tables of one return, as string frames in DfE column order."""
    _, end = year_bounds(year)
    eps = episodes_for(sim, year)
    in_year = eps.select("cidx").unique()
    kids = sim.children.join(in_year, on="cidx").sort("CHILD")
    # UPN unknown (UN1) while the child is under school age on 31 August before the year
    ref = days(dt.date(year - 2, 8, 31))
    dob = kids["DOB"].to_numpy()
    school_age_from = dob + int(4 * YEAR) + 2
    upn = np.where(ref >= school_age_from, kids["UPN_known"].to_numpy(), "UN1")
    kids = kids.with_columns(pl.Series("UPN", upn))
    header = kids.select(
        "CHILD",
        sex_expr(year).alias("SEX"),
        _fmt("DOB").alias("DOB"),
        "ETHNIC",
        "UPN",
        pl.when(pl.col("male"))
        .then(None)
        .when((pl.col("MC_DOB") >= 0) & (pl.col("MC_DOB") <= end))
        .then(pl.lit("1"))
        .otherwise(pl.lit("0"))
        .alias("MOTHER"),
        pl.when(~pl.col("male") & (pl.col("MC_DOB") >= 0) & (pl.col("MC_DOB") <= end))
        .then(_fmt("MC_DOB"))
        .otherwise(None)
        .alias("MC_DOB"),
    )
    short_break = pl.col("LS").is_in(["V3", "V4"])
    eps = eps.with_columns(
        pl.when(short_break | pl.col("uasc"))
        .then(None)
        .otherwise(pl.col("HOME_POST"))
        .alias("HOME_POST"),
        pl.when(short_break).then(None).otherwise(pl.col("PL_POST")).alias("PL_POST"),
        pl.when(short_break).then(None).otherwise(pl.col("URN")).alias("URN"),
        pl.when((pl.col("PLACE") == "H5") & pl.lit(year >= K3_FROM_YEAR))
        .then(pl.lit("K3"))
        .otherwise(pl.col("PLACE"))
        .alias("PLACE"),
    )
    episodes = eps.sort("CHILD", "DECOM").select(
        "CHILD",
        _fmt("DECOM").alias("DECOM"),
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        _fmt("DEC").alias("DEC"),
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    )
    uasc_kids = kids.filter(pl.col("uasc"))
    uasc = uasc_kids.select(
        "CHILD",
        sex_expr(year).alias("SEX"),
        _fmt("DOB").alias("DOB"),
        pl.col("DOB")
        .cast(pl.Int32)
        .cast(pl.Date)
        .dt.offset_by("18y")
        .dt.strftime("%d/%m/%Y")
        .alias("DUC"),
    )
    tables = {"header": header, "episodes": episodes, "uasc": uasc}
    return {k: v.cast(pl.Utf8) for k, v in tables.items()}
