"""Allocating a vacancy place to a referral: never twice, even under concurrent requests."""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl
from django.db import IntegrityError, transaction
from django.db.models import Count

from sufficiency.dataset import Dataset
from sufficiency.web.matching.models import Allocation, Referral
from sufficiency.web.registers.models import Vacancy


class AllocationError(Exception):
    """The allocation could not be made; the message is shown to the user as it is."""


def allocate(referral: Referral, vacancy_id: str, score: float, user: Any = None) -> Allocation:
    """Take the next free place of the vacancy for the referral, in one transaction.

    The vacancy row is locked (SELECT ... FOR UPDATE) while its places are counted, and the
    (vacancy, slot) unique constraint stops a second insert of the same place on any database.
    """
    try:
        with transaction.atomic():
            vacancy = Vacancy.objects.select_for_update().get(vacancy_id=vacancy_id)
            if Allocation.objects.filter(referral=referral).exists():
                raise AllocationError(
                    f"Referral {referral.referral_id} already has a place allocated."
                )
            taken = Allocation.objects.filter(vacancy=vacancy).count()
            if taken >= vacancy.places:
                raise AllocationError(
                    f"Vacancy {vacancy_id} has no places left: all {vacancy.places} are allocated. "
                    "Choose another option."
                )
            made: Allocation = Allocation.objects.create(
                referral=referral,
                vacancy=vacancy,
                slot=taken + 1,
                score=score,
                created_by=user if getattr(user, "pk", None) else None,
            )
            return made
    except Vacancy.DoesNotExist as exc:
        raise AllocationError(f"Vacancy {vacancy_id} does not exist.") from exc
    except IntegrityError as exc:
        raise AllocationError(
            f"Vacancy {vacancy_id}'s last place was allocated by someone else a moment ago. "
            "Nothing was saved: choose another option."
        ) from exc


def with_free_places(ds: Dataset) -> Dataset:
    """The Dataset whose vacancies register counts only places not yet allocated."""
    vac = ds.register("vacancies")
    if vac is None or vac.height == 0:
        return ds
    taken = dict(
        Vacancy.objects.annotate(n=Count("allocations"))
        .filter(n__gt=0)
        .values_list("vacancy_id", "n")
    )
    if not taken:
        return ds
    places = pl.col("places").cast(pl.Int64, strict=False)
    used = (
        pl.col("vacancy_id").cast(pl.Utf8).replace_strict(taken, default=0, return_dtype=pl.Int64)
    )
    free = vac.with_columns((places - used).clip(lower_bound=0).alias("places"))
    free = free.filter(pl.col("places") > 0)
    registers = dict(ds.registers)
    registers["vacancies"] = free
    return dataclasses.replace(ds, registers=registers)
