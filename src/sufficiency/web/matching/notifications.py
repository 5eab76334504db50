"""Notifications of new vacancies that suit an open referral.

The workspace notes each vacancy the first time it sees it (``VacancyListing``). A vacancy first
seen after an open referral (one with no place allocated) was made, which the matcher finds meets
every hard rule for it with its free places, becomes a notification for that referral. The
vacancies are looked at whenever a home finder opens the vacancy board, the notifications or the
list of referrals, and before a referral is created (so vacancies already there when a referral
is made are not news about it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from sufficiency.dataset import Dataset
from sufficiency.web.matching import holds, services
from sufficiency.web.matching.models import Allocation, Notification, Referral, VacancyListing
from sufficiency.web.registers.models import Vacancy


def new_vacancies() -> dict[str, Any]:
    """Record every vacancy not seen before; vacancy id -> when it was first seen."""
    known = set(VacancyListing.objects.values_list("vacancy_id", flat=True))
    fresh = [v for v in Vacancy.objects.values_list("vacancy_id", flat=True) if v not in known]
    if not fresh:
        return {}
    VacancyListing.objects.bulk_create(
        [VacancyListing(vacancy_id=v) for v in fresh], ignore_conflicts=True
    )
    return dict(
        VacancyListing.objects.filter(vacancy_id__in=fresh).values_list(
            "vacancy_id", "first_seen_at"
        )
    )


def open_referrals() -> QuerySet[Referral]:
    """Referrals still looking for a home (no place allocated)."""
    placed = Allocation.objects.filter(withdrawn_at__isnull=True).values("referral_id")
    return Referral.objects.exclude(pk__in=placed).order_by("pk")


def scan(load: Callable[[], Dataset | None]) -> list[Notification]:
    """Note new vacancies and notify each open referral made before one that suits it (the data
    is loaded by ``load`` only when there is a new vacancy)."""
    from sufficiency.matching.referral import ReferralError

    with transaction.atomic():
        seen = new_vacancies()
    ds = load() if seen else None
    if ds is None:
        return []
    expired = holds.expiry_dates()
    made = []
    for referral in open_referrals():
        candidates = [
            v
            for v, first in seen.items()
            if first > referral.created_at and not (v in expired and expired[v] < holds.today())
        ]
        if not candidates:
            continue
        try:
            result = services.match(ds, referral.data, referral)
        except ReferralError:
            continue  # the referral's page says why it cannot be matched
        for vacancy_id in candidates:
            judged = services.verdict(result, vacancy_id)
            if judged is None or judged.excluded:
                continue
            note, created = Notification.objects.get_or_create(
                referral=referral, vacancy_id=vacancy_id, defaults={"score": judged.score}
            )
            if created:
                made.append(note)
    return made


def unread(user: Any) -> QuerySet[Notification]:
    """The notifications ``user`` has not marked read, newest first."""
    return (
        Notification.objects.exclude(read_by=user)
        .select_related("referral")
        .order_by("-created_at", "-pk")
    )


def for_user(user: Any, show: str = "") -> QuerySet[Notification]:
    """The notifications as ``user`` sees them, each with ``is_read``: unread first, then read,
    newest first within each; only the unread ones when ``show`` is "unread", only the read ones
    when it is "read"."""
    read = Notification.objects.filter(pk=OuterRef("pk"), read_by=user)
    rows = (
        Notification.objects.annotate(is_read=Exists(read))
        .select_related("referral")
        .order_by("is_read", "-created_at", "-pk")
    )
    return rows.filter(is_read=show == "read") if show in ("unread", "read") else rows


def mark_read(user: Any, ids: list[int] | None = None) -> int:
    """Mark ``ids`` (all unread when None) read for ``user``; how many were marked."""
    notes = unread(user)
    if ids is not None:
        notes = notes.filter(pk__in=ids)
    marked = list(notes)
    for note in marked:
        note.read_by.add(user)
    return len(marked)
