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

from sufficiency.dates import age_expr, financial_year
from sufficiency.ingest.tables import EPISODES, HEADER, TABLES, UASC
from sufficiency.synth.care_leavers import care_leavers, oc3_answers
from sufficiency.synth.daynumbers import add_years_expr, as_date, dmy, return_year
from sufficiency.synth.dolo import dolo_table
from sufficiency.synth.extra_tables import extra_tables
from sufficiency.synth.extras import Extras
from sufficiency.synth.parameters import SA_K3_FROM
from sufficiency.synth.simulate import Simulation

#: First collection year whose supported accommodation code is K3 (H5 is no longer valid).
K3_FROM_YEAR = financial_year(SA_K3_FROM)
#: First collection year (year the return ends) whose SEX codes are M / F rather than 1 / 2.
SEX_LETTERS_FROM = 2025


def sex_expr(year: int) -> pl.Expr:
    """SEX as the collection year codes it."""
    if year >= SEX_LETTERS_FROM:
        return pl.when(pl.col("male")).then(pl.lit("M")).otherwise(pl.lit("F"))
    return pl.when(pl.col("male")).then(pl.lit("1")).otherwise(pl.lit("2"))


def episodes_for(sim: Simulation, year: int) -> pl.DataFrame:
    """The episodes table of the return ending 31 March ``year`` (with helper columns)."""
    start, end = return_year(year)
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


def _unseen_by_rule_1001(sim: Simulation, year: int, eps: pl.DataFrame) -> pl.DataFrame:
    """(cidx, DECOM) of episodes DfE rule 1001 loses when it checks a care leaver's time in care.

    The validator concatenates this return's episodes with the previous one's and then drops the
    short-break (V3/V4) rows by their row number, which both files share: every episode at the
    same row number as a short-break episode in either file is dropped too. A care leaver is only
    listed if the episodes the rule still sees prove them relevant.
    """
    frames = [episodes_for(sim, year - 1), eps]
    ordered = [
        f.sort("CHILD", "DECOM").select("cidx", "DECOM", "LS").with_row_index("row") for f in frames
    ]
    short_rows = pl.concat(
        [o.filter(pl.col("LS").is_in(["V3", "V4"])).select("row") for o in ordered]
    ).unique()
    return (
        pl.concat([o.join(short_rows, on="row").select("cidx", "DECOM") for o in ordered])
        .unique()
        .with_columns(pl.col("cidx").cast(pl.Int64), pl.col("DECOM").cast(pl.Int64))
    )


def build_return(
    sim: Simulation, year: int, extras: Extras | None = None, seed: int = 0
) -> dict[str, pl.DataFrame]:
    """All tables of one return, as string frames in DfE column order.

    Without ``extras`` only header, episodes and uasc are built; with them also reviews,
    missing, oc2, oc3, ad1 and placed_for_adoption.
    """
    start, end = return_year(year)
    eps = episodes_for(sim, year)
    in_year = eps.select("cidx").unique()
    leavers = care_leavers(sim, year, _unseen_by_rule_1001(sim, year, eps)) if extras else None
    if leavers is not None:
        # a young mother recorded last year cannot be listed without episodes: rules 612, 624
        # and 628 then disagree on her MOTHER / MC_DOB
        mothers = sim.children.filter((pl.col("MC_DOB") >= 0) & (pl.col("MC_DOB") < start))
        leavers = leavers.join(
            mothers.select("cidx").join(in_year, on="cidx", how="anti"), on="cidx", how="anti"
        )
    listed = in_year if leavers is None else pl.concat([in_year, leavers.select("cidx")]).unique()
    kids = (
        sim.children.join(listed, on="cidx")
        .join(in_year.with_columns(pl.lit(True).alias("has_eps")), on="cidx", how="left")
        .with_columns(pl.col("has_eps").fill_null(False))
        .sort("CHILD")
        .with_columns(as_date("DOB").alias("dob_date"))
    )
    # UPN unknown (UN1) while the child is under 4 on 31 August before the year (DfE rule 209)
    school_age = age_expr(dt.date(year - 2, 8, 31), "dob_date") >= 4
    upn = pl.when(school_age).then(pl.col("UPN_known")).otherwise(pl.lit("UN1"))
    # children on short breaks only have no mother status (rule 399)
    short_only = (
        eps.group_by("cidx")
        .agg(pl.col("LS").is_in(["V3", "V4"]).all().alias("short_only"))
        .filter("short_only")
    )
    kids = kids.with_columns(
        upn.alias("UPN"),
        pl.col("cidx").is_in(short_only["cidx"].implode()).alias("short_only"),
    )
    header = kids.select(
        "CHILD",
        sex_expr(year).alias("SEX"),
        dmy("DOB").alias("DOB"),
        "ETHNIC",
        "UPN",
        pl.when(pl.col("male") | ~pl.col("has_eps") | pl.col("short_only"))
        .then(None)
        .when((pl.col("MC_DOB") >= 0) & (pl.col("MC_DOB") <= end))
        .then(pl.lit("1"))
        .otherwise(pl.lit("0"))
        .alias("MOTHER"),
        pl.when(
            ~pl.col("male")
            & pl.col("has_eps")
            & ~pl.col("short_only")
            & (pl.col("MC_DOB") >= 0)
            & (pl.col("MC_DOB") <= end)
        )
        .then(dmy("MC_DOB"))
        .otherwise(None)
        .alias("MC_DOB"),
    )
    short_break = pl.col("LS").is_in(["V3", "V4"])
    # A UASC child has no home postcode, nor does a former UASC child in a later period of
    # care (DfE rule 406: no distance for a child who is or was UASC; the UASC table lists them)
    was_uasc = pl.col("cidx").is_in(sim.children.filter("uasc").get_column("cidx").implode())
    eps = eps.with_columns(
        pl.when(short_break | pl.col("uasc") | was_uasc)
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
        [dmy(c).alias(c) if c in EPISODES.dates else pl.col(c) for c in EPISODES.columns]
    )
    uasc_kids = kids.filter(pl.col("uasc") & pl.col("has_eps"))
    uasc = uasc_kids.select(
        "CHILD",
        sex_expr(year).alias("SEX"),
        dmy("DOB").alias("DOB"),
        dmy(add_years_expr(pl.col("DOB"), 18)).alias("DUC"),
    )
    tables = {"header": header.select(HEADER.columns), "episodes": episodes, "uasc": uasc}
    if extras is not None and leavers is not None:
        cidx_of = kids.filter(pl.col("has_eps")).select("CHILD", "cidx")
        tables.update(extra_tables(sim, extras, year, header, episodes, cidx_of, seed))
        tables["dolo"] = dolo_table(header, episodes, seed, year)
        oc3 = (
            leavers.join(kids.select("cidx", "CHILD"), on="cidx")
            .join(header.select("CHILD", "DOB"), on="CHILD")
            .sort("CHILD")
        )
        rng = np.random.default_rng([seed, 903, year, 3])
        answers = oc3_answers(rng, oc3["age"].to_numpy())
        tables["oc3"] = oc3.select("CHILD", "DOB").with_columns(
            *(pl.Series(k, v, dtype=pl.Utf8) for k, v in answers.items())
        )
    tables["uasc"] = tables["uasc"].select(UASC.columns)
    for name, frame in tables.items():
        tables[name] = frame.select(TABLES[name].columns)
    return {k: v.cast(pl.Utf8) for k, v in tables.items()}
