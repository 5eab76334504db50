"""Which provider takes each placement: foster carer and children's-home places are capacity
queues (a slot is free again some days after its placement ends), the rest are filled directly.

This is the one light Python loop of the simulation; its random numbers are drawn in bulk first.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from sufficiency.synth.daynumbers import days
from sufficiency.synth.draws import choice_rows
from sufficiency.synth.parameters import (
    ADOPTION,
    IFA,
    INHOUSE,
    KINSHIP,
    MBU,
    OTHERPUB,
    PARENTS,
    RES_EXT,
    RES_INHOUSE,
    RESSCHOOL,
    SA_K3_FROM,
    SECURE,
    SUPPORTED,
)
from sufficiency.synth.providers import Providers


def assign_providers(
    sup: Providers, plc: pl.DataFrame
) -> tuple[list[str | None], list[str | None], list[str], list[str | None]]:
    """PL_POST, URN, PLACE_PROVIDER and holder (household id or URN) of every placement."""
    kind_np = plc["kind"].to_numpy()
    n = plc.height
    post: list[str | None] = [None] * n
    urn: list[str | None] = [None] * n
    prov: list[str] = ["PR1"] * n
    holder: list[str | None] = [None] * n
    carer_q: list[tuple[int, int]] = []  # (free_from, slot)
    slot_owner: list[int] = []
    home_q: dict[tuple[int, int], list[tuple[int, int]]] = {}
    set_q: dict[int, list[tuple[int, int]]] = {}
    rng = sup.rng
    pids_np = plc["pid"].to_numpy()
    # the placement before this one in the same period (rows are in pid, start order)
    prev_idx = np.where(np.r_[False, pids_np[1:] == pids_np[:-1]], np.arange(n) - 1, -1)
    # random numbers drawn in bulk (a scalar draw per placement is the slow part)
    u_post = rng.random(n)
    ifa_pick = choice_rows(rng, np.tile(sup.ifa_w, (n, 1))) if n else np.zeros(0, int)
    off_carer = rng.integers(1, 60, n).tolist()
    off_home = rng.integers(7, 90, n).tolist()
    off_set = rng.integers(3, 45, n).tolist()
    _fill_direct(sup, plc, u_post, ifa_pick, post, urn, prov, holder)
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
                lambda sl: sup.carers[slot_owner[sl]]["household_id"],
                prev,
            )
            if slot_found is not None:
                slot = slot_found
            else:
                hh = sup.new_household("mainstream", s, 0)
                places = int(hh["places"])
                first_slot = len(slot_owner)
                for _ in range(places):
                    slot_owner.append(len(sup.carers) - 1)
                for extra in range(1, places):
                    heapq.heappush(carer_q, (s, first_slot + extra))
                slot = first_slot
            hh = sup.carers[slot_owner[slot]]
            heapq.heappush(carer_q, (e + int(off_carer[i]), slot))
            hh["last_end"] = max(int(hh["last_end"]), e)
            hh["placements"].append((s, e))
            post[i], urn[i], prov[i], holder[i] = (
                str(hh["postcode"]),
                str(sup.la_fostering["urn"]),
                "PR1",
                str(hh["household_id"]),
            )
        elif k == KINSHIP:
            hh = sup.new_household("kinship", s, b)
            hh["last_end"] = e
            hh["placements"].append((s, e))
            post[i], urn[i], prov[i], holder[i] = (
                str(hh["postcode"]),
                str(sup.la_fostering["urn"]),
                "PR1",
                str(hh["household_id"]),
            )
        elif k in (RES_INHOUSE, RES_EXT, MBU, RESSCHOOL, SECURE):
            key = (k, b)
            q = home_q.setdefault(key, [])
            found = _take(q, s, lambda x: sup.homes[x]["urn"], prev)
            if found is not None:
                h = found
            else:
                h = sup.new_home(k, b, s)
                for _ in range(int(sup.homes[h]["our_slots"]) - 1):
                    heapq.heappush(q, (s, h))
            heapq.heappush(q, (e + int(off_home[i]), h))
            hm = sup.homes[h]
            post[i], urn[i], holder[i] = str(hm["postcode"]), str(hm["urn"]), str(hm["urn"])
            prov[i] = str(hm["provider_code"])
            hm["placements"].append((s, e))
        elif k == SUPPORTED:
            if e > days(SA_K3_FROM):
                b = 0
            qs = set_q.setdefault(b, [])
            found = _take(qs, s, lambda x: sup.settings[x]["urn"], prev)
            if found is not None:
                h = found
            else:
                h = sup.new_setting(b, s)
                for _ in range(int(sup.settings[h]["units"]) - 1):
                    heapq.heappush(qs, (s, h))
            heapq.heappush(qs, (e + int(off_set[i]), h))
            st = sup.settings[h]
            post[i], urn[i], holder[i], prov[i] = (
                str(st["postcode"]),
                str(st["urn"]),
                str(st["urn"]),
                str(st["provider_code"]),
            )
            st["placements"].append((s, e))
    return post, urn, prov, holder


def _fill_direct(
    sup: Providers,
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
        pool = sup.pool_pcd[band]
        at = np.flatnonzero(loc == band)
        if len(at) and len(pool):
            pos = np.minimum((u_post[at] * len(pool)).astype(np.int64), len(pool) - 1)
            drawn[at] = pool.gather(pos).to_numpy()
    ifa_urn = np.array([str(a["urn"]) for a in sup.ifas], dtype=object)
    ifa_prov = np.array(
        ["PR4" if a["sector"] == "private" else "PR5" for a in sup.ifas], dtype=object
    )
    for i in np.flatnonzero(kind == IFA).tolist():
        post[i], urn[i], prov[i], holder[i] = (
            drawn[i],
            ifa_urn[ifa_pick[i]],
            ifa_prov[ifa_pick[i]],
            ifa_urn[ifa_pick[i]],
        )
    other = str(sup.other_la["urn"])
    for i in np.flatnonzero(kind == OTHERPUB).tolist():
        post[i], urn[i], prov[i], holder[i] = drawn[i], other, "PR2", other
    adoption = str(sup.la_adoption["urn"])
    for i in np.flatnonzero(kind == ADOPTION).tolist():
        post[i], urn[i], prov[i], holder[i] = drawn[i], adoption, "PR1", adoption
    for i in np.flatnonzero(kind == PARENTS).tolist():
        post[i], urn[i], prov[i] = str(home[i]), None, "PR0"


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
