"""Disabled children on an agreed series of short breaks (legal status V4): one episode per
yearly agreement, with short-break foster carers."""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.synth.daynumbers import YEAR
from sufficiency.synth.parameters import SimConfig
from sufficiency.synth.providers import Providers


def draw_short_breaks(
    rng: np.random.Generator,
    cfg: SimConfig,
    sup: Providers,
    w0: int,
    w1: int,
    n_children: int,
    ids: np.ndarray,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Disabled children on agreed series of short breaks (V4): one episode per yearly agreement."""
    n = max(1, round(cfg.stock * cfg.short_break_share))
    start = rng.integers(w0 - int(2 * YEAR), w1 - 30, n)
    years_n = rng.integers(1, 4, n)
    age = rng.uniform(6, 14, n)
    dob = start - (age * YEAR).astype(np.int64)
    cidx = np.arange(n_children, n_children + n)
    base = int(ids.max()) + 1 if len(ids) else 10**7
    child_ids = (base + rng.permutation(n) + 1).astype(str)
    rows_cidx, rows_start, rows_end, rows_k = [], [], [], []
    for i in range(n):
        s = int(start[i])
        for k in range(int(years_n[i])):
            e = s + 364
            rows_cidx.append(int(cidx[i]))
            rows_start.append(s)
            rows_end.append(e)
            rows_k.append(k)
            s = e + 1
    m = len(rows_cidx)
    home = sup.inside_postcodes(n)
    post, urn, holder = sup.short_break_places(n)
    idx = np.array(rows_cidx) - n_children
    children = pl.DataFrame(
        {
            "cidx": cidx,
            "CHILD": child_ids,
            "male": rng.random(n) < 0.65,
            "DOB": dob,
            "ETHNIC": np.where(rng.random(n) < 0.9, "WBRI", "MWBC"),
            "UPN_known": [f"K{v:012d}" for v in rng.integers(10**11, 10**12 - 1, n)],
            "uasc": np.zeros(n, bool),
            "MC_DOB": np.full(n, -1),
        }
    )
    eps = pl.DataFrame(
        {
            "pid": -1 - np.array(rows_cidx),
            "DECOM": np.array(rows_start, dtype=np.int64),
            "ls_change": np.ones(m, bool),
            "pl_change": np.ones(m, bool),
            "entry": np.array(rows_start, dtype=np.int64),
            "exit": np.array(rows_end, dtype=np.int64),
            "LS": np.full(m, "V4"),
            "pkey": np.full(m, -1),
            "RNE": np.full(m, "S"),
            "next_t": np.array(rows_end, dtype=np.int64),
            "last": np.ones(m, bool),
            "DEC": np.array(rows_end, dtype=np.int64),
            "cidx": np.array(rows_cidx),
            "REC": np.where(np.array(rows_end) > w1, "E8", "E8"),
            "HOME_POST": home[idx],
            "uasc": np.zeros(m, bool),
            "CIN": np.full(m, "N2"),
            "PLACE": np.full(m, "R1"),
            "PLACE_PROVIDER": np.full(m, "PR4"),
            "PL_POST": post[idx],
            "URN": urn[idx],
            "kind": np.full(m, -1, dtype=np.int8),
            "loc": np.zeros(m, dtype=np.int8),
            "reg_change": np.zeros(m, bool),
            "holder": holder[idx],
            "next_rne": pl.Series([None] * m, dtype=pl.Utf8),
            "REASON_PLACE_CHANGE": pl.Series([None] * m, dtype=pl.Utf8),
        }
    )
    return children, eps
