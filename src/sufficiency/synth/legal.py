"""Legal statuses within each period of care: police protection -> interim care order -> care
order -> placement order, and the adoption timeline they lead to."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sufficiency.synth.parameters import ADOPT, CAO, HOME, SGO, TO18
from sufficiency.synth.periods import CarePeriods


@dataclass(frozen=True)
class LegalStatuses:
    """Legal status changes (pid, t, LS) and, per period, the adoptive placement's start."""

    frame: pl.DataFrame
    adopt: np.ndarray  # the period ends in adoption
    adoptive_start: np.ndarray  # start of the adoptive placement (meaningful where ``adopt``)


def draw_legal_statuses(rng: np.random.Generator, care: CarePeriods) -> LegalStatuses:
    """The legal status at entry and every change after it, for every period of care."""
    n_periods, pid = care.size, care.pid
    p_uasc, p_route, p_entry, p_exit = care.uasc, care.route, care.entry, care.exit
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
    return LegalStatuses(frame=legal, adopt=adopt, adoptive_start=a_place)
