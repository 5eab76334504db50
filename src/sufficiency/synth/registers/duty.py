"""The wider duty's registers for the synthetic council (issue 19), drawn to agree with its
returns: disabled children are the children with disability as their category of need (CIN N2)
or on short breaks (V3/V4) plus children who are not looked after; permanence plans are set for
the children whose episodes show the plan's outcome (ceased home, adopted, special guardianship,
placed with parents, in foster care); care leavers 21-25 extend the OC3 ages; two edge-of-care
programmes report by quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import polars as pl

from sufficiency.codes import FOSTERING_PLACE, SHORT_BREAK_LS
from sufficiency.schema import register_frame
from sufficiency.schema.duty import LEAVER_ACCOMMODATION, NEED_TYPES

#: REC of a period of care that ended in a return home (DfE groups: returned home, to relatives).
HOME_REC = ("E4A", "E4B", "E13")
ADOPTED_REC = ("E11", "E12")
SGO_REC = ("E43", "E44", "E45", "E46", "E47", "E48")
CAO_REC = ("E41",)
#: Short-break unit costs a night (seed 000 §10: £130 foster, £700 residential).
NIGHT_COST = {"foster": 130.0, "residential": 700.0}


def _episodes(returns: Mapping[int, Mapping[str, pl.DataFrame]]) -> pl.DataFrame:
    """The latest return's episodes with real dates."""
    eps = returns[max(returns)]["episodes"]
    return eps.with_columns(
        pl.col("DECOM").str.to_date("%d/%m/%Y"), pl.col("DEC").str.to_date("%d/%m/%Y", strict=False)
    ).sort("CHILD", "DECOM")


def _last(eps: pl.DataFrame) -> pl.DataFrame:
    """Each child's last episode of the return."""
    return eps.unique("CHILD", keep="last", maintain_order=True)


def _pick(rng: np.random.Generator, ids: list[str], share: float) -> list[str]:
    """About ``share`` of ``ids`` (at least one when there are any), in id order."""
    if not ids:
        return []
    k = max(1, round(len(ids) * share))
    return sorted(rng.choice(ids, size=min(k, len(ids)), replace=False).tolist())


def _before(rng: np.random.Generator, d: dt.date, lo: int, hi: int, floor: dt.date) -> dt.date:
    """A date ``lo`` to ``hi`` days before ``d``, not before ``floor``."""
    return max(floor, d - dt.timedelta(days=int(rng.integers(lo, hi))))


def build_disabled_children(
    returns: Mapping[int, Mapping[str, pl.DataFrame]], as_of: dt.date, rng: np.random.Generator
) -> pl.DataFrame:
    """Children with disability as their category of need or on short breaks, plus about as many
    again not looked after; about half have an assessed overnight short-break package."""
    eps = _episodes(returns)
    disabled = set(eps.filter(pl.col("CIN") == "N2").get_column("CHILD").to_list())
    breaks = set(eps.filter(pl.col("LS").is_in(SHORT_BREAK_LS)).get_column("CHILD").to_list())
    rest = sorted(set(eps.get_column("CHILD").to_list()) - disabled - breaks)
    looked_after = sorted(disabled | breaks | set(_pick(rng, rest, 0.08)))
    others = [f"D{i + 1:05d}" for i in range(2 * len(looked_after))]
    rows = []
    for i, child in enumerate(looked_after + others):
        package = child in breaks or (rng.random() < 0.45 and child not in disabled)
        kind = str(rng.choice(["foster", "residential"])) if package else None
        assessed = int(rng.choice([24, 26, 28, 30, 36])) if package else None
        unmet = package and rng.random() < 0.3
        rows.append(
            {
                "child_id": child,
                "need_type": str(rng.choice(NEED_TYPES, p=_NEED_P)),
                "ehcp": bool(rng.random() < 0.7),
                "ehcp_date": (as_of - dt.timedelta(days=int(rng.integers(60, 2000)))).isoformat(),
                "residential_school": bool(rng.random() < 0.08),
                "short_break_type": kind,
                "nights_assessed": assessed,
                "nights_agreed": (0 if unmet else assessed) if package else None,
                "provision_id": None if not package or unmet else f"SB-{kind}-{i % 2 + 1}",
                "assessed_date": (
                    as_of - dt.timedelta(days=int(rng.integers(30, 330)))
                ).isoformat(),
            }
        )
    return register_frame("disabled_children", rows)


