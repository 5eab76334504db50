"""Events behind the other SSDA903 tables, drawn once per council so consecutive returns agree.

``simulate_extras`` draws the events that outlive a single return: adoption decisions and
matches, reviews, missing episodes. ``extra_tables`` cuts them into one return's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sufficiency.dates import financial_year_expr
from sufficiency.synth.daynumbers import YEAR, add_years_expr, as_date
from sufficiency.synth.draws import pick
from sufficiency.synth.parameters import ADOPT, CAO, HOME, SGO
from sufficiency.synth.simulate import Simulation


@dataclass(frozen=True)
class Extras:
    """Events drawn once for the whole simulation (days since epoch)."""

    #: cidx, date_placed, ceased (null while in force), reason (RD1-RD4 when ceased)
    decisions: pl.DataFrame
    #: cidx, exit, date_match, foster_care, nb_adoptr, sex_adoptr, ls_adoptr
    adoptions: pl.DataFrame
    #: cidx, review, code
    reviews: pl.DataFrame
    #: cidx, start, end, kind (M missing, A away without authorisation)
    missing: pl.DataFrame


def simulate_extras(sim: Simulation, seed: int) -> Extras:
    """Adoption decisions and matches, reviews and missing episodes of every period of care."""
    rng = np.random.default_rng([seed, 903])
    periods = sim.periods.sort("pid")
    eps = sim.episodes.filter(pl.col("pid") >= 0)
    pid = periods["pid"].to_numpy()
    entry = periods["entry"].to_numpy()
    exit_ = periods["exit"].to_numpy()
    route = periods["route"].to_numpy()
    dob = periods["dob"].to_numpy()
    cidx = periods["cidx"].to_numpy()
    n = len(pid)

    # --- decisions that a child should be placed for adoption (the agency decision maker's),
    # before the placement order (first E1 episode) and the adoptive placement
    anchors = (
        eps.filter((pl.col("LS") == "E1") | (pl.col("kind") == 10))
        .group_by("pid")
        .agg(pl.col("DECOM").min().alias("anchor"))
    )
    first_adoptive = (
        eps.filter(pl.col("kind") == 10).group_by("pid").agg(pl.col("DECOM").min().alias("a_place"))
    )
    lead = rng.integers(14, 120, n)
    match_lead = rng.integers(7, 60, n)
    adopt = (
        periods.select("pid", "cidx", "entry", "exit", "REC", "route")
        .with_columns(pl.Series("lead", lead), pl.Series("match_lead", match_lead))
        .filter(pl.col("route") == ADOPT)
        .join(anchors, on="pid", how="left")
        .join(first_adoptive, on="pid", how="left")
        .filter(pl.col("anchor").is_not_null())
        .with_columns(
            pl.max_horizontal(pl.col("entry"), pl.col("anchor") - pl.col("lead")).alias(
                "date_placed"
            )
        )
    )
    # a few decisions are reversed: young children who went home or to a special guardian
    n_rev_draw = rng.random(n)
    rev_frac = rng.uniform(0.15, 0.5, n)
    rev_len = rng.uniform(0.2, 0.9, n)
    rev_reason = pick(rng, ("RD1", "RD2", "RD3", "RD4"), [0.3, 0.2, 0.15, 0.35], n)
    single_period = np.bincount(cidx, minlength=int(cidx.max()) + 1 if n else 0)[cidx] == 1
    dur = exit_ - entry
    reversed_ = (
        np.isin(route, [SGO, HOME, CAO])
        & ((entry - dob) < 4 * YEAR)
        & (dur > 300)
        & single_period
        & (n_rev_draw < 0.07)
    )
    r_placed = entry + (dur * rev_frac).astype(np.int64)
    r_ceased = r_placed + np.maximum(((exit_ - 1 - r_placed) * rev_len).astype(np.int64), 1)
    rev = pl.DataFrame(
        {
            "cidx": cidx[reversed_],
            "date_placed": r_placed[reversed_],
            "ceased": r_ceased[reversed_],
            "reason": rev_reason[reversed_].astype(str),
        },
        schema={"cidx": pl.Int64, "date_placed": pl.Int64, "ceased": pl.Int64, "reason": pl.Utf8},
    )
    decisions = pl.concat(
        [
            adopt.select(
                pl.col("cidx").cast(pl.Int64),
                pl.col("date_placed").cast(pl.Int64),
                pl.lit(None, pl.Int64).alias("ceased"),
                pl.lit(None, pl.Utf8).alias("reason"),
            ),
            rev,
        ]
    ).sort("cidx", "date_placed")

    # --- adoptions: the match precedes the adoptive placement, which precedes the order
    adopted = adopt.filter(pl.col("REC").is_in(["E11", "E12"]) & pl.col("a_place").is_not_null())
    k = adopted.height
    couple = rng.random(k) < 0.86
    same_sex = rng.random(k) < 0.1
    married = rng.random(k) < 0.8
    single_sex = np.where(rng.random(k) < 0.9, "F1", "M1")
    couple_sex = np.where(same_sex, np.where(rng.random(k) < 0.6, "FF", "MM"), "MF")
    sex = np.where(couple, couple_sex, single_sex)
    ls = np.where(
        couple,
        np.where(same_sex, np.where(married, "L12", "L4"), np.where(married, "L11", "L3")),
        "L0",
    )
    adoptions = adopted.select(
        pl.col("cidx").cast(pl.Int64),
        pl.col("exit").cast(pl.Int64),
        pl.col("date_placed").alias("date_int"),
        pl.max_horizontal(pl.col("date_placed"), pl.col("a_place") - pl.col("match_lead"))
        .clip(upper_bound=pl.col("a_place"))
        .alias("date_match"),
        pl.lit("0").alias("foster_care"),  # A6: not adopted by the current foster carer
        pl.Series("nb_adoptr", np.where(couple, "2", "1")),
        pl.Series("sex_adoptr", sex),
        pl.Series("ls_adoptr", ls),
    )

    # --- reviews: 20 working days after entry, three months later, then every six months
    n_rev = np.where(dur > 28, 1, 0) + np.where(dur > 119, 1 + (dur - 120) // 182, 0)
    r_pid = np.repeat(np.arange(n), n_rev)
    first_of = np.repeat(np.cumsum(n_rev) - n_rev, n_rev)
    kk = np.arange(len(r_pid)) - first_of
    offset = np.where(kk == 0, 28, 119 + 182 * np.maximum(kk - 1, 0))
    jitter = rng.integers(-6, 7, len(r_pid))
    when = np.clip(entry[r_pid] + offset + jitter, entry[r_pid] + 1, exit_[r_pid] - 1)
    review_code = pick(
        rng,
        ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"),
        [0.36, 0.22, 0.14, 0.1, 0.05, 0.09, 0.04],
        len(r_pid),
    )
    reviews = (
        pl.DataFrame(
            {
                "cidx": cidx[r_pid].astype(np.int64),
                "review": when.astype(np.int64),
                "dob": dob[r_pid].astype(np.int64),
                "code": review_code.astype(str),
            }
        )
        .with_columns(
            pl.when(pl.col("review") < add_years_expr(pl.col("dob"), 4))
            .then(pl.lit("PN0"))
            .otherwise(pl.col("code"))
            .alias("code")
        )
        .unique(["cidx", "review"], keep="first", maintain_order=True)
        .select("cidx", "review", "code")
    )

    # --- missing and away without authorisation: mostly teenagers, a few go missing often
    age_in = (entry - dob) / YEAR
    prone = (age_in >= 11) & (rng.random(n) < 0.3)
    rate = np.where(prone, 4.0, np.where(age_in >= 8, 0.15, 0.01))
    span = np.maximum(exit_ - entry - 3, 0)
    n_mis = rng.poisson(rate * span / YEAR)
    m_pid = np.repeat(np.arange(n), n_mis)
    m_start = entry[m_pid] + 1 + (rng.random(len(m_pid)) * span[m_pid]).astype(np.int64)
    m_len = np.where(rng.random(len(m_pid)) < 0.4, 0, rng.geometric(0.45, len(m_pid)))
    m_end = np.minimum(m_start + m_len, exit_[m_pid] - 1)
    missing = (
        pl.DataFrame(
            {
                "cidx": cidx[m_pid].astype(np.int64),
                "start": m_start.astype(np.int64),
                "end": m_end.astype(np.int64),
                "kind": np.where(rng.random(len(m_pid)) < 0.72, "M", "A"),
            }
        )
        .filter(
            (pl.col("end") >= pl.col("start"))
            & (financial_year_expr(as_date("start")) == financial_year_expr(as_date("end")))
        )
        .sort("cidx", "start", "end")
        .filter((pl.col("start") > pl.col("end").cum_max().shift(1).over("cidx")).fill_null(True))
    )
    return Extras(decisions=decisions, adoptions=adoptions, reviews=reviews, missing=missing)
