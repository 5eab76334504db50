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


COSTS = b"placement_type,year,weekly_cost\nifa,2025,900\nifa,2025,900.5\nsecure,2025,7000\n"


@pytest.mark.django_db(transaction=True)
def test_an_import_confirmed_four_times_at_once_lands_once() -> None:
    """A double-click (or four) on "Confirm and import": one request imports the file, the others
    say it was already imported; no row is added twice (costs has no key to refuse a copy, and
    a copied row breaks the Dataset) and no request fails with a server error."""
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from sufficiency.web.operations import create_user
    from sufficiency.web.registers.models import Cost, StagedImport

    create_user("commissioner_user", "commissioner", "correct-horse-battery-staple-9")
    user = User.objects.get(username="commissioner_user")
    first = Client()
    first.force_login(user)
    checked = first.post(
        "/registers/costs/import/", {"file": SimpleUploadedFile("costs.csv", COSTS)}
    )
    assert checked.status_code == 302
    confirm = checked["Location"] + "confirm/"
    barrier = threading.Barrier(4)
    answers: list[tuple[int, str]] = []

    def click() -> None:
        from django.db import connection as thread_connection

        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            done = client.post(confirm, follow=True)
            answers.append((done.status_code, done.content.decode()))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(status for status, _ in answers) == [200, 200, 200, 200]
    imported = [body for _, body in answers if "Imported costs.csv" in body]
    again = [
        body for _, body in answers if "This import was already confirmed or cancelled" in body
    ]
    assert (len(imported), len(again)) == (1, 3)
    assert sorted(Cost.rows.values_list("placement_type", "weekly_cost")) == [
        ("ifa", 900.0),
        ("ifa", 900.5),
        ("secure", 7000.0),
    ]
    assert not StagedImport.objects.exists()
