"""Simulate a council's children in care, child by child and event by event (vectorised).

Each period of care is drawn from its start: age at entry, the route out of care (adoption, special
guardianship, child arrangements order, return home, turning 18, other) and its length, then the
legal-status changes (police protection -> interim care order -> care order -> placement order)
and the placement moves (a child-specific move hazard) inside it. Steps run over numpy arrays of
all periods at once; only the allocation of foster-carer and children's-home places (a capacity
queue) is a light Python loop. The result is the ground truth the returns are cut from.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from sufficiency.synth.postcodes import Geography

EPOCH = dt.date(1970, 1, 1)
#: Supported accommodation for 16-17s had to register with Ofsted by 28 October 2023; from then
#: its placements carry a URN (a new episode, RNE T, "change in the status of placement only").
SA_REGISTRATION = dt.date(2023, 10, 28)
#: From the 2025-26 return supported accommodation is K3, which the DfE rules expect in the LA.
SA_K3_FROM = dt.date(2025, 4, 1)
YEAR = 365.25

# Routes out of care.
ADOPT, SGO, CAO, HOME, TO18, OTHER = range(6)
ROUTES = ("adoption", "sgo", "cao", "home", "to18", "other")

# Route probabilities by age band at entry (<1, 1-4, 5-9, 10-15, 16-17), and for UASC.
ROUTE_P = np.array(
    [
        [0.30, 0.18, 0.02, 0.28, 0.20, 0.02],
        [0.18, 0.20, 0.03, 0.35, 0.22, 0.02],
        [0.02, 0.12, 0.05, 0.44, 0.35, 0.02],
        [0.00, 0.04, 0.03, 0.52, 0.38, 0.03],
        [0.00, 0.01, 0.01, 0.30, 0.64, 0.04],
    ]
)
ROUTE_P_UASC = np.array([0.0, 0.0, 0.0, 0.04, 0.88, 0.08])

# Entry age bands (years) and their shares among non-UASC entrants.
AGE_BANDS = np.array([[0, 1], [1, 5], [5, 10], [10, 16], [16, 18]], dtype=float)
ENTRY_AGE_P = np.array([0.21, 0.15, 0.16, 0.35, 0.13])
#: Children drawn relative to the target stock before thinning to it (re-entries and the
#: age mix make the stock of a plain rate x mean-stay draw miss the target by a few percent).
OVERSAMPLE = 1.12
UASC_AGE_P = np.array([0.0, 0.0, 0.0, 0.14, 0.86])  # of which 10-15 band is 14-15 only

# Placement kinds.
(
    INHOUSE,
    KINSHIP,
    IFA,
    RES_INHOUSE,
    RES_EXT,
    SUPPORTED,
    PARENTS,
    MBU,
    RESSCHOOL,
    SECURE,
    ADOPTION,
    OTHERPUB,
) = range(12)
KIND_NAMES = (
    "inhouse",
    "kinship",
    "ifa",
    "res_inhouse",
    "res_ext",
    "supported",
    "parents",
    "mbu",
    "resschool",
    "secure",
    "adoption",
    "otherpub",
)
# Placement kind probabilities by age band at the placement's start (non-UASC) and UASC.
KIND_P = np.array(
    [
        [0.46, 0.22, 0.20, 0.00, 0.00, 0.00, 0.04, 0.07, 0.000, 0.000, 0.0, 0.01],
        [0.45, 0.25, 0.22, 0.00, 0.01, 0.00, 0.06, 0.00, 0.000, 0.000, 0.0, 0.01],
        [0.40, 0.22, 0.26, 0.01, 0.04, 0.00, 0.06, 0.00, 0.005, 0.000, 0.0, 0.005],
        [0.31, 0.14, 0.28, 0.03, 0.17, 0.00, 0.04, 0.00, 0.015, 0.005, 0.0, 0.01],
        [0.22, 0.08, 0.17, 0.02, 0.13, 0.33, 0.03, 0.00, 0.005, 0.005, 0.0, 0.005],
    ]
)
KIND_P_UASC_YOUNG = np.array([0.42, 0, 0.50, 0, 0.08, 0, 0, 0, 0, 0, 0, 0], dtype=float)
KIND_P_UASC_OLD = np.array([0.10, 0, 0.12, 0, 0.03, 0.75, 0, 0, 0, 0, 0, 0], dtype=float)

# Location band probabilities (inside, neighbouring, distant) by placement kind.
LOCATION_P = np.array(
    [
        [1.00, 0.00, 0.00],  # in-house fostering: carers live in the council
        [0.65, 0.20, 0.15],  # kinship
        [0.55, 0.30, 0.15],  # IFA
        [1.00, 0.00, 0.00],  # in-house children's home
        [0.27, 0.30, 0.43],  # external children's home
        [0.50, 0.25, 0.25],  # supported accommodation
        [1.00, 0.00, 0.00],  # with parents (at home)
        [0.00, 0.50, 0.50],  # parent and child unit
        [0.00, 0.40, 0.60],  # residential school
        [0.00, 0.30, 0.70],  # secure children's home
        [0.35, 0.35, 0.30],  # placed for adoption
        [0.00, 0.60, 0.40],  # other LA's fostering
    ]
)


@dataclass(frozen=True)
class SimConfig:
    """What to simulate: size (children looked after at a time), mix and the time window."""

    seed: int
    stock: int
    uasc_share: float
    window_start: dt.date
    window_end: dt.date
    short_break_share: float = 0.015
    #: Shares of non-UASC entrants by age band (<1, 1-4, 5-9, 10-15, 16-17); None = England's.
    entry_age_p: tuple[float, ...] | None = None


def days(d: dt.date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def _choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probs`` (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    out: np.ndarray = np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)
    return out


def _add_years(day: np.ndarray, years: int) -> np.ndarray:
    """``day`` (days since epoch) plus whole calendar years (29 Feb -> 28 Feb)."""
    s = pl.Series("d", day, dtype=pl.Int32).cast(pl.Date).dt.offset_by(f"{years}y")
    return s.cast(pl.Int32).to_numpy().astype(np.int64)


def _age_band(age_years: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array([1.0, 5.0, 10.0, 16.0]), age_years, side="right")


def _draw_periods(
    rng: np.random.Generator,
    entry: np.ndarray,
    uasc: np.ndarray,
    reentry: np.ndarray | None = None,
    age_p: np.ndarray = ENTRY_AGE_P,
) -> dict[str, np.ndarray]:
    """Age at entry, date of birth, route and exit day for periods starting on ``entry``."""
    n = len(entry)
    band = np.where(
        uasc,
        _choice_rows(rng, np.tile(UASC_AGE_P, (n, 1))),
        _choice_rows(rng, np.tile(age_p, (n, 1))),
    )
    lo, hi = AGE_BANDS[band, 0], AGE_BANDS[band, 1]
    lo = np.where(uasc & (band == 3), 14.0, lo)
    u = rng.random(n)
    # babies mostly enter in their first weeks
    u = np.where(band == 0, u**2.2, u)
    age_years = lo + (hi - lo) * u
    age_days = np.maximum((age_years * YEAR).astype(np.int64), 0)
    dob = entry - age_days
    if reentry is not None:
        dob = np.where(reentry >= 0, reentry, dob)
        age_days = entry - dob
        age_years = age_days / YEAR
        band = _age_band(age_years)
    p = np.where(uasc[:, None], ROUTE_P_UASC[None, :], ROUTE_P[band])
    if reentry is not None:
        p = np.where((reentry >= 0)[:, None], p * (np.arange(6) != ADOPT), p)
    route = _choice_rows(rng, p)
    dur = np.empty(n, dtype=np.float64)
    z = rng.standard_normal(n)
    dur = np.select(
        [route == ADOPT, route == SGO, route == CAO, route == HOME, route == OTHER],
        [
            np.maximum(YEAR * np.exp(np.log(1.9) + 0.3 * z), 320),
            np.maximum(YEAR * np.exp(np.log(1.6) + 0.45 * z), 150),
            np.maximum(YEAR * np.exp(np.log(1.2) + 0.5 * z), 90),
            7 + YEAR * rng.exponential(0.9, n),
            14 + YEAR * rng.exponential(1.0, n),
        ],
        default=1e9,
    )
    eighteen = _add_years(dob, 18)
    exit_day = np.minimum(entry + dur.astype(np.int64), eighteen)
    route = np.where(exit_day >= eighteen, TO18, route)
    # an adoption needs time for the placement order and the adoptive placement
    route = np.where((route == ADOPT) & (exit_day - entry < 300), HOME, route)
    return {"age_days": age_days, "dob": dob, "route": route, "exit": exit_day}


def _rec_codes(
    rng: np.random.Generator, route: np.ndarray, uasc: np.ndarray, age_exit: np.ndarray
) -> np.ndarray:
    """Reason each period ended (REC), drawn from the route."""
    n = len(route)
    out = np.empty(n, dtype=object)
    tables: dict[int, tuple[list[str], list[float]]] = {
        ADOPT: (["E11", "E12"], [0.4, 0.6]),
        SGO: (["E45", "E46"], [0.55, 0.45]),
        CAO: (["E41", "E47", "E48"], [0.3, 0.3, 0.4]),
        HOME: (["E4A", "E4B", "E13"], [0.75, 0.07, 0.18]),
        TO18: (["E5", "E6", "E17", "E4A", "E8", "E7"], [0.35, 0.12, 0.25, 0.08, 0.15, 0.05]),
        OTHER: (["E3", "E8", "E9", "E16"], [0.35, 0.35, 0.15, 0.15]),
    }
    for r, (codes, p) in tables.items():
        idx = np.flatnonzero(route == r)
        out[idx] = np.array(codes, dtype=object)[rng.choice(len(codes), size=len(idx), p=p)]
    uo = np.flatnonzero(uasc & (route == OTHER))
    out[uo] = np.array(["E15", "E3", "E8"], dtype=object)[
        rng.choice(3, size=len(uo), p=[0.5, 0.3, 0.2])
    ]
    u18 = np.flatnonzero(uasc & (route == TO18))
    out[u18] = np.array(["E5", "E6", "E17", "E8"], dtype=object)[
        rng.choice(4, size=len(u18), p=[0.5, 0.2, 0.15, 0.15])
    ]
    young_custody = (out == "E9") & (age_exit < 12 * YEAR)
    out[young_custody] = "E8"
    return out


@dataclass
class Simulation:
    """Ground truth: children, periods of care, placements and episodes (days since epoch)."""

    children: pl.DataFrame
    periods: pl.DataFrame
    placements: pl.DataFrame
    episodes: pl.DataFrame
    carers: pl.DataFrame
    homes: pl.DataFrame
    settings: pl.DataFrame
    agencies: pl.DataFrame


def simulate(cfg: SimConfig, geo: Geography) -> Simulation:
    """Run the simulation for ``cfg`` on ``geo``'s postcodes."""
    rng = np.random.default_rng(cfg.seed)
    age_p = ENTRY_AGE_P if cfg.entry_age_p is None else np.asarray(cfg.entry_age_p, dtype=float)
    w0, w1 = days(cfg.window_start), days(cfg.window_end)
    e0 = w0 - int(18 * YEAR) - 30

    # --- entry rates from a pilot draw of period lengths (stock = rate x mean length)
    pilot_n = 20_000
    pilot_entry = np.full(pilot_n, w0, dtype=np.int64)
    mean_len = {}
    for flag in (False, True):
        d = _draw_periods(rng, pilot_entry, np.full(pilot_n, flag), age_p=age_p)
        mean_len[flag] = float(np.mean(d["exit"] - pilot_entry))
    stock_u = cfg.stock * cfg.uasc_share
    target = {False: cfg.stock - stock_u, True: stock_u}
    # draw more children than needed, then thin them to the target stock (below)
    rate = {flag: OVERSAMPLE * target[flag] / mean_len[flag] for flag in (False, True)}

    entries, flags = [], []
    for flag in (False, True):
        lo = e0 if not flag else w0 - int(4 * YEAR)
        k = rng.poisson(rate[flag] * (w1 + 1 - lo))
        entries.append(rng.integers(lo, w1 + 1, size=k))
        flags.append(np.full(k, flag))
    entry = np.concatenate(entries).astype(np.int64)
    uasc = np.concatenate(flags)
    first = _draw_periods(rng, entry, uasc, age_p=age_p)
    child_idx = np.arange(len(entry))

    # --- re-entries: some children who went home come back into care
    back = (
        (first["route"] == HOME)
        & (first["exit"] - first["dob"] < 16.5 * YEAR)
        & (rng.random(len(entry)) < 0.13)
    )
    re_entry = first["exit"][back] + rng.integers(30, 720, size=int(back.sum()))
    re_ok = (re_entry < w1) & (re_entry - first["dob"][back] < 17.5 * YEAR)
    re_child = child_idx[back][re_ok]
    re_entry = re_entry[re_ok]
    second = _draw_periods(
        rng, re_entry, np.zeros(len(re_entry), bool), first["dob"][re_child], age_p=age_p
    )

    p_child = np.concatenate([child_idx, re_child])
    p_entry = np.concatenate([entry, re_entry])
    p_exit = np.concatenate([first["exit"], second["exit"]])
    p_route = np.concatenate([first["route"], second["route"]])
    p_uasc = np.concatenate([uasc, np.zeros(len(re_entry), bool)])
    dob_child = first["dob"]
    # thin the children so the stock at each 31 March in the window averages the target
    year_ends = np.array(
        [days(dt.date(y, 3, 31)) for y in range(cfg.window_start.year + 1, cfg.window_end.year + 1)]
    )
    open_at = (p_entry[:, None] <= year_ends[None, :]) & (p_exit[:, None] > year_ends[None, :])
    keep_p = np.ones(len(entry))
    for flag in (False, True):
        group = uasc[p_child] == flag
        have = open_at[group].sum() / max(len(year_ends), 1)
        if have > 0:
            keep_p[uasc == flag] = min(1.0, target[flag] / have)
    chosen = rng.random(len(entry)) < keep_p
    keep = chosen[p_child] & (
        p_exit > w0 - int(1 * YEAR)
    )  # in care at some time in (or just before) the window
    # children with a kept period are kept whole (all their periods)
    kept_children = np.unique(p_child[keep])
    keep = np.isin(p_child, kept_children)
    p_child, p_entry, p_exit = p_child[keep], p_entry[keep], p_exit[keep]
    p_route, p_uasc = p_route[keep], p_uasc[keep]
    order = np.lexsort((p_entry, p_child))
    p_child, p_entry, p_exit, p_route, p_uasc = (
        a[order] for a in (p_child, p_entry, p_exit, p_route, p_uasc)
    )
    # a period must end before the next one starts
    nxt_same = np.r_[p_child[1:] == p_child[:-1], False]
    nxt_entry = np.r_[p_entry[1:], 0]
    bad = nxt_same & (p_exit >= nxt_entry)
    p_exit = np.where(bad, nxt_entry - 1, p_exit)
    p_route = np.where(bad & (p_route != HOME), HOME, p_route)
    p_dob = dob_child[p_child]
    p_rec = _rec_codes(rng, p_route, p_uasc, p_exit - p_dob)
    n_periods = len(p_child)
    pid = np.arange(n_periods)

    # --- children
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
    age16 = _add_years(child_dob, 16)
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

    # --- legal status events
    u = rng.random(n_periods)
    entry_ls = np.where(
        p_uasc,
        "V2",
        np.where(
            p_route == ADOPT,
            np.where(u < 0.6, "C1", np.where(u < 0.7, "L2", "V2")),
            np.where(
                p_route == HOME,
                np.where(u < 0.6, "V2", np.where(u < 0.92, "C1", "L1")),
                np.where(u < 0.45, "C1", np.where(u < 0.85, "V2", np.where(u < 0.93, "L2", "C2"))),
            ),
        ),
    ).astype(object)
    ev_pid: list[np.ndarray] = [pid]
    ev_t: list[np.ndarray] = [p_entry]
    ev_ls: list[np.ndarray] = [entry_ls]

    def add(mask: np.ndarray, t: np.ndarray, ls: str) -> None:
        ok = mask & (t > p_entry) & (t < p_exit)
        ev_pid.append(pid[ok])
        ev_t.append(t[ok])
        ev_ls.append(np.full(int(ok.sum()), ls, dtype=object))

    # adoption timeline: C1 < C2 < E1 < adoptive placement < exit
    adopt = p_route == ADOPT
    a_place = p_exit - rng.integers(180, 420, n_periods)
    a_place = np.maximum(a_place, p_entry + 150)
    # placement order (E1) some months before the adoptive placement: the match comes between
    e1_t = np.maximum(
        a_place - rng.integers(110, 330, n_periods), p_entry + (a_place - p_entry) // 3
    )
    emergency = np.isin(entry_ls, ["L1", "L2"])
    to_c1 = emergency & (rng.random(n_periods) < 0.85) | (entry_ls == "V2") & (
        adopt | (~p_uasc & np.isin(p_route, [SGO, CAO, TO18]) & (rng.random(n_periods) < 0.4))
    )
    emergency_days = np.where(
        entry_ls == "L1", rng.integers(1, 4, n_periods), rng.integers(2, 8, n_periods)
    )
    c1_t = np.where(emergency, p_entry + emergency_days, p_entry + rng.integers(20, 150, n_periods))
    c1_t = np.where(adopt, np.minimum(c1_t, p_entry + (e1_t - p_entry) // 4), c1_t)
    add(to_c1, c1_t, "C1")
    back_v2 = emergency & ~to_c1
    add(back_v2, p_entry + emergency_days, "V2")
    in_c1 = (entry_ls == "C1") | to_c1
    c1_start = np.where(entry_ls == "C1", p_entry, c1_t)
    c2_t = c1_start + rng.integers(120, 330, n_periods)
    c2_t = np.where(
        adopt,
        c1_start + ((e1_t - c1_start) * rng.uniform(0.4, 0.8, n_periods)).astype(np.int64),
        c2_t,
    )
    to_c2 = in_c1 & (np.isin(p_route, [ADOPT, SGO, CAO, TO18]) | (rng.random(n_periods) < 0.4))
    add(to_c2, c2_t, "C2")
    add(adopt, e1_t, "E1")
    legal = (
        pl.DataFrame(
            {
                "pid": np.concatenate(ev_pid),
                "t": np.concatenate(ev_t),
                "LS": np.concatenate(ev_ls).astype(str),
                "order": np.concatenate([np.full(len(a), i) for i, a in enumerate(ev_pid)]),
            }
        )
        .sort("pid", "t", "order")
        .unique(subset=["pid", "t"], keep="last", maintain_order=True)
        .drop("order")
    )
    legal = legal.filter((pl.col("LS") != pl.col("LS").shift(1).over("pid")).fill_null(True))

    # --- placement moves
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
    period_frame = pl.DataFrame(
        {
            "pid": pid,
            "cidx": p_cidx,
            "entry": p_entry,
            "exit": p_exit,
            "route": p_route,
            "uasc": p_uasc,
            "REC": p_rec.astype(str),
            "dob": p_dob,
        }
    )
    plc = (
        plc.join(period_frame.select("pid", "exit", "dob", "uasc", "entry"), on="pid")
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
    band = _age_band(age)
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
    kind = _choice_rows(rng, probs)
    kind = np.where(plc["is_adoption"].to_numpy(), ADOPTION, kind)
    ppid = plc["pid"].to_numpy()
    same_prev = np.r_[False, ppid[1:] == ppid[:-1]]
    for _ in range(3):  # placed with parents twice running is one placement
        prev_kind = np.r_[-1, kind[:-1]]
        kind = np.where(same_prev & (kind == PARENTS) & (prev_kind == PARENTS), INHOUSE, kind)
    # special guardianship / arrangements orders to former foster carers end a foster placement
    rec_of = period_frame["REC"].to_numpy()[ppid]
    is_last = np.r_[ppid[1:] != ppid[:-1], True]
    to_foster = (
        is_last & np.isin(rec_of, ["E45", "E46", "E47"]) & ~np.isin(kind, [INHOUSE, KINSHIP, IFA])
    )
    kind = np.where(to_foster, np.where(rng.random(len(kind)) < 0.6, KINSHIP, INHOUSE), kind)
    loc = _choice_rows(rng, LOCATION_P[kind])
    plc = plc.with_columns(
        pl.Series("kind", kind, dtype=pl.Int8),
        pl.Series("loc", loc, dtype=pl.Int8),
        pl.Series("age", age),
    )
    plc = plc.with_columns(
        pl.int_range(pl.len()).over("pid").alias("k"),
        pl.Series("pkey", np.arange(plc.height)),
    )

    # --- postcodes, URNs, carers and homes
    sup = _Supply(rng, geo, w1)
    home_post = sup.inside_postcodes(n_periods)
    period_frame = period_frame.with_columns(pl.Series("HOME_POST", home_post))
    plc = plc.join(period_frame.select("pid", "HOME_POST"), on="pid").sort("pkey")
    pl_post, urn, provider, holder = sup.assign(plc)
    plc = plc.with_columns(
        pl.Series("PL_POST", pl_post),
        pl.Series("URN", urn),
        pl.Series("PLACE_PROVIDER", provider),
        pl.Series("holder", holder),
    )
    plc, period_frame = _separate_home_postcodes(plc, period_frame, sup.pool_pcd[0])
    plc = plc.with_columns(_place_code(rng, plc).alias("PLACE"))

    # --- episodes: every legal or placement change starts one
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
    # short breaks (V3/V4) for a few disabled children
    sb_children, sb_eps = _short_breaks(rng, cfg, sup, w0, w1, n_children, ids)
    if sb_children.height:
        children = pl.concat([children, sb_children], how="vertical_relaxed")
        episodes = pl.concat([episodes, sb_eps.select(episodes.columns)], how="vertical_relaxed")
    return Simulation(
        children=children,
        periods=period_frame,
        placements=plc,
        episodes=episodes.sort("cidx", "DECOM"),
        carers=sup.carers_frame(),
        homes=sup.homes_frame(),
        settings=sup.settings_frame(),
        agencies=sup.agencies_frame(),
    )


def _separate_home_postcodes(
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


def _cin(rng: np.random.Generator, periods: pl.DataFrame) -> pl.DataFrame:
    """Category of need for each period (N8 absent parenting for UASC)."""
    codes = np.array(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"])
    c = codes[rng.choice(8, periods.height, p=[0.65, 0.03, 0.03, 0.08, 0.14, 0.02, 0.005, 0.045])]
    c = np.where(periods["uasc"].to_numpy(), "N8", c)
    return pl.DataFrame({"pid": periods["pid"], "CIN": c})


def _place_code(rng: np.random.Generator, plc: pl.DataFrame) -> pl.Expr:
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


def _short_breaks(
    rng: np.random.Generator,
    cfg: SimConfig,
    sup: _Supply,
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


class _Supply:
    """Carers, homes, supported settings and agencies, allocated as placements need them."""

    def __init__(self, rng: np.random.Generator, geo: Geography, end: int) -> None:
        self.rng = rng
        self.geo = geo
        self.end = end
        self.pools = [
            geo.inside,
            geo.neighbouring if geo.neighbouring.height else geo.inside,
            geo.distant,
        ]
        self.pool_pcd = [p["postcode"].to_numpy() for p in self.pools]
        self.pool_la = [p["upper_la"].to_numpy() for p in self.pools]
        self.urn_seq = 0
        self.urns_used: set[str] = set()
        self.carers: list[dict[str, Any]] = []
        self.homes: list[dict[str, Any]] = []
        self.settings: list[dict[str, Any]] = []
        self.agencies: list[dict[str, Any]] = []
        self.la_fostering = self._agency(
            "fostering_service", "local_authority", 0, "Fostering service"
        )
        self.la_adoption = self._agency("adoption_agency", "local_authority", 0, "Adoption service")
        self.ifas = [
            self._agency(
                "ifa",
                "private" if i % 4 else "voluntary",
                int(self.rng.choice(3, p=[0.4, 0.35, 0.25])),
                f"Independent fostering agency {i + 1}",
            )
            for i in range(12)
        ]
        self.ifa_w = self.rng.dirichlet(np.ones(len(self.ifas)) * 1.5)
        self.other_la = self._agency(
            "fostering_service", "local_authority", 1, "Neighbouring council fostering service"
        )

    # ---- helpers
    def postcode(self, band: int) -> tuple[str, str]:
        i = int(self.rng.integers(0, len(self.pool_pcd[band])))
        return str(self.pool_pcd[band][i]), str(self.pool_la[band][i])

    def postcode_at(self, band: int, u: float) -> str:
        """The postcode at uniform position ``u`` in a band's pool."""
        pool = self.pool_pcd[band]
        return str(pool[min(int(u * len(pool)), len(pool) - 1)])

    def inside_postcodes(self, n: int) -> np.ndarray:
        idx = self.rng.integers(0, len(self.pool_pcd[0]), n)
        return np.asarray(self.pool_pcd[0][idx], dtype=object)

    def new_urn(self) -> str:
        while True:
            self.urn_seq += 1
            # SC9xxxxx is left for the registers' extra (unused) homes, so URNs never collide
            urn = f"SC{int(self.rng.integers(100000, 900000)):06d}"
            if urn not in self.urns_used:
                self.urns_used.add(urn)
                return urn

    def _agency(self, kind: str, sector: str, band: int, name: str) -> dict[str, Any]:
        pcd, la = self.postcode(band)
        row: dict[str, Any] = {
            "urn": self.new_urn(),
            "name": name,
            "kind": kind,
            "sector": sector,
            "postcode": pcd,
            "local_authority": la,
        }
        self.agencies.append(row)
        return row

    # ---- allocation of every placement
    def assign(
        self, plc: pl.DataFrame
    ) -> tuple[list[str | None], list[str | None], list[str], list[str | None]]:
        kind_np = plc["kind"].to_numpy()
        n = plc.height
        post: list[str | None] = [None] * n
        urn: list[str | None] = [None] * n
        prov: list[str] = ["PR1"] * n
        holder: list[str | None] = [None] * n
        carer_q: list[tuple[int, int]] = []  # (free_from, slot)
        slot_owner: list[int] = []
        home_q: dict[tuple[int, int], list[tuple[int, int]]] = {}
        home_slots: dict[tuple[int, int], list[int]] = {}
        set_q: dict[int, list[tuple[int, int]]] = {}
        set_slots: dict[int, list[int]] = {}
        rng = self.rng
        pids_np = plc["pid"].to_numpy()
        # the placement before this one in the same period (rows are in pid, start order)
        prev_idx = np.where(np.r_[False, pids_np[1:] == pids_np[:-1]], np.arange(n) - 1, -1)
        # random numbers drawn in bulk (a scalar draw per placement is the slow part)
        u_post = rng.random(n)
        ifa_pick = _choice_rows(rng, np.tile(self.ifa_w, (n, 1))) if n else np.zeros(0, int)
        off_carer = rng.integers(1, 60, n).tolist()
        off_home = rng.integers(7, 90, n).tolist()
        off_set = rng.integers(3, 45, n).tolist()
        self._fill_direct(plc, u_post, ifa_pick, post, urn, prov, holder)
        queued = ~np.isin(kind_np, [IFA, OTHERPUB, PARENTS, ADOPTION])
        start_np = plc["start"].to_numpy()
        order = np.flatnonzero(queued)[np.argsort(start_np[queued], kind="stable")].tolist()
        kind, loc = kind_np.tolist(), plc["loc"].to_numpy().tolist()
        start, end = start_np.tolist(), plc["end"].to_numpy().tolist()
        prev_of = prev_idx.tolist()
        for i in order:
            k, b, s, e = kind[i], loc[i], start[i], end[i]
            j = prev_of[i]
            prev = holder[j] if j >= 0 else None
            if k == INHOUSE:
                slot_found = _take(
                    carer_q,
                    s,
                    lambda sl: self.carers[slot_owner[sl]]["household_id"],
                    prev,
                )
                if slot_found is not None:
                    slot = slot_found
                else:
                    hh = self._new_household("mainstream", s, 0)
                    places = int(hh["places"])
                    first_slot = len(slot_owner)
                    for _ in range(places):
                        slot_owner.append(len(self.carers) - 1)
                    for extra in range(1, places):
                        heapq.heappush(carer_q, (s, first_slot + extra))
                    slot = first_slot
                hh = self.carers[slot_owner[slot]]
                heapq.heappush(carer_q, (e + int(off_carer[i]), slot))
                hh["last_end"] = max(int(hh["last_end"]), e)
                hh["placements"].append((s, e))
                post[i], urn[i], prov[i], holder[i] = (
                    str(hh["postcode"]),
                    str(self.la_fostering["urn"]),
                    "PR1",
                    str(hh["household_id"]),
                )
            elif k == KINSHIP:
                hh = self._new_household("kinship", s, b)
                hh["last_end"] = e
                hh["placements"].append((s, e))
                post[i], urn[i], prov[i], holder[i] = (
                    str(hh["postcode"]),
                    str(self.la_fostering["urn"]),
                    "PR1",
                    str(hh["household_id"]),
                )
            elif k in (RES_INHOUSE, RES_EXT, MBU, RESSCHOOL, SECURE):
                key = (k, b)
                q = home_q.setdefault(key, [])
                found = _take(q, s, lambda x: self.homes[x]["urn"], prev)
                if found is not None:
                    h = found
                else:
                    h = self._new_home(k, b, s)
                    for _ in range(int(self.homes[h]["our_slots"]) - 1):
                        heapq.heappush(q, (s, h))
                    home_slots.setdefault(key, []).append(h)
                heapq.heappush(q, (e + int(off_home[i]), h))
                hm = self.homes[h]
                post[i], urn[i], holder[i] = str(hm["postcode"]), str(hm["urn"]), str(hm["urn"])
                prov[i] = str(hm["provider_code"])
                hm["placements"].append((s, e))
            elif k == SUPPORTED:
                if e > days(SA_K3_FROM):
                    b = 0
                qs = set_q.setdefault(b, [])
                found = _take(qs, s, lambda x: self.settings[x]["urn"], prev)
                if found is not None:
                    h = found
                else:
                    h = self._new_setting(b, s)
                    for _ in range(int(self.settings[h]["units"]) - 1):
                        heapq.heappush(qs, (s, h))
                    set_slots.setdefault(b, []).append(h)
                heapq.heappush(qs, (e + int(off_set[i]), h))
                st = self.settings[h]
                post[i], urn[i], holder[i], prov[i] = (
                    str(st["postcode"]),
                    str(st["urn"]),
                    str(st["urn"]),
                    str(st["provider_code"]),
                )
                st["placements"].append((s, e))
        return post, urn, prov, holder

    def _fill_direct(
        self,
        plc: pl.DataFrame,
        u_post: np.ndarray,
        ifa_pick: np.ndarray,
        post: list[str | None],
        urn: list[str | None],
        prov: list[str],
        holder: list[str | None],
    ) -> None:
        """Placements that need no capacity queue (IFA, other councils' fostering, adoption,
        with parents), filled in one vectorised pass."""
        kind = plc["kind"].to_numpy()
        loc = plc["loc"].to_numpy()
        home = plc["HOME_POST"].to_numpy()
        drawn = np.empty(len(kind), dtype=object)
        for band in range(3):
            pool = self.pool_pcd[band]
            at = np.flatnonzero(loc == band)
            if len(at) and len(pool):
                pos = np.minimum((u_post[at] * len(pool)).astype(np.int64), len(pool) - 1)
                drawn[at] = pool[pos]
        ifa_urn = np.array([str(a["urn"]) for a in self.ifas], dtype=object)
        ifa_prov = np.array(
            ["PR4" if a["sector"] == "private" else "PR5" for a in self.ifas], dtype=object
        )
        for i in np.flatnonzero(kind == IFA).tolist():
            post[i], urn[i], prov[i], holder[i] = (
                drawn[i],
                ifa_urn[ifa_pick[i]],
                ifa_prov[ifa_pick[i]],
                ifa_urn[ifa_pick[i]],
            )
        other = str(self.other_la["urn"])
        for i in np.flatnonzero(kind == OTHERPUB).tolist():
            post[i], urn[i], prov[i], holder[i] = drawn[i], other, "PR2", other
        adoption = str(self.la_adoption["urn"])
        for i in np.flatnonzero(kind == ADOPTION).tolist():
            post[i], urn[i], prov[i], holder[i] = drawn[i], adoption, "PR1", adoption
        for i in np.flatnonzero(kind == PARENTS).tolist():
            post[i], urn[i], prov[i] = str(home[i]), None, "PR0"

    def _new_household(self, kind: str, first_use: int, band: int) -> dict[str, Any]:
        rng = self.rng
        r = rng.random(4)
        places = 1 if kind == "kinship" else (1 if r[0] < 0.42 else (2 if r[0] < 0.84 else 3))
        approved = first_use - (int(r[3] * 14) if kind == "kinship" else 20 + int(r[3] * 480))
        row: dict[str, Any] = {
            "household_id": f"FC{len(self.carers) + 1:05d}",
            "kind": kind,
            "places": places,
            "approved": approved,
            "postcode": self.postcode(band)[0],
            "last_end": first_use,
            "placements": [],
            "age_min": 0 if kind == "kinship" else (0, 0, 5, 11)[int(r[1] * 4)],
            # an approval range never ends before it starts (11 to 10 would be no range at all)
            "age_max": 18
            if kind == "kinship"
            else max((10, 17, 18, 18)[int(r[2] * 4)], (0, 0, 5, 11)[int(r[1] * 4)] + 5),
        }
        self.carers.append(row)
        return row

    def _new_home(self, kind: int, band: int, first_use: int) -> int:
        rng = self.rng
        pcd, la = self.postcode(band)
        inhouse = kind == RES_INHOUSE
        sector = (
            "local_authority"
            if inhouse or kind == SECURE
            else ("voluntary" if rng.random() < 0.15 else "private")
        )
        places = (
            int(rng.integers(2, 6)) if kind in (RES_INHOUSE, RES_EXT) else int(rng.integers(4, 12))
        )
        home_type = {
            RES_INHOUSE: "childrens_home",
            RES_EXT: "childrens_home",
            MBU: "family_centre",
            RESSCHOOL: "residential_special_school",
            SECURE: "secure_childrens_home",
        }[kind]
        provider_code = (
            "PR1"
            if inhouse
            else ("PR2" if kind == SECURE else ("PR5" if sector == "voluntary" else "PR4"))
        )
        row: dict[str, Any] = {
            "urn": self.new_urn(),
            "postcode": pcd,
            "local_authority": la,
            "places": places,
            "our_slots": places if inhouse else max(1, min(places, int(rng.integers(1, 3)))),
            "in_house": inhouse,
            "sector": sector,
            "home_type": home_type,
            "provider_code": provider_code,
            "registered": first_use - int(rng.integers(200, 6000)),
            "placements": [],
        }
        self.homes.append(row)
        return len(self.homes) - 1

    def _new_setting(self, band: int, first_use: int) -> int:
        rng = self.rng
        pcd, la = self.postcode(band)
        inhouse = band == 0 and rng.random() < 0.25
        row: dict[str, Any] = {
            "urn": self.new_urn(),
            "postcode": pcd,
            "local_authority": la,
            "units": int(rng.integers(2, 9)),
            "provider_code": "PR1" if inhouse else "PR4",
            "registered": first_use - int(rng.integers(100, 3000)),
            "placements": [],
        }
        self.settings.append(row)
        return len(self.settings) - 1

    def short_break_places(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Short-break carer households (approval type short_breaks) for ``n`` children."""
        hh = [
            self._new_household("short_breaks", self.end - int(YEAR * 3), 0)
            for _ in range(max(1, n // 2))
        ]
        pick = self.rng.integers(0, len(hh), n)
        post = np.array([hh[i]["postcode"] for i in pick], dtype=object)
        holder = np.array([hh[i]["household_id"] for i in pick], dtype=object)
        urn = np.full(n, self.la_fostering["urn"], dtype=object)
        return post, urn, holder

    # ---- frames
    def carers_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [
                {
                    "household_id": c["household_id"],
                    "kind": c["kind"],
                    "places": c["places"],
                    "approved": c["approved"],
                    "postcode": c["postcode"],
                    "last_end": c["last_end"],
                    "age_min": c["age_min"],
                    "age_max": c["age_max"],
                    "first_use": min((s for s, _ in c["placements"]), default=c["approved"]),
                }
                for c in self.carers
            ],
            schema={
                "household_id": pl.Utf8,
                "kind": pl.Utf8,
                "places": pl.Int64,
                "approved": pl.Int64,
                "postcode": pl.Utf8,
                "last_end": pl.Int64,
                "age_min": pl.Int64,
                "age_max": pl.Int64,
                "first_use": pl.Int64,
            },
        )

    def homes_frame(self) -> pl.DataFrame:
        cols = [
            "urn",
            "postcode",
            "local_authority",
            "places",
            "in_house",
            "sector",
            "home_type",
            "provider_code",
            "registered",
        ]
        return pl.DataFrame(
            [{c: h[c] for c in cols} for h in self.homes],
            schema={
                "urn": pl.Utf8,
                "postcode": pl.Utf8,
                "local_authority": pl.Utf8,
                "places": pl.Int64,
                "in_house": pl.Boolean,
                "sector": pl.Utf8,
                "home_type": pl.Utf8,
                "provider_code": pl.Utf8,
                "registered": pl.Int64,
            },
        )

    def settings_frame(self) -> pl.DataFrame:
        cols = ["urn", "postcode", "local_authority", "units", "provider_code", "registered"]
        return pl.DataFrame(
            [{c: h[c] for c in cols} for h in self.settings],
            schema={
                "urn": pl.Utf8,
                "postcode": pl.Utf8,
                "local_authority": pl.Utf8,
                "units": pl.Int64,
                "provider_code": pl.Utf8,
                "registered": pl.Int64,
            },
        )

    def agencies_frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.agencies)


def _take(
    queue: list[tuple[int, int]], when: int, key: Callable[[int], Any], avoid: Any
) -> int | None:
    """Pop a slot free by ``when`` from a heap, skipping slots whose ``key`` is ``avoid``."""
    skipped: list[tuple[int, int]] = []
    found: int | None = None
    while queue and queue[0][0] <= when:
        item = heapq.heappop(queue)
        if avoid is not None and key(item[1]) == avoid:
            skipped.append(item)
            continue
        found = item[1]
        break
    for item in skipped:
        heapq.heappush(queue, item)
    return found
