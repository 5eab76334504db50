"""Periods of care: who enters care when, at what age, how they leave and when (vectorised).

Each period is drawn from its start: age at entry, the route out of care (adoption, special
guardianship, child arrangements order, return home, turning 18, other) and its length. Entry
rates come from a pilot draw (stock = rate x mean length); some children who went home come back;
then children are thinned so the stock at each 31 March of the window averages the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sufficiency.dates import year_end
from sufficiency.synth.daynumbers import YEAR, add_years, days
from sufficiency.synth.draws import choice_rows
from sufficiency.synth.parameters import (
    ADOPT,
    AGE_BANDS,
    CAO,
    ENTRY_AGE_P,
    HOME,
    OTHER,
    OVERSAMPLE,
    ROUTE_P,
    ROUTE_P_UASC,
    SGO,
    TO18,
    UASC_AGE_P,
    SimConfig,
    age_band,
)


@dataclass(frozen=True)
class CarePeriods:
    """Every period of care, sorted by child then entry (arrays of one length; days since epoch)."""

    child: np.ndarray  # the child's draw index (children are numbered by ``Children``)
    entry: np.ndarray
    exit: np.ndarray
    route: np.ndarray
    uasc: np.ndarray
    dob: np.ndarray
    rec: np.ndarray  # reason the period ended (REC)
    dob_by_draw: np.ndarray  # date of birth by draw index

    @property
    def size(self) -> int:
        """Number of periods."""
        return len(self.child)

    @property
    def pid(self) -> np.ndarray:
        """Period ids: 0 .. size - 1."""
        return np.arange(self.size)

    def frame(self, cidx: np.ndarray) -> pl.DataFrame:
        """The periods as a frame, with ``cidx`` (each period's child number)."""
        return pl.DataFrame(
            {
                "pid": self.pid,
                "cidx": cidx,
                "entry": self.entry,
                "exit": self.exit,
                "route": self.route,
                "uasc": self.uasc,
                "REC": self.rec.astype(str),
                "dob": self.dob,
            }
        )


def draw_periods(
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
        choice_rows(rng, np.tile(UASC_AGE_P, (n, 1))),
        choice_rows(rng, np.tile(age_p, (n, 1))),
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
        band = age_band(age_years)
    p = np.where(uasc[:, None], ROUTE_P_UASC[None, :], ROUTE_P[band])
    if reentry is not None:
        p = np.where((reentry >= 0)[:, None], p * (np.arange(6) != ADOPT), p)
    route = choice_rows(rng, p)
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
    eighteen = add_years(dob, 18)
    exit_day = np.minimum(entry + dur.astype(np.int64), eighteen)
    route = np.where(exit_day >= eighteen, TO18, route)
    # an adoption needs time for the placement order and the adoptive placement
    route = np.where((route == ADOPT) & (exit_day - entry < 300), HOME, route)
    return {"age_days": age_days, "dob": dob, "route": route, "exit": exit_day}


def rec_codes(
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


def draw_care_periods(rng: np.random.Generator, cfg: SimConfig) -> CarePeriods:
    """Periods of care of a council of ``cfg.stock`` children in care at a time, in (and before)
    ``cfg``'s window."""
    age_p = ENTRY_AGE_P if cfg.entry_age_p is None else np.asarray(cfg.entry_age_p, dtype=float)
    w0, w1 = days(cfg.window_start), days(cfg.window_end)
    e0 = w0 - int(18 * YEAR) - 30

    # --- entry rates from a pilot draw of period lengths (stock = rate x mean length)
    pilot_n = 20_000
    pilot_entry = np.full(pilot_n, w0, dtype=np.int64)
    mean_len = {}
    for flag in (False, True):
        d = draw_periods(rng, pilot_entry, np.full(pilot_n, flag), age_p=age_p)
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
    first = draw_periods(rng, entry, uasc, age_p=age_p)
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
    second = draw_periods(
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
        [days(year_end(y)) for y in range(cfg.window_start.year + 1, cfg.window_end.year + 1)]
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
    p_rec = rec_codes(rng, p_route, p_uasc, p_exit - p_dob)
    return CarePeriods(
        child=p_child,
        entry=p_entry,
        exit=p_exit,
        route=p_route,
        uasc=p_uasc,
        dob=p_dob,
        rec=p_rec,
        dob_by_draw=dob_child,
    )