#: How often each need type is the primary need (autism most, as in seed 004's OSB services).
_NEED_P = (0.3, 0.2, 0.12, 0.06, 0.14, 0.1, 0.06, 0.02)


def build_short_break_provision(disabled: pl.DataFrame) -> pl.DataFrame:
    """Two foster sleepover schemes and two residential short-break homes (one outside the area,
    each with an emergency bed), offering a little more than the nights they have agreed."""
    agreed = dict(
        disabled.filter(pl.col("provision_id").is_not_null())
        .group_by("provision_id")
        .agg(pl.col("nights_agreed").sum())
        .iter_rows()
    )
    rows = []
    for kind in ("foster", "residential"):
        for n in (1, 2):
            pid = f"SB-{kind}-{n}"
            rows.append(
                {
                    "provision_id": pid,
                    "provider": f"{'Sleepover scheme' if kind == 'foster' else 'Short-break home'} {n}",
                    "short_break_type": kind,
                    "nights_available": int(agreed.get(pid, 0)) + 24 * n,
                    "unit_cost": NIGHT_COST[kind],
                    "households": 3 + n if kind == "foster" else None,
                    "beds": None if kind == "foster" else 2 + n,
                    "in_area": kind == "foster" or n == 1,
                    "emergency_bed": kind == "residential",
                    "urn": None,
                }
            )
    return register_frame("short_break_provision", rows)


def build_permanence_plans(
    returns: Mapping[int, Mapping[str, pl.DataFrame]], as_of: dt.date, rng: np.random.Generator
) -> pl.DataFrame:
    """Plans for the children whose episodes show where the plan led: reunification for those
    who ceased home, are placed with parents, or some in foster care; adoption, SGO and CAO for
    those who ceased so or have a placement order; long-term fostering for some fostered."""
    eps = _episodes(returns).filter(~pl.col("LS").is_in(SHORT_BREAK_LS))
    first = eps.group_by("CHILD").agg(pl.col("DECOM").min().alias("entered"))
    last = _last(eps).join(first, on="CHILD")
    ceased = last.filter(pl.col("DEC").is_not_null() & (pl.col("DEC") <= as_of))
    open_ = last.filter(pl.col("DEC").is_null() | (pl.col("DEC") > as_of))
    rows: list[dict[str, object]] = []

    def plans(frame: pl.DataFrame, plan: str, achieved: bool, **extra: object) -> None:
        for child, entered, dec in frame.select("CHILD", "entered", "DEC").iter_rows():
            end = dec if achieved else as_of
            rows.append(
                {
                    "child_id": child,
                    "plan": plan,
                    "date_set": _before(rng, end, 40, 300, entered).isoformat(),
                    "status": "achieved" if achieved else "open",
                    "outcome_date": dec.isoformat() if achieved else None,
                    **extra,
                }
            )

    plans(ceased.filter(pl.col("REC").is_in(HOME_REC)), "reunification", True)
    plans(ceased.filter(pl.col("REC").is_in(ADOPTED_REC)), "adoption", True)
    plans(ceased.filter(pl.col("REC").is_in(SGO_REC)), "sgo", True)
    plans(ceased.filter(pl.col("REC").is_in(CAO_REC)), "cao", True)
    plans(open_.filter(pl.col("PLACE") == "P1"), "reunification", False)
    plans(open_.filter(pl.col("LS") == "E1"), "adoption", False)
    foster = sorted(open_.filter(pl.col("PLACE").is_in(FOSTERING_PLACE))["CHILD"].to_list())
    home, rest = _split(rng, foster, 0.12)
    kinship = set(open_.filter(pl.col("PLACE") == "U1")["CHILD"].to_list())
    kin = _pick(rng, [c for c in rest if c in kinship], 0.4)
    plans(open_.filter(pl.col("CHILD").is_in(home)), "reunification", False)
    plans(open_.filter(pl.col("CHILD").is_in(kin)), "sgo", False)
    long_term, rest = _split(rng, [c for c in rest if c not in kin], 0.25)
    plans(open_.filter(pl.col("CHILD").is_in(long_term)), "long_term_fostering", False)
    maybe = _pick(rng, rest, 0.1)
    plans(open_.filter(pl.col("CHILD").is_in(maybe)), "sgo", False, might_benefit=True)
    return register_frame("permanence_plans", rows)


