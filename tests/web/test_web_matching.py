"""Allocation of vacancy places: never twice, never beyond capacity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sufficiency.web.matching.services import AllocationError, allocate


@pytest.fixture
def vacancy(db: None) -> object:
    from sufficiency.web.registers.models import Vacancy

    return Vacancy.objects.create(
        vacancy_id="V1",
        provider_kind="in_house_carer",
        provider_id="H1",
        placement_type="in_house_fostering",
        places=2,
        available_from=dt.date(2024, 1, 1),
    )


def _referral(rid: str) -> Any:
    from sufficiency.web.matching.models import Referral

    return Referral.objects.create(referral_id=rid, data={"id": rid})


def test_places_are_allocated_until_full(vacancy: object) -> None:
    a = allocate(_referral("R1"), "V1", 10.0)
    b = allocate(_referral("R2"), "V1", 9.0)
    assert (a.slot, b.slot) == (1, 2)
    with pytest.raises(AllocationError, match="Vacancy V1 has no places left: all 2 are allocated"):
        allocate(_referral("R3"), "V1", 8.0)


def test_a_referral_gets_one_place(vacancy: object) -> None:
    r = _referral("R1")
    allocate(r, "V1", 1.0)
    with pytest.raises(AllocationError, match="already has a place"):
        allocate(r, "V1", 1.0)


def test_the_database_refuses_a_second_child_in_the_same_place(vacancy: object) -> None:
    from django.db import IntegrityError, transaction

    from sufficiency.web.matching.models import Allocation

    Allocation.objects.create(referral=_referral("R1"), vacancy=vacancy, slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(referral=_referral("R2"), vacancy=vacancy, slot=1)
