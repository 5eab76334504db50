"""The children of the simulated periods of care: sex, ethnicity, UPN, identifiers, and the few
young women in care who have a child of their own."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sufficiency.synth.daynumbers import add_years
from sufficiency.synth.periods import CarePeriods


@dataclass(frozen=True)
class Children:
    """The children frame, each period's child number (cidx) and the CHILD ids drawn."""

    frame: pl.DataFrame
    period_cidx: np.ndarray
    ids: np.ndarray

    @property
    def count(self) -> int:
        """Number of children."""
        return self.frame.height


def draw_children(rng: np.random.Generator, care: CarePeriods, w1: int) -> Children:
    """One row per child with a period in ``care`` (``w1``: last day of the window)."""
    p_child, p_uasc, dob_child = care.child, care.uasc, care.dob_by_draw
    p_entry, p_exit = care.entry, care.exit
    cid_unique, p_cidx = np.unique(p_child, return_inverse=True)
    n_children = len(cid_unique)
    child_uasc = np.zeros(n_children, bool)
    np.logical_or.at(child_uasc, p_cidx, p_uasc)
    child_dob = dob_child[cid_unique]
    sex_m = np.where(child_uasc, rng.random(n_children) < 0.94, rng.random(n_children) < 0.54)
    ids = rng.permutation(n_children) + 10 ** max(6, len(str(n_children)) + 1)
    eth_codes = [
        "WBRI",
        "WOTH",
        "WROM",
        "WIRT",
        "MWBC",
        "MWBA",
        "MWAS",
        "MOTH",
        "AIND",
        "APKN",
        "ABAN",
        "AOTH",
        "BCRB",
        "BAFR",
        "BOTH",
        "CHNE",
        "OOTH",
        "REFU",
        "NOBT",
        "WIRI",
    ]
    eth_p = np.array(
        [
            0.80,
            0.04,
            0.01,
            0.005,
            0.03,
            0.01,
            0.02,
            0.03,
            0.004,
            0.008,
            0.004,
            0.008,
            0.005,
            0.01,
            0.004,
            0.002,
            0.005,
            0.003,
            0.002,
            0.004,
        ]
    )
    eth = np.array(eth_codes)[rng.choice(len(eth_codes), n_children, p=eth_p / eth_p.sum())]
    u_eth = np.array(["AOTH", "BAFR", "OOTH", "BOTH", "MOTH"])[
        rng.choice(5, n_children, p=[0.38, 0.3, 0.22, 0.06, 0.04])
    ]
    eth = np.where(child_uasc, u_eth, eth)
    upn_letters = np.array(list("ABCDEFGHJKLMNPQRTUVWXYZ"))
    upn = [
        f"{a}{b:012d}"
        for a, b in zip(
            upn_letters[rng.integers(0, len(upn_letters), n_children)],
            rng.integers(10**11, 10**12 - 1, n_children),
            strict=True,
        )
    ]
    # young mothers: a few girls in care have a child of their own
    girl = ~sex_m
    first_entry = np.full(n_children, np.iinfo(np.int64).max)
    np.minimum.at(first_entry, p_cidx, p_entry)
    last_exit = np.zeros(n_children, np.int64)
    np.maximum.at(last_exit, p_cidx, p_exit)
    age16 = add_years(child_dob, 16)
    mc_from = np.maximum(age16, first_entry)
    can_mother = girl & (mc_from < np.minimum(last_exit, w1)) & (rng.random(n_children) < 0.05)
    mc_dob = np.where(
        can_mother,
        mc_from + (rng.random(n_children) * (np.minimum(last_exit, w1) - mc_from)).astype(np.int64),
        -1,
    )
    children = pl.DataFrame(
        {
            "cidx": np.arange(n_children),
            "CHILD": ids.astype(str),
            "male": sex_m,
            "DOB": child_dob,
            "ETHNIC": eth,
            "UPN_known": upn,
            "uasc": child_uasc,
            "MC_DOB": mc_dob,
        }
    )
    return Children(frame=children, period_cidx=p_cidx, ids=ids)
