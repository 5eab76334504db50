"""Which vacancy places are held for a referral now: a hold is live until the end of its expiry
day unless released first, so an expired hold frees its place without anyone acting on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from sufficiency.web.matching.models import Hold, Referral, VacancyListing

#: The longest a home finder may hold a place for a referral (days from today).
MAX_HOLD_DAYS = 14


def today() -> dt.date:
    """The council's date now (holds and offers expire at the end of a local day)."""
    now: dt.date = timezone.localdate()
    return now


def live_holds() -> QuerySet[Hold]:
    """Holds in force: not released and not past their expiry day."""
    return Hold.objects.filter(released_at__isnull=True, expires_on__gte=today())


def held_places(holder: Referral | None = None) -> dict[str, int]:
    """Vacancy id -> places held by live holds of referrals other than ``holder``."""
    holds = live_holds()
    if holder is not None:
        holds = holds.exclude(referral=holder)
    return dict(holds.values("vacancy_id").annotate(n=Count("pk")).values_list("vacancy_id", "n"))


def live_key() -> tuple[tuple[str, int], ...]:
    """The live holds as (vacancy id, referral pk) pairs: a key for results that depend on them."""
    return tuple(live_holds().order_by("pk").values_list("vacancy_id", "referral_id"))


def hold_of(referral: Referral) -> Hold | None:
    """The referral's live hold, if any (a referral holds at most one place at a time)."""
    found: Hold | None = live_holds().filter(referral=referral).first()
    return found


def expiry_dates() -> dict[str, dt.date]:
    """Vacancy id -> the day its offer expires (vacancies with an expiry only)."""
    return dict(
        VacancyListing.objects.filter(expires_on__isnull=False).values_list(
            "vacancy_id", "expires_on"
        )
    )


def expired_message(vacancy_id: str) -> str | None:
    """Why ``vacancy_id`` can no longer be held or allocated (its offer expired), or None."""
    expires = expiry_dates().get(vacancy_id)
    if expires is not None and expires < today():
        return f"Vacancy {vacancy_id}'s offer expired on {expires:%d/%m/%Y}: it cannot be taken."
    return None


def hold_text(vacancy_id: str, n: int) -> str:
    """ "Vacancy V1 has 1 place held for referral R1 until 30/11/2026: release the hold first"."""
    first: Hold | None = (
        live_holds().filter(vacancy_id=vacancy_id).select_related("referral").order_by("pk").first()
    )
    whom = (
        f" for referral {first.referral.referral_id} until {first.expires_on:%d/%m/%Y}"
        if first
        else ""
    )
    places = f"{n} place{'s' if n != 1 else ''}"
    return f"Vacancy {vacancy_id} has {places} held{whom} (release the hold first)"


def held_message(vacancy_id: str, holder: Referral | None) -> str:
    """Who holds the vacancy's free places (the hold expiring soonest is named)."""
    holds: Any = live_holds().filter(vacancy_id=vacancy_id).select_related("referral")
    if holder is not None:
        holds = holds.exclude(referral=holder)
    first: Hold | None = holds.order_by("expires_on", "pk").first()
    if first is None:
        return f"Vacancy {vacancy_id} has no places free. Nothing was saved: choose another option."
    return (
        f"Vacancy {vacancy_id}'s free place is held for referral {first.referral.referral_id} "
        f"until {first.expires_on:%d/%m/%Y}. Nothing was saved: choose another option, or wait "
        "until the hold is released or expires."
    )
