"""The referrals list: each referral's status and the referrals a home finder's filters choose
(status, urgency, text in the reference), newest first.

A referral is ``allocated`` while a place is allocated to it, ``withdrawn`` when its allocation
was withdrawn and no other place is allocated (the child needs a home again), and ``open`` when
no place was ever allocated."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from sufficiency.web.matching.models import Allocation, Referral

#: Each status and its title.
STATUSES = (("open", "Open"), ("allocated", "Allocated"), ("withdrawn", "Allocation withdrawn"))


def referral_rows(status: str = "", urgency: str = "", q: str = "") -> QuerySet[Referral]:
    """Referrals with ``status`` and ``urgency`` (any when ''), whose reference contains ``q``
    (any case); each with ``placed_in`` (the vacancy of its live allocation, or None) and
    ``status``."""
    mine = Allocation.objects.filter(referral=OuterRef("pk"))
    rows = Referral.objects.annotate(
        placed_in=Subquery(mine.filter(withdrawn_at__isnull=True).values("vacancy_id")[:1]),
        was_withdrawn=Exists(mine.filter(withdrawn_at__isnull=False)),
    ).order_by("-created_at", "-pk")
    if status == "allocated":
        rows = rows.filter(placed_in__isnull=False)
    elif status in ("open", "withdrawn"):
        rows = rows.filter(placed_in__isnull=True, was_withdrawn=status == "withdrawn")
    if urgency:
        rows = rows.filter(data__urgency=urgency)
    if q:
        rows = rows.filter(referral_id__icontains=q)
    return rows


def status_of(row: Referral) -> str:
    """The status of a row of ``referral_rows``."""
    if getattr(row, "placed_in", None):
        return "allocated"
    return "withdrawn" if getattr(row, "was_withdrawn", False) else "open"
