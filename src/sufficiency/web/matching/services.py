"""Allocating a vacancy place to a referral, with the matcher's own verdict, never twice.

The server re-runs the library's hard rules and score for the referral against the vacancies with
their free places (``sufficiency.matching``): the score stored is the server's, never one a
browser sent. A vacancy the matcher excluded can be allocated only by a role that may override,
with a reason, and the failing rules are recorded with it. The place itself is taken in one
transaction that locks the vacancy row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write lock
is taken when the transaction begins) and a unique (vacancy, slot) constraint stops a second
child in the same place on any database. Whoever loses a race is told who just took the place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count
from django.utils import timezone

from sufficiency.dataset import Dataset
from sufficiency.ingest.problems import Problem
from sufficiency.web.matching import holds
from sufficiency.web.matching.models import Allocation, Hold, Referral
from sufficiency.web.registers.models import Vacancy

#: Rules no override can set aside: a place that is not free cannot be given.
NOT_OVERRIDABLE = frozenset({"capacity"})
#: An allocation made this recently is one the loser of a race "just" missed.
JUST = dt.timedelta(minutes=10)


class AllocationError(Exception):
    """The allocation could not be made; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Verdict:
    """What the matcher says about one vacancy for one referral."""

    vacancy_id: str
    #: The score the matcher gives it; None when a hard rule excludes it.
    score: float | None
    #: (rule, reason) for each hard rule the vacancy fails, in the matcher's order.
    excluded_by: tuple[tuple[str, str], ...] = ()

    @property
    def excluded(self) -> bool:
        return bool(self.excluded_by)


def live(referral: Referral) -> Allocation | None:
    """The referral's allocation in force (not withdrawn), if any."""
    held: Allocation | None = referral.allocations.filter(withdrawn_at__isnull=True).first()
    return held


def allocated_places() -> dict[str, int]:
    """Vacancy id -> places held by live allocations."""
    return dict(
        Allocation.objects.filter(withdrawn_at__isnull=True)
        .values("vacancy_id")
        .annotate(n=Count("pk"))
        .values_list("vacancy_id", "n")
    )


def places_problem(vacancy_id: str, places: int | None) -> str | None:
    """Why ``vacancy_id`` cannot have ``places`` places (fewer than it has allocated), or None."""
    held = Allocation.objects.filter(vacancy_id=vacancy_id, withdrawn_at__isnull=True).count()
    if held and (places or 0) < held:
        return (
            f"Vacancy {vacancy_id} has {held} place{'s' if held != 1 else ''} allocated: it "
            f"cannot have fewer than {held}. Withdraw an allocation first."
        )
    kept = holds.held_places().get(vacancy_id, 0)
    if kept and (places or 0) < held + kept:
        return f"{holds.hold_text(vacancy_id, kept)}: it cannot have fewer than {held + kept}."
    return None


def allocation_problems(vacancies: pl.DataFrame, file: str) -> list[Problem]:
    """Errors for a vacancies register that would leave allocations without their places: a
    vacancy with live allocations or holds missing from it, or with fewer places than those."""
    held = allocated_places()
    kept = holds.held_places()
    if not held and not kept:
        return []
    ids = vacancies.get_column("vacancy_id").cast(pl.Utf8).to_list()
    places = vacancies.get_column("places").to_list()
    given = {
        str(v): (int(n) if n is not None else 0, row)
        for row, (v, n) in enumerate(zip(ids, places, strict=True), start=2)
    }
    problems = []
    for vacancy_id, k in sorted(kept.items()):
        n = held.get(vacancy_id, 0) + k
        if vacancy_id in given and given[vacancy_id][0] >= n:
            continue
        cells = (
            (given[vacancy_id][1], "places", str(given[vacancy_id][0]))
            if vacancy_id in given
            else (None, "vacancy_id", vacancy_id)
        )
        problems.append(
            Problem(
                "error",
                "vacancy_held",
                file,
                cells[0],
                cells[1],
                cells[2],
                f"{holds.hold_text(vacancy_id, k)}: the vacancy must stay in the register with at "
                f"least {n} place{'s' if n != 1 else ''}",
            )
        )
    for vacancy_id, n in sorted(held.items()):
        if vacancy_id in kept:
            continue  # the places it must keep are its allocations and holds, reported above
        if vacancy_id not in given:
            problems.append(
                Problem(
                    "error",
                    "vacancy_allocated",
                    file,
                    None,
                    "vacancy_id",
                    vacancy_id,
                    f"vacancy {vacancy_id} has {n} place{'s' if n != 1 else ''} allocated, so it "
                    "must stay in the register: withdraw its allocations first",
                )
            )
        elif given[vacancy_id][0] < n:
            problems.append(
                Problem(
                    "error",
                    "places_below_allocations",
                    file,
                    given[vacancy_id][1],
                    "places",
                    str(given[vacancy_id][0]),
                    f"vacancy {vacancy_id} has {n} place{'s' if n != 1 else ''} allocated: it "
                    f"cannot have fewer than {n}; withdraw an allocation first",
                )
            )
    return problems


