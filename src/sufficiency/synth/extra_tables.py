"""The other SSDA903 tables of one return: reviews, missing, OC2, AD1, placed for adoption.

``extra_tables`` cuts the events of ``extras`` into one return's tables, in the codes the DfE rules
of every shipped year accept (csc-validator-be-903, lac2022_23 to lac2026_27). Per-year answers
(OC2 health items) are drawn per return from their own random stream.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.codes import SHORT_BREAK_LS
from sufficiency.synth.daynumbers import date_of, dmy, return_year
from sufficiency.synth.draws import pick
from sufficiency.synth.extras import Extras
from sufficiency.synth.simulate import Simulation


def continuously_looked_after(episodes: pl.DataFrame, year: int) -> pl.DataFrame:
    """CHILD of the return's episodes looked after continuously through the year, as the DfE
    rules judge it: no start (RNE S) after 1 April, no leaving (REC other than X1) before 31 March,
    no short-break episode in the year."""
    start, end = (date_of(d) for d in return_year(year))
    e = episodes.with_columns(
        pl.col("DECOM").str.to_date("%d/%m/%Y").alias("_decom"),
        pl.col("DEC").str.to_date("%d/%m/%Y").alias("_dec"),
    )
    during = (pl.col("_decom") <= end) & (pl.col("_dec").is_null() | (pl.col("_dec") >= start))
    enters = (pl.col("RNE") == "S") & (pl.col("_decom") > start) & (pl.col("_decom") <= end)
    leaves = (
        (pl.col("REC").fill_null("") != "X1") & (pl.col("_dec") >= start) & (pl.col("_dec") < end)
    ).fill_null(False)
    short = pl.col("LS").is_in(SHORT_BREAK_LS) & during
    return (
        e.group_by("CHILD")
        .agg(during.any().alias("in"), (enters | leaves | short).any().alias("broken"))
        .filter(pl.col("in") & ~pl.col("broken"))
        .select("CHILD")
    )


def extra_tables(
    sim: Simulation,
    extras: Extras,
    year: int,
    header: pl.DataFrame,
    episodes: pl.DataFrame,
    cidx_of: pl.DataFrame,
    seed: int,
) -> dict[str, pl.DataFrame]:
    """reviews, missing, oc2, placed_for_adoption, ad1 of one return (string frames, DfE columns).

    ``header`` / ``episodes`` are the return's own (dd/mm/yyyy strings); ``cidx_of`` maps CHILD
    to cidx for the children with episodes in the return.
    """
    rng = np.random.default_rng([seed, 903, year])
    start, end = return_year(year)
    dob = header.select("CHILD", "DOB")
    in_return = cidx_of.join(dob, on="CHILD")
    # children whose every episode this year is a short break have no reviews (rule 399)
    not_short = episodes.filter(~pl.col("LS").is_in(SHORT_BREAK_LS)).select("CHILD").unique()
    reviews = (
        extras.reviews.filter(pl.col("review").is_between(start, end))
        .join(in_return.join(not_short, on="CHILD"), on="cidx")
        .sort("CHILD", "review")
        .select("CHILD", "DOB", dmy("review").alias("REVIEW"), pl.col("code").alias("REVIEW_CODE"))
    )
    missing = (
        extras.missing.filter(pl.col("start").is_between(start, end))
        .join(in_return, on="cidx")
        .sort("CHILD", "start")
        .select(
            "CHILD",
            "DOB",
            pl.col("kind").alias("MISSING"),
            dmy("start").alias("MIS_START"),
            dmy("end").alias("MIS_END"),
        )
    )
    decisions = (
        extras.decisions.filter(
            (pl.col("date_placed") <= end)
            & (pl.col("ceased").is_null() | (pl.col("ceased") >= start))
        )
        .join(in_return, on="cidx")
        .with_columns(
            pl.when(pl.col("ceased") <= end).then(pl.col("ceased")).otherwise(None).alias("ceased")
        )
        .sort("CHILD", "date_placed")
    )
    placed = decisions.select(
        "CHILD",
        "DOB",
        dmy("date_placed").alias("DATE_PLACED"),
        dmy("ceased").alias("DATE_PLACED_CEASED"),
        pl.when(pl.col("ceased").is_not_null())
        .then(pl.col("reason"))
        .alias("REASON_PLACED_CEASED"),
    )
    continuous = continuously_looked_after(episodes, year)
    ad1 = (
        extras.adoptions.filter(pl.col("exit").is_between(start, end))
        .join(in_return, on="cidx")
        .join(continuous, on="CHILD", how="anti")
        .sort("CHILD")
        .select(
            "CHILD",
            "DOB",
            dmy("date_int").alias("DATE_INT"),
            dmy("date_match").alias("DATE_MATCH"),
            pl.col("foster_care").alias("FOSTER_CARE"),
            pl.col("nb_adoptr").alias("NB_ADOPTR"),
            pl.col("sex_adoptr").alias("SEX_ADOPTR"),
            pl.col("ls_adoptr").alias("LS_ADOPTR"),
        )
    )
    oc2 = _oc2(rng, continuous.join(dob, on="CHILD").sort("CHILD"), year)
    return {
        "reviews": reviews,
        "missing": missing,
        "oc2": oc2,
        "placed_for_adoption": placed,
        "ad1": ad1,
    }


def _oc2(rng: np.random.Generator, kids: pl.DataFrame, year: int) -> pl.DataFrame:
    """OC2 for children looked after continuously for 12 months at 31 March (DfE rules' ages)."""
    start, end = (date_of(d) for d in return_year(year))
    n = kids.height
    d = kids.with_columns(pl.col("DOB").str.to_date("%d/%m/%Y").alias("_dob"))
    at = {k: d["_dob"].dt.offset_by(f"{k}y").to_numpy() for k in (4, 5, 10, 16, 17)}
    e, s = np.datetime64(end), np.datetime64(start)
    sdq_due = (at[4] <= e) & (at[17] >= s)
    sdq_one_ok = ~((at[4] <= s) & (at[16] >= e))  # SDQ1: aged under 4 or over 17 when assessed
    has_score = rng.random(n) < 0.78
    score = np.clip(np.round(rng.normal(13.5, 7.0, n)), 0, 40).astype(int).astype(str)
    reason = pick(rng, ("SDQ2", "SDQ3", "SDQ4", "SDQ5"), [0.15, 0.15, 0.45, 0.25], n)
    reason = np.where(sdq_one_ok & (rng.random(n) < 0.5), "SDQ1", reason)
    ten_plus = e > at[10]
    under_5 = e < at[5]
    misuse = np.where(ten_plus & (rng.random(n) < 0.07), "1", "0")
    received = np.where(rng.random(n) < 0.6, "1", "0")
    offered = np.where(rng.random(n) < 0.5, "1", "0")

    def flag(p: float) -> np.ndarray:
        return np.where(rng.random(n) < p, "1", "0")

    every = np.ones(n, dtype=bool)
    return pl.DataFrame(
        [
            kids["CHILD"],
            kids["DOB"],
            _opt("SDQ_SCORE", score, sdq_due & has_score),
            _opt("SDQ_REASON", reason, sdq_due & ~has_score),
            _opt("CONVICTED", flag(0.03), ten_plus),
            _opt("HEALTH_CHECK", flag(0.88), under_5),
            _opt("IMMUNISATIONS", flag(0.86), every),
            _opt("TEETH_CHECK", flag(0.82), every),
            _opt("HEALTH_ASSESSMENT", flag(0.89), every),
            _opt("SUBSTANCE_MISUSE", misuse, every),
            # an intervention is recorded only for a misuse problem; "offered" only if not received
            _opt("INTERVENTION_RECEIVED", received, misuse == "1"),
            _opt("INTERVENTION_OFFERED", offered, (misuse == "1") & (received == "0")),
        ]
    )


def _opt(name: str, values: np.ndarray, present: np.ndarray) -> pl.Series:
    """String column ``values`` with nulls where ``present`` is False."""
    out = pl.Series(name, np.asarray(values).astype(str), dtype=pl.Utf8)
    blank = np.flatnonzero(~present)
    return out.scatter(blank, None) if len(blank) else out
