"""Two simultaneous allocations of the last place of a vacancy, from two connections
(PostgreSQL only: collected by test_web_postgresql's run)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_allocations_of_the_last_place() -> None:
    from sufficiency.web.matching.models import Allocation, Referral
    from sufficiency.web.matching.services import AllocationError, allocate
    from sufficiency.web.registers.models import Vacancy

    assert connection.vendor == "postgresql"
    Vacancy.objects.create(
        vacancy_id="V1",
        provider_kind="ifa",
        provider_id="P1",
        placement_type="ifa",
        places=1,
        available_from=dt.date(2024, 1, 1),
    )
    referrals = [Referral.objects.create(referral_id=f"R{i}", data={}) for i in (1, 2)]
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(ref: Referral) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            allocate(ref, "V1", 1.0)
            outcomes[ref.referral_id] = "allocated"
        except AllocationError as exc:
            outcomes[ref.referral_id] = str(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in referrals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) == [
        "Vacancy V1 has no places left: all 1 are allocated. Choose another option.",
        "allocated",
    ]
    assert Allocation.objects.count() == 1