def with_free_places(ds: Dataset, holder: Referral | None = None) -> Dataset:
    """The Dataset whose vacancies register counts only places not yet allocated nor held for
    a referral other than ``holder`` (a full vacancy stays, with 0 places, so the matcher says
    why it is excluded)."""
    vac = ds.register("vacancies")
    if vac is None or vac.height == 0:
        return ds
    taken = allocated_places()
    for vacancy_id, n in holds.held_places(holder).items():
        taken[vacancy_id] = taken.get(vacancy_id, 0) + n
    if not taken:
        return ds
    places = pl.col("places").cast(pl.Int64, strict=False)
    used = (
        pl.col("vacancy_id").cast(pl.Utf8).replace_strict(taken, default=0, return_dtype=pl.Int64)
    )
    free = vac.with_columns(
        (places - used).clip(lower_bound=0).cast(vac.schema["places"]).alias("places")
    )
    registers = dict(ds.registers)
    registers["vacancies"] = free
    return dataclasses.replace(ds, registers=registers)


def match(ds: Dataset, referral_data: dict[str, Any], holder: Referral | None = None) -> Any:
    """The library's match of a referral against the vacancies' free places (a MatchResult;
    ReferralError when the referral cannot be read); places held for ``holder`` count as free."""
    from sufficiency.matching.engine import match_referral
    from sufficiency.matching.pool import pool_from_dataset
    from sufficiency.matching.referral import parse_referral

    return match_referral(
        pool_from_dataset(with_free_places(ds, holder)),
        parse_referral(referral_data, source="referral"),
    )


def verdict(result: Any, vacancy_id: str) -> Verdict | None:
    """The matcher's verdict on ``vacancy_id`` within a match result (None: not in the pool)."""
    from sufficiency.matching.reasons import exclusion_reason
    from sufficiency.matching.rules import RULES

    pool, ev = result.pool, result.evaluation
    try:
        i = pool.index_of(vacancy_id)
    except KeyError:
        return None
    if bool(ev.feasible[i]):
        return Verdict(vacancy_id, float(ev.score[i]))
    failing = [rule for rule in RULES if bool(ev.fails[rule][i])]
    return Verdict(
        vacancy_id, None, tuple((rule, exclusion_reason(pool, ev, rule, i)) for rule in failing)
    )


def _name(user: Any) -> str:
    if user is None:
        return "someone"
    return str(user.get_full_name() or user.get_username())


