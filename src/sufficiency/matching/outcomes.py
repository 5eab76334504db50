"""Home-finding outcomes: what happened to each referral (registers/outcomes.csv).

One outcomes row per provider approached, in the order they were approached: ``referral_id,
vacancy_id, offered, accepted, placed_date, placed_type, decline_reason`` (optional
``siblings_together``, ``placed_postcode``). The referrals register supplies what was asked
for (``requested_type``, ``siblings``, ``referred_date``). Pure functions of a Dataset and a
Period: placements count in the period their ``placed_date`` falls in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from sufficiency.dates import financial_year
from sufficiency.matching.pool import _str_col, build_pool, date_col
from sufficiency.matching.referral import _norm_token, group_of
from sufficiency.measures.common import memo
from sufficiency.measures.unit_costs import WEEKS_PER_YEAR, weekly_costs

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.measures.catalogue import Period

_TRUE = {"1", "y", "yes", "true", "t"}


@dataclass(frozen=True)
class Placement:
    """One referral that ended in a placement."""

    referral_id: str
    vacancy_id: str
    placed_date: dt.date
    placed_type: str
    requested_type: str | None
    referred_date: dt.date | None
    siblings: int
    first_time: bool  # placed with the first provider approached
    siblings_together: bool | None
    placed_postcode: str


@dataclass(frozen=True)
class Mismatch:
    """Children placed in one group when another was requested, and what it costs a year."""

    requested: str
    placed: str
    count: int
    annual_cost_difference: float | None
    referrals: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "requested": self.requested,
            "placed": self.placed,
            "count": self.count,
            "annual_cost_difference": self.annual_cost_difference,
        }

    def sentence(self) -> str:
        """Staffordshire's wording: "N children placed in X when Y was requested, £Zm a year"."""
        cost = (
            ""
            if self.annual_cost_difference is None
            else f", £{self.annual_cost_difference / 1e6:.1f}m a year more"
        )
        return (
            f"{self.count} children placed in {self.placed} when {self.requested} was "
            f"requested{cost}"
        )


def _bool(text: str) -> bool:
    return text.strip().lower() in _TRUE


def placements(ds: Dataset) -> tuple[Placement, ...]:
    """Every referral in the outcomes register that was placed (its first placed row), read
    once per Dataset (``memo``): each home-finding measure of every year reads them."""
    return memo(ds, "outcome_placements", lambda: _placements(ds))


def _placements(ds: Dataset) -> tuple[Placement, ...]:
    """``placements`` read from the outcomes and referrals registers."""
    out_frame = ds.register("outcomes")
    if out_frame is None or out_frame.height == 0:
        return ()
    ref_frame = ds.register("referrals")
    requested: dict[str, tuple[str | None, int, dt.date | None]] = {}
    if ref_frame is not None:
        id_col = "id" if "id" in ref_frame.columns else "referral_id"
        ids = _str_col(ref_frame, id_col)
        types = _str_col(ref_frame, "requested_type")
        sibs = _str_col(ref_frame, "siblings")
        dates = date_col(ref_frame, "referred_date")
        for rid, t, s, d in zip(ids, types, sibs, dates, strict=True):
            try:
                n_sib = int(float(s)) if s else 0
            except ValueError:
                n_sib = 0
            requested[rid] = (_norm_token(t) or None, n_sib, d)
    rids = _str_col(out_frame, "referral_id")
    vids = _str_col(out_frame, "vacancy_id")
    placed = date_col(out_frame, "placed_date")
    ptype = _str_col(out_frame, "placed_type")
    together = _str_col(out_frame, "siblings_together")
    has_together = "siblings_together" in out_frame.columns
    postcodes = _str_col(out_frame, "placed_postcode")
    seen: set[str] = set()
    done: set[str] = set()
    result: list[Placement] = []
    for i, rid in enumerate(rids):
        first = rid not in seen
        seen.add(rid)
        when = placed[i]
        if when is None or rid in done:
            continue
        done.add(rid)
        req, n_sib, referred = requested.get(rid, (None, 0, None))
        result.append(
            Placement(
                referral_id=rid,
                vacancy_id=vids[i],
                placed_date=when,
                placed_type=_norm_token(ptype[i]),
                requested_type=req,
                referred_date=referred,
                siblings=n_sib,
                first_time=first,
                siblings_together=(_bool(together[i]) if has_together and together[i] else None),
                placed_postcode=postcodes[i],
            )
        )
    return tuple(result)


def in_period(ds: Dataset, period: Period) -> list[Placement]:
    """Placements made in the period (placed_date from start to end inclusive)."""
    return [p for p in placements(ds) if period.start <= p.placed_date <= period.end]


def _group(placement_type: str | None) -> str:
    return group_of(placement_type) or "other"


def matched_first_time(ds: Dataset, period: Period) -> tuple[int, int]:
    """(placed with the first provider approached in the requested group, placed in period).

    Herefordshire's "placements found first time that match the referral request": the first
    provider approached took the child, in the group (foster / residential / supported) asked
    for; with no requested type, the group is not checked.
    """
    made = in_period(ds, period)
    hits = sum(
        1
        for p in made
        if p.first_time
        and (p.requested_type is None or _group(p.placed_type) == _group(p.requested_type))
    )
    return hits, len(made)


def requested_vs_placed(ds: Dataset, period: Period) -> dict[str, dict[str, int]]:
    """Requested group -> placed group -> children (groups: foster, residential, supported,
    other; referrals without a requested type are left out)."""
    table: dict[str, dict[str, int]] = {}
    for p in in_period(ds, period):
        if p.requested_type is None:
            continue
        row = table.setdefault(_group(p.requested_type), {})
        placed = _group(p.placed_type)
        row[placed] = row.get(placed, 0) + 1
    return table


