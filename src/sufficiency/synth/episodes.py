"""Episodes of care: a new episode wherever the legal status or the placement changes (and when
supported accommodation registered with Ofsted), with RNE, REC, category of need and reason for
the placement change."""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.synth.daynumbers import days
from sufficiency.synth.parameters import SA_REGISTRATION, SUPPORTED


def build_episodes(
    rng: np.random.Generator, legal: pl.DataFrame, plc: pl.DataFrame, period_frame: pl.DataFrame
) -> pl.DataFrame:
    """Every episode of every period (days since epoch), sorted by pid and DECOM."""
    reg = days(SA_REGISTRATION)
    reg_events = plc.filter(
        (pl.col("kind") == SUPPORTED) & (pl.col("start") < reg) & (pl.col("end") > reg)
    ).select("pid", pl.lit(reg, dtype=pl.Int64).alias("t"))
    bounds = (
        pl.concat(
            [
                legal.select(
                    "pid",
                    "t",
                    pl.lit(True).alias("ls_change"),
                    pl.lit(False).alias("pl_change"),
                    pl.lit(False).alias("reg_change"),
                ),
                plc.select(
                    "pid",
                    pl.col("start").alias("t"),
                    pl.lit(False).alias("ls_change"),
                    pl.lit(True).alias("pl_change"),
                    pl.lit(False).alias("reg_change"),
                ),
                reg_events.select(
                    "pid",
                    "t",
                    pl.lit(False).alias("ls_change"),
                    pl.lit(False).alias("pl_change"),
                    pl.lit(True).alias("reg_change"),
                ),
            ],
            how="vertical_relaxed",
        )
        .group_by("pid", "t")
        .agg(pl.col("ls_change").any(), pl.col("pl_change").any(), pl.col("reg_change").any())
        .join(period_frame.select("pid", "entry", "exit"), on="pid")
        .filter(pl.col("t") < pl.col("exit"))
        .sort("pid", "t")
        .join_asof(
            legal.select("pid", "t", "LS"),
            on="t",
            by="pid",
            strategy="backward",
            check_sortedness=False,
        )
        .join_asof(
            plc.select("pid", pl.col("start").alias("t"), "pkey"),
            on="t",
            by="pid",
            strategy="backward",
            check_sortedness=False,
        )
        .with_columns(
            pl.when(pl.col("t") == pl.col("entry"))
            .then(pl.lit("S"))
            .when(pl.col("ls_change") & pl.col("pl_change"))
            .then(pl.lit("B"))
            .when(pl.col("ls_change") & pl.col("reg_change"))
            .then(pl.lit("U"))
            .when(pl.col("ls_change"))
            .then(pl.lit("L"))
            .when(pl.col("pl_change"))
            .then(pl.lit("P"))
            .otherwise(pl.lit("T"))
            .alias("RNE"),
            pl.col("t").shift(-1).over("pid").alias("next_t"),
        )
        .with_columns(
            pl.col("next_t").is_null().alias("last"),
            pl.col("next_t").fill_null(pl.col("exit")).alias("DEC"),
        )
        .rename({"t": "DECOM"})
    )
    cin = _cin(rng, period_frame)
    episodes = (
        bounds.join(period_frame.select("pid", "cidx", "REC", "HOME_POST", "uasc"), on="pid")
        .join(cin, on="pid")
        .join(
            plc.select(
                "pkey", "PLACE", "PLACE_PROVIDER", "PL_POST", "URN", "kind", "loc", "holder"
            ),
            on="pkey",
        )
        .with_columns(
            pl.when(pl.col("last")).then(pl.col("REC")).otherwise(pl.lit("X1")).alias("REC"),
            pl.col("RNE").shift(-1).over("pid").alias("next_rne"),
        )
        .sort("pid", "DECOM")
    )
    rpc = np.array(
        ["CARPL", "CHILD", "CREQB", "CREQO", "LAREQ", "ALLEG", "STAND", "CLOSE", "OTHER"]
    )[rng.choice(9, episodes.height, p=[0.46, 0.08, 0.13, 0.1, 0.06, 0.02, 0.03, 0.02, 0.10])]
    next_reg = pl.col("reg_change").shift(-1).over("pid").fill_null(False)
    next_pl = pl.col("pl_change").shift(-1).over("pid").fill_null(False)
    episodes = episodes.with_columns(
        pl.when(next_reg & ~next_pl)
        .then(pl.lit("PLACE"))
        .when(pl.col("next_rne").is_in(["P", "B", "T", "U"]))
        .then(pl.Series("rpc", rpc))
        .otherwise(None)
        .alias("REASON_PLACE_CHANGE"),
        pl.when((pl.col("kind") == SUPPORTED) & (pl.col("DECOM") < reg))
        .then(None)
        .otherwise(pl.col("URN"))
        .alias("URN"),
    )
    return episodes


def _cin(rng: np.random.Generator, periods: pl.DataFrame) -> pl.DataFrame:
    """Category of need for each period (N8 absent parenting for UASC)."""
    codes = np.array(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"])
    c = codes[rng.choice(8, periods.height, p=[0.65, 0.03, 0.03, 0.08, 0.14, 0.02, 0.005, 0.045])]
    c = np.where(periods["uasc"].to_numpy(), "N8", c)
    return pl.DataFrame({"pid": periods["pid"], "CIN": c})
