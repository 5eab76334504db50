"""Holding a vacancy place for a referral while the placement is arranged.

A hold is taken only when the matcher (``services.match``) finds the vacancy meets every hard
rule for the referral with its free places: no override can hold an excluded vacancy. The place
is taken in one transaction that locks the vacancy row, as an allocation is, and counts against
the vacancy's places for every other referral until it is released or its expiry day passes.
A referral holds at most one place; allocating it releases the hold. Every hold and release is
an audited change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sufficiency.dataset import Dataset
from sufficiency.web.matching import holds, services
from sufficiency.web.matching.models import Allocation, Hold, Referral
from sufficiency.web.registers.models import Vacancy


def hold(referral: Referral, vacancy_id: str, days: int, ds: Dataset | None, user: Any) -> Hold:
    """Hold a place of ``vacancy_id`` for ``referral`` for ``days`` days (to the end of the last).

    Raises AllocationError with the message to show when it cannot be held.
    """
    from sufficiency.matching.referral import ReferralError

    if not 1 <= days <= holds.MAX_HOLD_DAYS:
        raise services.AllocationError(
            f"A place can be held for 1 to {holds.MAX_HOLD_DAYS} days, not {days}."
        )
    if ds is None:
        raise services.AllocationError("No data is loaded, so vacancies cannot be held.")
    expired = holds.expired_message(vacancy_id)
    if expired:
        raise services.AllocationError(expired)
    try:
        judged = services.verdict(services.match(ds, referral.data, referral), vacancy_id)
    except ReferralError as exc:
        raise services.AllocationError(str(exc)) from exc
    if judged is None:
        raise services.AllocationError(f"Vacancy {vacancy_id} is not in the vacancies register.")
    if judged.excluded and {r for r, _ in judged.excluded_by} != {"capacity"}:
        why = "; ".join(f"{rule}: {text}" for rule, text in judged.excluded_by)
        raise services.AllocationError(
            f"Vacancy {vacancy_id} cannot be held: the matcher excludes it ({why})."
        )
    with transaction.atomic():
        try:
            vacancy: Any = Vacancy.objects.select_for_update().get(vacancy_id=vacancy_id)
        except Vacancy.DoesNotExist as exc:
            raise services.AllocationError(
                f"Vacancy {vacancy_id} is not in the vacancies register."
            ) from exc
        Referral.objects.select_for_update().filter(pk=referral.pk).exists()
        if services.live(referral) is not None:
            raise services.AllocationError(
                f"Referral {referral.referral_id} already has a place allocated."
            )
        mine = holds.hold_of(referral)
        if mine is not None:
            raise services.AllocationError(
                f"Referral {referral.referral_id} already holds vacancy {mine.vacancy_id} until "
                f"{mine.expires_on:%d/%m/%Y}: release that hold first."
            )
        places = int(vacancy.places or 0)
        allocated = Allocation.objects.filter(
            vacancy_id=vacancy_id, withdrawn_at__isnull=True
        ).count()
        if allocated >= places:
            raise services.AllocationError(
                f"Vacancy {vacancy_id} has no places free: all {places} are allocated."
            )
        if allocated + holds.held_places(referral).get(vacancy_id, 0) >= places:
            raise services.AllocationError(holds.held_message(vacancy_id, referral))
        made: Hold = Hold.objects.create(
            referral=referral,
            vacancy_id=vacancy_id,
            expires_on=holds.today() + dt.timedelta(days=days),
            created_by=user if getattr(user, "pk", None) else None,
        )
        return made


def release(referral: Referral, reason: str, user: Any) -> Hold:
    """Release the referral's hold, with a reason: its place is free again."""
    reason = reason.strip()
    if not reason:
        raise services.AllocationError("Give the reason for releasing the hold.")
    with transaction.atomic():
        released = services.release_holds(referral, reason, user)
    if not released:
        raise services.AllocationError(f"Referral {referral.referral_id} holds no place.")
    return released[0]