def type_mismatch(
    ds: Dataset, period: Period, requested: str = "foster", placed: str = "residential"
) -> Mismatch:
    """Children placed in group ``placed`` when a type in group ``requested`` was asked for,
    and the yearly cost difference: sum over them of (average weekly cost of the placed type -
    that of the requested type) x 52 (Staffordshire: 88 children, £17.5m a year). Each type's
    weekly cost is ``unit_costs.weekly_costs`` for the financial year of the placement."""
    hits = [
        p
        for p in in_period(ds, period)
        if p.requested_type is not None
        and _group(p.requested_type) == requested
        and _group(p.placed_type) == placed
    ]
    total = 0.0
    known = True
    for p in hits:
        costs = weekly_costs(ds, financial_year(p.placed_date))
        a, b = costs.get(p.placed_type), costs.get(p.requested_type or "")
        if a is None or b is None:
            known = False
            break
        total += (a - b) * WEEKS_PER_YEAR
    cost = round(total, 2) if known else None
    return Mismatch(requested, placed, len(hits), cost, tuple(p.referral_id for p in hits))


def days_to_place(ds: Dataset, period: Period) -> list[int]:
    """Days from referral to placement for each placement in the period with a referral date."""
    return [
        (p.placed_date - p.referred_date).days
        for p in in_period(ds, period)
        if p.referred_date is not None
    ]


def local_share(ds: Dataset, period: Period) -> tuple[int, int]:
    """(placements inside the council's area, placements whose location is known).

    The location is the outcome's ``placed_postcode`` when given, else the vacancy's postcode
    in the vacancies register.
    """
    made = in_period(ds, period)
    if not made:
        return 0, 0
    vac = ds.register("vacancies")
    vac_pc: dict[str, str] = {}
    if vac is not None:
        vac_pc = dict(zip(_str_col(vac, "vacancy_id"), _str_col(vac, "postcode"), strict=True))
    postcodes = [p.placed_postcode or vac_pc.get(p.vacancy_id, "") for p in made]
    frame = pl.DataFrame({"vacancy_id": [str(i) for i in range(len(made))], "postcode": postcodes})
    pool = build_pool(frame, ds.profile.code, ds.profile.neighbours)
    known = pool.location_band != 3
    return int(np.sum(pool.location_band == 0)), int(np.sum(known))


def siblings_together(ds: Dataset, period: Period) -> tuple[int, int]:
    """(sibling-group placements keeping them together, sibling-group placements known).

    Uses the outcome's ``siblings_together``; without it, the placed vacancy's places and
    sibling capacity (vacancies register) say whether the group could be kept together.
    """
    made = [p for p in in_period(ds, period) if p.siblings > 0]
    vac = ds.register("vacancies")
    capacity: dict[str, tuple[int, int]] = {}
    if vac is not None:
        pool = build_pool(
            vac.select([c for c in vac.columns if c in ("vacancy_id", "places", "siblings")])
        )
        capacity = {
            str(v): (int(p), int(s))
            for v, p, s in zip(pool.ids, pool.places, pool.sibling_capacity, strict=True)
        }
    yes = known = 0
    for p in made:
        flag = p.siblings_together
        if flag is None and p.vacancy_id in capacity:
            places, sib = capacity[p.vacancy_id]
            flag = places >= p.siblings + 1 and sib >= p.siblings
        if flag is None:
            continue
        known += 1
        yes += int(flag)
    return yes, known


def decline_reasons(ds: Dataset, period: Period) -> dict[str, int]:
    """Why providers declined or offers were refused: reason -> count (all outcomes rows of
    referrals placed in the period or still open, with a decline_reason)."""
    frame = ds.register("outcomes")
    if frame is None:
        return {}
    placed_ids = {p.referral_id: p for p in placements(ds)}
    counts: dict[str, int] = {}
    for rid, reason in zip(
        _str_col(frame, "referral_id"), _str_col(frame, "decline_reason"), strict=True
    ):
        if not reason:
            continue
        p = placed_ids.get(rid)
        if p is not None and not (period.start <= p.placed_date <= period.end):
            continue
        counts[reason] = counts.get(reason, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def outcomes_summary(ds: Dataset, period: Period | None = None) -> dict[str, Any]:
    """The statement's home-finding figures for the year ending at the data's last date."""
    from sufficiency.measures.catalogue import Period as _Period

    per = period or _Period.year_ending(ds.last_date)
    first, placed = matched_first_time(ds, per)
    mism = type_mismatch(ds, per)
    days = days_to_place(ds, per)
    local, known_loc = local_share(ds, per)
    sib_yes, sib_known = siblings_together(ds, per)
    refs = ds.register("referrals")

    def pct(a: int, b: int) -> float | None:
        return round(100.0 * a / b, 1) if b else None

    return {
        "period_start": per.start.isoformat(),
        "period_end": per.end.isoformat(),
        "referrals": 0 if refs is None else refs.height,
        "children_placed": placed,
        "placed_first_time_as_requested": first,
        "placed_first_time_as_requested_pct": pct(first, placed),
        "requested_foster_placed_residential": mism.count,
        "requested_foster_placed_residential_cost_a_year": mism.annual_cost_difference,
        "median_days_referral_to_placement": float(median(days)) if days else None,
        "placed_locally_pct": pct(local, known_loc),
        "sibling_groups_placed_together_pct": pct(sib_yes, sib_known),
    }