def _split(rng: np.random.Generator, ids: list[str], share: float) -> tuple[list[str], list[str]]:
    """About ``share`` of ``ids`` and the rest."""
    chosen = _pick(rng, ids, share)
    return chosen, [i for i in ids if i not in set(chosen)]


def build_care_leavers_25(as_of: dt.date, rng: np.random.Generator, n: int) -> pl.DataFrame:
    """``n`` care-experienced young adults aged 21 to 25 on ``as_of`` (the care leaver tracker
    of seed 000 §11), most in supported or independent accommodation."""
    p = np.array([8, 3, 2, 4, 30, 35, 4, 2, 2, 1, 5, 4], dtype=float)
    rows = []
    for i in range(n):
        months = as_of.year * 12 + as_of.month - 1 - int(rng.integers(21 * 12, 26 * 12))
        accommodation = str(rng.choice(LEAVER_ACCOMMODATION, p=p / p.sum()))
        rows.append(
            {
                "person_id": f"L{i + 1:05d}",
                "birth_month": dt.date(months // 12, months % 12 + 1, 1).isoformat(),
                "accommodation": accommodation,
                "staying_put": accommodation == "staying_put",
                "staying_close": accommodation == "staying_close",
                "in_touch": bool(rng.random() < 0.85),
                "suitable": accommodation
                not in ("custody", "emergency_or_bed_and_breakfast", "no_fixed_abode"),
                "recorded_date": (as_of - dt.timedelta(days=int(rng.integers(0, 90)))).isoformat(),
            }
        )
    return register_frame("care_leavers_25", rows)


def build_interventions(as_of: dt.date, rng: np.random.Generator) -> pl.DataFrame:
    """An edge-of-care team and family group conferencing, one row a quarter for two years."""
    end_q = dt.date(as_of.year, ((as_of.month - 1) // 3) * 3 + 1, 1)
    quarters = [end_q]
    y, m = end_q.year, end_q.month
    for _ in range(7):
        m -= 3
        if m < 1:
            y, m = y - 1, m + 12
        quarters.append(dt.date(y, m, 1))
    rows = []
    for name, start, cost in (
        ("Edge of care team", quarters[-1], 95_000.0),
        ("Family group conferencing", quarters[3], 40_000.0),
    ):
        for q in sorted(quarters):
            if q < start:
                continue
            rows.append(
                {
                    "programme": name,
                    "start": start.isoformat(),
                    "quarter": q.isoformat(),
                    "diverted": int(rng.integers(2, 7)),
                    "returned": int(rng.integers(0, 4)),
                    "cost": cost,
                }
            )
    return register_frame("interventions", rows)


def build_duty_registers(
    returns: Mapping[int, Mapping[str, pl.DataFrame]], as_of: dt.date, seed: int, stock: int
) -> dict[str, pl.DataFrame]:
    """The five registers of the wider duty, consistent with ``returns`` (``stock``: children
    looked after, which sizes the care leavers aged 21-25)."""
    rng = np.random.default_rng(seed + 104_729)
    disabled = build_disabled_children(returns, as_of, rng)
    return {
        "disabled_children": disabled,
        "short_break_provision": build_short_break_provision(disabled),
        "permanence_plans": build_permanence_plans(returns, as_of, rng),
        "care_leavers_25": build_care_leavers_25(as_of, rng, max(5, stock // 12)),
        "interventions": build_interventions(as_of, rng),
    }
