"""The OC3 cohort of a return (care leavers aged 17 to 19) and their answers.

The cohort is the care leavers the return's own rules can verify from this return and the previous
one (DfE rules 1001/1002 look back one year only): relevant children aged 17 to 19 at 31 March who
left care no earlier than the start of the previous return.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.dates import age_expr, year_end
from sufficiency.synth.daynumbers import add_years_expr, as_date, return_year
from sufficiency.synth.draws import pick
from sufficiency.synth.simulate import Simulation


def care_leavers(sim: Simulation, year: int, unseen: pl.DataFrame | None = None) -> pl.DataFrame:
    """cidx of the OC3 cohort of the return ending 31 March ``year``, with ``age`` at 31 March.

    Relevant children (at least 91 days looked after since their 14th birthday, some of it after
    their 16th, counted over the episodes of this return and the previous one as the DfE rules
    do), not adopted, not transferred to another council (E3), aged 17-19 at 31 March, who left
    care before their 17th (aged 17) or 18th (aged 18) birthday and no earlier than the start of
    the previous return. Episodes in ``unseen`` (cidx, DECOM) do not count towards relevance.
    """
    prev_start, _ = return_year(year - 1)
    _, end = return_year(year)
    kids = sim.children.select("cidx", "DOB")
    eps = sim.episodes.filter(pl.col("pid") >= 0)
    window = eps.filter((pl.col("DECOM") <= end) & (pl.col("DEC") >= prev_start)).join(
        kids, on="cidx"
    )
    if unseen is not None and unseen.height:
        window = window.with_columns(pl.col("cidx").cast(pl.Int64), pl.col("DECOM").cast(pl.Int64))
        window = window.join(unseen, on=["cidx", "DECOM"], how="anti")
    dec = pl.min_horizontal(pl.col("DEC"), pl.lit(end))
    durations = window.with_columns(
        (dec - pl.max_horizontal("DECOM", add_years_expr(pl.col("DOB"), 14)))
        .clip(lower_bound=0)
        .alias("d14"),
        (dec - pl.max_horizontal("DECOM", add_years_expr(pl.col("DOB"), 16)))
        .clip(lower_bound=0)
        .alias("d16"),
    )
    relevant = (
        durations.group_by("cidx")
        .agg(pl.col("d14").sum(), pl.col("d16").sum())
        .filter((pl.col("d14") >= 91) & (pl.col("d16") >= 1))
        .select("cidx")
    )
    last = (
        eps.sort("cidx", "DECOM")
        .group_by("cidx")
        .agg(pl.col("DEC").last().alias("left"), pl.col("REC").last().alias("rec"))
    )
    return (
        relevant.join(last, on="cidx")
        .join(kids, on="cidx")
        .with_columns(as_date("DOB").alias("dob_date"))
        .with_columns(age_expr(year_end(year), "dob_date").alias("age"))
        .filter(
            pl.col("age").is_between(17, 19)
            & ~pl.col("rec").is_in(["E11", "E12", "E2", "E3"])
            & pl.col("left").is_between(prev_start, end)
            & (
                (pl.col("age") == 19)
                | ((pl.col("age") == 17) & (pl.col("left") < add_years_expr(pl.col("DOB"), 17)))
                | ((pl.col("age") == 18) & (pl.col("left") < add_years_expr(pl.col("DOB"), 18)))
            )
        )
        .select("cidx", "age")
        .sort("cidx")
    )


def oc3_answers(rng: np.random.Generator, ages: np.ndarray) -> dict[str, np.ndarray]:
    """IN_TOUCH, ACTIV and ACCOM for care leavers of the given ages (DfE 2023 magnitudes)."""
    n = len(ages)
    touch = pick(rng, ("YES", "NO", "REFU", "RHOM", "NREQ"), [0.89, 0.05, 0.03, 0.02, 0.01], n)
    activ = pick(
        rng,
        ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6"),
        [0.07, 0.01, 0.2, 0.03, 0.14, 0.05, 0.04, 0.01, 0.09, 0.26, 0.1],
        n,
    )
    letters = pick(
        rng,
        ("U", "B", "Z", "D", "E", "K", "C", "Y", "W", "V", "X", "S"),
        [0.33, 0.14, 0.1, 0.14, 0.07, 0.03, 0.03, 0.04, 0.02, 0.02, 0.05, 0.01],
        n,
    )
    # with former foster carers (staying put) only from 18
    letters = np.where((letters == "Z") & (ages < 18), "D", letters)
    suitable = np.where(rng.random(n) < 0.92, "1", "2")
    suitable = np.where(np.isin(letters, ["X", "S"]), "2", suitable)
    accom = np.char.add(letters.astype(str), suitable.astype(str)).astype(object)
    known = touch == "YES"
    return {
        "IN_TOUCH": touch.astype(str),
        "ACTIV": np.where(known, activ, "0").astype(str),
        "ACCOM": np.where(known, accom, "0").astype(str),
    }
