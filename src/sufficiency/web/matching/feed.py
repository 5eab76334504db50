"""Home finding done on the web feeds the figures: referrals, allocations and outcomes recorded in
the workspace become rows of the referrals and outcomes registers of the DATA folder the Dataset
is built from (``bridge.export_data_folder``), beside the imported rows. So the home-finding
measures, the dashboard and the statement count them exactly as they count a register file.

Each referral's approaches are written in the order they happened: an allocation is an offer of
its vacancy (withdrawn: declined, with the reason), unless an outcome was recorded for that
vacancy, which then stands for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from django.utils import timezone

from sufficiency.web.matching.models import Allocation, Outcome, Referral
from sufficiency.web.revision_sql import Aggregate

WEB_SOURCE = "home finding recorded in the workspace"


def _yes(value: object) -> str:
    return "yes" if value else "no"


def _text(value: object) -> str:
    return "" if value is None else str(value)


def referral_row(referral: Referral) -> dict[str, str]:
    """A web referral as a row of the referrals register (text cells, as a file has them)."""
    data: dict[str, Any] = referral.data or {}
    child = data.get("child") or {}
    suit = data.get("suitability") or {}
    avoid = [
        f"{a.get('postcode', '')}:{a.get('min_miles', 0)}"
        for a in data.get("avoid_areas") or []
        if a.get("postcode")
    ]
    return {
        "referral_id": referral.referral_id,
        "age": _text(child.get("age")),
        "sex": _text(child.get("sex")),
        "home_postcode": _text(child.get("home_postcode")),
        "school_postcode": _text(child.get("school_postcode")),
        "uasc": _yes(child.get("uasc")),
        "disability": _yes(child.get("disability")),
        "needed_by": _text(data.get("needed_by")),
        "urgency": _text(data.get("urgency")),
        "siblings": _text(data.get("siblings", 0)),
        "requested_type": _text(data.get("requested_type")),
        "suitability_foster": _text(suit.get("foster")),
        "suitability_residential": _text(suit.get("residential")),
        "suitability_supported": _text(suit.get("supported")),
        "needs": ";".join(str(n) for n in data.get("needs") or []),
        "avoid_areas": ";".join(avoid),
        "budget_weekly": _text(data.get("budget_weekly")),
        "referred_date": timezone.localtime(referral.created_at).date().isoformat(),
    }


def outcome_rows(postcodes: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Every web referral's approaches, in order: recorded outcomes, and allocations no outcome
    stands for (``postcodes``: vacancy id -> postcode, for where a child was placed)."""
    postcodes = postcodes or {}
    events: list[tuple[Any, int, dict[str, str]]] = []
    recorded = set(Outcome.objects.values_list("referral_id", "vacancy_id"))
    for a in Allocation.objects.select_related("referral").order_by("created_at", "pk"):
        if (a.referral_id, a.vacancy_id) in recorded:
            continue
        withdrawn = a.withdrawn_at is not None
        row = {
            "referral_id": a.referral.referral_id,
            "vacancy_id": a.vacancy_id,
            "offered": "yes",
            "accepted": "no" if withdrawn else "",
            "decline_reason": f"allocation withdrawn: {a.withdrawal_reason}" if withdrawn else "",
        }
        events.append((a.created_at, a.pk, row))
    for o in Outcome.objects.select_related("referral").order_by("recorded_at", "pk"):
        row = {
            "referral_id": o.referral.referral_id,
            "vacancy_id": o.vacancy_id,
            "offered": _yes(o.offered),
            "accepted": _yes(o.accepted),
            "placed_date": o.placed_date.isoformat() if o.placed_date else "",
            "placed_type": o.placed_type,
            "decline_reason": o.decline_reason,
            "placed_postcode": postcodes.get(o.vacancy_id, "") if o.placed_date else "",
        }
        events.append((o.recorded_at, o.pk, row))
    return [row for _, _, row in sorted(events, key=lambda e: (e[0], e[1]))]


def _typed(name: str, rows: list[dict[str, str]]) -> pl.DataFrame:
    """Text rows typed by the library's register parser (as a file's rows would be)."""
    from sufficiency.ingest.registers import parse_register

    columns = list(dict.fromkeys(k for row in rows for k in row))
    raw = pl.DataFrame(
        {c: [row.get(c, "") for row in rows] for c in columns},
        schema={c: pl.Utf8 for c in columns},
    )
    typed, _ = parse_register(name, raw, WEB_SOURCE)
    return typed


def add_home_finding(folder: Path) -> None:
    """Add the web's referrals and outcomes to ``folder``'s registers (``registers/``).

    A web referral replaces an imported row with the same reference ignoring case (the same
    spelling: an exported folder imported again). A reference repeated ignoring case, which
    the forms and imports refuse but a workspace may hold from before, keeps its oldest web
    referral only (``references.clashes`` names the rest on every page), so the register stays
    readable and the figures and the matcher keep working.
    """
    from sufficiency.ingest.registers import write_register
    from sufficiency.web.matching.references import kept_referrals
    from sufficiency.web.registers.store import register_frame

    referrals = kept_referrals(
        [referral_row(r) for r in Referral.objects.order_by("created_at", "pk")]
    )
    if not referrals:
        return
    from sufficiency.web.registers.models import Vacancy

    postcodes = {
        str(v): str(p or "") for v, p in Vacancy.objects.values_list("vacancy_id", "postcode")
    }
    web_ids = [r["referral_id"].lower() for r in referrals]
    imported = register_frame("referrals").filter(
        ~pl.col("referral_id").str.to_lowercase().is_in(web_ids)
    )
    merged = pl.concat([imported, _typed("referrals", referrals)], how="diagonal_relaxed")
    folder.mkdir(parents=True, exist_ok=True)
    write_register("referrals", merged, folder / "referrals.csv")
    outcomes = outcome_rows(postcodes)
    if outcomes:
        merged = pl.concat(
            [register_frame("outcomes"), _typed("outcomes", outcomes)], how="diagonal_relaxed"
        )
        write_register("outcomes", merged, folder / "outcomes.csv")


def revision_aggregates() -> list[Aggregate]:
    """What changes whenever a web referral, allocation or outcome does (Dataset cache key)."""
    return [
        (Referral, "COUNT(*)"),
        (Referral, "MAX({id})"),
        (Referral, "MAX({updated_at})"),
        (Allocation, "COUNT(*)"),
        (Allocation, "MAX({id})"),
        (Allocation, "MAX({created_at})"),
        (Allocation, "MAX({withdrawn_at})"),
        (Outcome, "COUNT(*)"),
        (Outcome, "MAX({id})"),
        (Outcome, "MAX({recorded_at})"),
    ]