def _taken_message(vacancy_id: str, places: int) -> str:
    """Who holds the vacancy's places: "just allocated by NAME" when it happened moments ago."""
    last = (
        Allocation.objects.filter(vacancy_id=vacancy_id, withdrawn_at__isnull=True)
        .select_related("created_by", "referral")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None:
        return f"Vacancy {vacancy_id} has no places free. Nothing was saved: choose another option."
    who = _name(last.created_by)
    if timezone.now() - last.created_at <= JUST:
        return (
            f"Vacancy {vacancy_id}'s last place was just allocated by {who} (to referral "
            f"{last.referral.referral_id}). Nothing was saved: choose another option."
        )
    return (
        f"Vacancy {vacancy_id} has no places left: all {places} are allocated (the last by "
        f"{who} on {timezone.localtime(last.created_at):%d/%m/%Y}). Choose another option."
    )


def _already_message(referral: Referral) -> str:
    held = live(referral)
    if held is None:
        return f"Referral {referral.referral_id} already has a place allocated."
    return (
        f"Referral {referral.referral_id} was just allocated vacancy {held.vacancy_id} by "
        f"{_name(held.created_by)}. Withdraw that allocation first to choose another."
    )


def allocate(
    referral: Referral,
    vacancy_id: str,
    ds: Dataset | None,
    user: Any = None,
    override_reason: str = "",
    may_override: bool = False,
) -> Allocation:
    """Allocate the next free place of ``vacancy_id`` to ``referral`` after the matcher's verdict.

    Raises AllocationError with the message to show when the vacancy is unknown or full, when it
    is excluded and there is no permitted override with a reason, or when someone else got there
    first.
    """
    from sufficiency.matching.referral import ReferralError

    if ds is None:
        raise AllocationError("No data is loaded, so vacancies cannot be matched or allocated.")
    expired = holds.expired_message(vacancy_id)
    if expired:
        raise AllocationError(expired)
    try:
        judged = verdict(match(ds, referral.data, referral), vacancy_id)
    except ReferralError as exc:
        raise AllocationError(str(exc)) from exc
    if judged is None:
        raise AllocationError(f"Vacancy {vacancy_id} is not in the vacancies register.")
    reason = override_reason.strip()
    if judged.excluded:
        rules = {rule for rule, _ in judged.excluded_by}
        why = "; ".join(f"{rule}: {text}" for rule, text in judged.excluded_by)
        if rules <= NOT_OVERRIDABLE:
            pass  # the places are counted again under the lock, and the message names who
        elif rules & NOT_OVERRIDABLE:
            raise AllocationError(f"Vacancy {vacancy_id} cannot be allocated: {why}.")
        elif not may_override:
            raise AllocationError(
                f"Vacancy {vacancy_id} was excluded by the matcher ({why}). Only an "
                "administrator can allocate an excluded vacancy, with a reason."
            )
        elif not reason:
            raise AllocationError(
                f"Vacancy {vacancy_id} was excluded by the matcher ({why}): give the reason for "
                "allocating it anyway."
            )
    return _take_place(referral, vacancy_id, judged, user, reason if judged.excluded else "")


def _take_place(
    referral: Referral, vacancy_id: str, judged: Verdict, user: Any, reason: str
) -> Allocation:
    """Take the lowest free slot of the vacancy for the referral (one transaction)."""
    try:
        with transaction.atomic():
            vacancy: Any = Vacancy.objects.select_for_update().get(vacancy_id=vacancy_id)
            places = int(vacancy.places or 0)
            Referral.objects.select_for_update().filter(pk=referral.pk).exists()
            if live(referral) is not None:
                raise AllocationError(_already_message(referral))
            taken = sorted(
                Allocation.objects.filter(
                    vacancy_id=vacancy_id, withdrawn_at__isnull=True
                ).values_list("slot", flat=True)
            )
            if len(taken) >= places:
                raise AllocationError(_taken_message(vacancy_id, places))
            if len(taken) + holds.held_places(referral).get(vacancy_id, 0) >= places:
                raise AllocationError(holds.held_message(vacancy_id, referral))
            slot = next(s for s in range(1, places + 1) if s not in taken)
            made: Allocation = Allocation.objects.create(
                referral=referral,
                vacancy_id=vacancy_id,
                slot=slot,
                score=judged.score,
                excluded_by=[list(pair) for pair in judged.excluded_by],
                override_reason=reason,
                created_by=user if getattr(user, "pk", None) else None,
            )
            release_holds(referral, f"allocated vacancy {vacancy_id}", user)
            return made
    except Vacancy.DoesNotExist as exc:
        raise AllocationError(f"Vacancy {vacancy_id} is not in the vacancies register.") from exc
    except (IntegrityError, OperationalError) as exc:
        # Someone else's allocation of the same place or referral committed first (the unique
        # constraints), or SQLite's lock wait ran out while theirs was being saved.
        if live(referral) is not None:
            raise AllocationError(_already_message(referral)) from exc
        held = Allocation.objects.filter(vacancy_id=vacancy_id, withdrawn_at__isnull=True).count()
        places = int(
            Vacancy.objects.filter(vacancy_id=vacancy_id).values_list("places", flat=True).first()
            or 0
        )
        if held and held >= places:
            raise AllocationError(_taken_message(vacancy_id, places)) from exc
        raise AllocationError(
            f"Someone else was saving an allocation of vacancy {vacancy_id} at the same moment. "
            "Nothing was saved: try again."
        ) from exc


def withdraw(referral: Referral, reason: str, user: Any = None) -> Allocation:
    """Withdraw the referral's live allocation (its place is free again), with a reason."""
    reason = reason.strip()
    if not reason:
        raise AllocationError("Give the reason for withdrawing the allocation.")
    with transaction.atomic():
        held: Allocation | None = (
            Allocation.objects.select_for_update()
            .filter(referral=referral, withdrawn_at__isnull=True)
            .first()
        )
        if held is None:
            raise AllocationError(f"Referral {referral.referral_id} has no allocation to withdraw.")
        held.withdrawn_at = timezone.now()
        held.withdrawn_by = user if getattr(user, "pk", None) else None
        held.withdrawal_reason = reason
        held.save()
        return held


def record_once(referral: Referral, records: Any, what: str, user: Any, **values: Any) -> Any:
    """Record ``values`` in ``records`` (the referral's outcomes or providers' answers) by
    ``user``, unless the referral has that record already (the same form sent twice): the
    referral row is locked while it looks, so two sent at once record one."""
    with transaction.atomic():
        Referral.objects.select_for_update().filter(pk=referral.pk).exists()
        if records.filter(**values).exists():
            raise AllocationError(
                f"{what} is already recorded for referral {referral.referral_id}: it was not "
                "recorded again."
            )
        return records.create(recorded_by=user if getattr(user, "pk", None) else None, **values)


def release_holds(referral: Referral, reason: str, user: Any = None) -> list[Hold]:
    """Release the referral's live holds (each an audited change), with the reason."""
    released = []
    for held in holds.live_holds().select_for_update().filter(referral=referral):
        held.released_at = timezone.now()
        held.released_by = user if getattr(user, "pk", None) else None
        held.release_reason = reason
        held.save()
        released.append(held)
    return released
