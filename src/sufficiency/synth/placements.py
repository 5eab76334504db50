"""Placements within each period of care: when a child moves (a child-specific move hazard), what
kind of placement each is and where (inside, neighbouring, distant), and its PLACE code."""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.synth.daynumbers import YEAR
from sufficiency.synth.draws import choice_rows
from sufficiency.synth.legal import LegalStatuses
from sufficiency.synth.parameters import (
    ADOPTION,
    IFA,
    INHOUSE,
    KIND_P,
    KIND_P_UASC_OLD,
    KIND_P_UASC_YOUNG,
    KINSHIP,
    LOCATION_P,
    MBU,
    OTHERPUB,
    PARENTS,
    RES_EXT,
    RES_INHOUSE,
    RESSCHOOL,
    SECURE,
    SUPPORTED,
    age_band,
)
from sufficiency.synth.periods import CarePeriods


def draw_placements(
    rng: np.random.Generator,
    care: CarePeriods,
    legal_statuses: LegalStatuses,
    periods: pl.DataFrame,
) -> pl.DataFrame:
    """Every placement (pid, start, end, kind, loc, ...) of every period, in pid, start order;
    ``periods`` is ``care.frame``."""
    n_periods, pid, p_entry, p_exit = care.size, care.pid, care.entry, care.exit
    adopt, a_place, legal = (
        legal_statuses.adopt,
        legal_statuses.adoptive_start,
        legal_statuses.frame,
    )
    r = rng.random(n_periods)
    hazard = np.where(r < 0.78, 0.18, np.where(r < 0.94, 0.75, 2.6))
    move_end = np.where(adopt, a_place, p_exit)
    n_moves = rng.poisson(hazard * np.maximum(move_end - p_entry, 0) / YEAR)
    early = (rng.random(n_periods) < 0.15) & (move_end - p_entry > 60)
    mv_pid = np.repeat(pid, n_moves)
    mv_lo = p_entry[mv_pid] + 1
    mv_hi = np.maximum(move_end[mv_pid], mv_lo + 1)
    mv_t = mv_lo + (rng.random(len(mv_pid)) * (mv_hi - mv_lo)).astype(np.int64)
    early_pid = pid[early]
    early_t = np.minimum(
        p_entry[early_pid] + rng.integers(3, 90, len(early_pid)), move_end[early_pid] - 1
    )
    pl_pid = np.concatenate([pid, mv_pid, early_pid, pid[adopt]])
    pl_t = np.concatenate([p_entry, mv_t, early_t, a_place[adopt]])
    pl_adopt = np.concatenate(
        [np.zeros(n_periods + len(mv_pid) + len(early_pid), bool), np.ones(int(adopt.sum()), bool)]
    )
    plc = (
        pl.DataFrame({"pid": pl_pid, "start": pl_t, "is_adoption": pl_adopt})
        .sort("pid", "start", "is_adoption")
        .unique(subset=["pid", "start"], keep="last", maintain_order=True)
    )
    plc = (
        plc.join(periods.select("pid", "exit", "dob", "uasc", "entry"), on="pid")
        .filter(pl.col("start") < pl.col("exit"))
        .with_columns(
            pl.col("start").shift(-1).over("pid").fill_null(pl.col("exit")).alias("end"),
            (pl.col("start") == pl.col("entry")).alias("first"),
        )
        .join_asof(
            legal.rename({"t": "start"}),
            on="start",
            by="pid",
            strategy="backward",
            check_sortedness=False,
        )
        .sort("pid", "start")
    )
    age = (plc["start"].to_numpy() - plc["dob"].to_numpy()) / YEAR
    band = age_band(age)
    puasc = plc["uasc"].to_numpy()
    probs = KIND_P[band].copy()
    probs[~plc["first"].to_numpy(), MBU] = 0.0
    probs[
        np.asarray(plc["LS"].to_numpy() != "C2") & np.asarray(plc["LS"].to_numpy() != "C1"), PARENTS
    ] = 0.0
    probs[age < 16, SUPPORTED] = 0.0
    probs = np.where(
        puasc[:, None], np.where((age >= 16)[:, None], KIND_P_UASC_OLD, KIND_P_UASC_YOUNG), probs
    )
    kind = choice_rows(rng, probs)
    kind = np.where(plc["is_adoption"].to_numpy(), ADOPTION, kind)
    ppid = plc["pid"].to_numpy()
    same_prev = np.r_[False, ppid[1:] == ppid[:-1]]
    for _ in range(3):  # placed with parents twice running is one placement
        prev_kind = np.r_[-1, kind[:-1]]
        kind = np.where(same_prev & (kind == PARENTS) & (prev_kind == PARENTS), INHOUSE, kind)
    # special guardianship / arrangements orders to former foster carers end a foster placement
    rec_of = periods["REC"].to_numpy()[ppid]
    is_last = np.r_[ppid[1:] != ppid[:-1], True]
    to_foster = (
        is_last & np.isin(rec_of, ["E45", "E46", "E47"]) & ~np.isin(kind, [INHOUSE, KINSHIP, IFA])
    )
    kind = np.where(to_foster, np.where(rng.random(len(kind)) < 0.6, KINSHIP, INHOUSE), kind)
    loc = choice_rows(rng, LOCATION_P[kind])
    plc = plc.with_columns(
        pl.Series("kind", kind, dtype=pl.Int8),
        pl.Series("loc", loc, dtype=pl.Int8),
        pl.Series("age", age),
    )
    plc = plc.with_columns(
        pl.int_range(pl.len()).over("pid").alias("k"),
        pl.Series("pkey", np.arange(plc.height)),
    )
    return plc


