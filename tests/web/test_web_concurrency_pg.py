"""Two simultaneous allocations of the last place of a vacancy, from two connections
(PostgreSQL only, as the web suite runs: see conftest). The vacancy row lock makes the second
wait for the first, which then finds the place taken and says who took it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_allocations_of_the_last_place() -> None:
    from django.contrib.auth.models import User

    from sufficiency.web.matching.models import Allocation, Referral
    from sufficiency.web.matching.services import AllocationError, Verdict, _take_place
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
    finders = {f"R{i}": User.objects.create(username=f"finder_{i}") for i in (1, 2)}
    referrals = [Referral.objects.create(referral_id=rid, data={}) for rid in finders]
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(ref: Referral) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            _take_place(ref, "V1", Verdict("V1", 1.0), finders[ref.referral_id], "")
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
    winner = Allocation.objects.get()
    loser = next(rid for rid in finders if rid != winner.referral.referral_id)
    assert outcomes == {
        winner.referral.referral_id: "allocated",
        loser: f"Vacancy V1's last place was just allocated by {winner.created_by.username} "
        f"(to referral {winner.referral.referral_id}). Nothing was saved: choose another option.",
    }
