"""Synthetic episode frames for the benchmarks (no real child data; random but seeded)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl


def random_episodes(n_rows: int, postcodes: list[str], seed: int = 7) -> pl.DataFrame:
    """About ``n_rows`` episodes in the canonical shape: children with 1-9 contiguous episodes,
    mixed RNE (S first, then P/L/B/T/U), a gap now and then, the last episode often open."""
    rng = np.random.default_rng(seed)
    per_child = rng.integers(1, 10, size=max(n_rows // 5, 1))
    per_child = per_child[np.cumsum(per_child) <= n_rows]
    n = int(per_child.sum())
    child = np.repeat(np.arange(len(per_child)), per_child)
    first = np.r_[True, child[1:] != child[:-1]]
    last = np.r_[child[1:] != child[:-1], True]
    lengths = rng.integers(5, 400, size=n)
    gaps = np.where(first, 0, np.where(rng.random(n) < 0.05, rng.integers(1, 200, size=n), 0))
    start0 = rng.integers(0, 3000, size=len(per_child))[child]
    offsets = np.cumsum(lengths + gaps) - (lengths + gaps)
    base = offsets - np.maximum.accumulate(np.where(first, offsets, 0))
    decom = start0 + base + gaps
    dec = decom + lengths
    rne = rng.choice(np.array(["P", "L", "B", "T", "U"]), size=n, p=[0.55, 0.25, 0.1, 0.05, 0.05])
    rne = np.where(first | (gaps > 0), "S", rne)
    open_last = last & (rng.random(n) < 0.4)
    rec = np.where(last, "E11", "X1")
    place = rng.choice(np.array(["U1", "U4", "U5", "K2", "H5", "P1", "T0"]), size=n)
    provider = rng.choice(np.array(["PR1", "PR2", "PR4"]), size=n)
    pcs = np.array(postcodes)
    epoch = dt.date(2014, 4, 1)
    return pl.DataFrame(
        {
            "CHILD": pl.Series(child).cast(pl.String),
            "DECOM": pl.Series(decom).cast(pl.Int32),
            "RNE": rne,
            "LS": rng.choice(np.array(["C2", "E1", "J2", "V2"]), size=n),
            "CIN": "N1",
            "PLACE": place,
            "PLACE_PROVIDER": provider,
            "DEC": pl.Series(np.where(open_last, -1, dec)).cast(pl.Int32),
            "REC": np.where(open_last, "", rec),
            "REASON_PLACE_CHANGE": "",
            "HOME_POST": pcs[rng.integers(0, len(pcs), size=n)],
            "PL_POST": pcs[rng.integers(0, len(pcs), size=n)],
            "URN": "",
            "return_year": 2024,
        }
    ).with_columns(
        (pl.lit(epoch) + pl.duration(days=pl.col("DECOM"))).alias("DECOM"),
        pl.when(pl.col("DEC") >= 0)
        .then(pl.lit(epoch) + pl.duration(days=pl.col("DEC")))
        .otherwise(None)
        .cast(pl.Date)
        .alias("DEC"),
        *[pl.col(c).replace("", None) for c in ("REC", "REASON_PLACE_CHANGE", "URN")],
    )