def separate_home_postcodes(
    plc: pl.DataFrame, periods: pl.DataFrame, pool: np.ndarray
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Move a child's home postcode when a placement (other than with parents) drew the same one:
    the DfE rules (392d) allow HOME_POST = PL_POST only for P1. Deterministic: the next postcode
    in the pool that none of the period's placements uses."""
    clash = (
        plc.filter((pl.col("kind") != PARENTS) & (pl.col("PL_POST") == pl.col("HOME_POST")))
        .select("pid")
        .unique()
        .sort("pid")
    )
    if clash.height == 0:
        return plc, periods
    used = plc.join(clash, on="pid").group_by("pid").agg(pl.col("PL_POST"))
    position = {str(p): i for i, p in enumerate(pool)}
    moved: dict[int, str] = {}
    for pid, posts in used.sort("pid").iter_rows():
        home = plc.filter(pl.col("pid") == pid)["HOME_POST"][0]
        i = position.get(str(home), 0)
        taken = set(posts)
        for step in range(1, len(pool)):
            candidate = str(pool[(i + step) % len(pool)])
            if candidate not in taken:
                moved[int(pid)] = candidate
                break
    new_home = pl.DataFrame(
        {"pid": list(moved), "new_home": list(moved.values())},
        schema={"pid": periods["pid"].dtype, "new_home": pl.Utf8},
    )

    def apply(frame: pl.DataFrame, parents_too: bool) -> pl.DataFrame:
        out = frame.join(new_home, on="pid", how="left")
        cols = [pl.coalesce("new_home", "HOME_POST").alias("HOME_POST")]
        if parents_too:
            cols.append(
                pl.when(pl.col("new_home").is_not_null() & (pl.col("kind") == PARENTS))
                .then(pl.col("new_home"))
                .otherwise(pl.col("PL_POST"))
                .alias("PL_POST")
            )
        return out.with_columns(cols).drop("new_home")

    return apply(plc, True), apply(periods, False)


def place_code() -> pl.Expr:
    """PLACE code from the placement kind (long-term fostering U1/U4 for placements over 18 months)."""
    long = (pl.col("end") - pl.col("start")) > 540
    k = pl.col("kind")
    return (
        pl.when(k.is_in([INHOUSE, IFA, OTHERPUB]))
        .then(pl.when(long).then(pl.lit("U4")).otherwise(pl.lit("U6")))
        .when(k == KINSHIP)
        .then(pl.when(long).then(pl.lit("U1")).otherwise(pl.lit("U3")))
        .when(k.is_in([RES_INHOUSE, RES_EXT]))
        .then(pl.lit("K2"))
        .when(k == SUPPORTED)
        .then(pl.lit("H5"))
        .when(k == PARENTS)
        .then(pl.lit("P1"))
        .when(k == MBU)
        .then(pl.lit("R3"))
        .when(k == RESSCHOOL)
        .then(pl.lit("S1"))
        .when(k == SECURE)
        .then(pl.lit("K1"))
        .otherwise(pl.lit("A6"))
    )
