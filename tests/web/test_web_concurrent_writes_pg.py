"""Writes sent at the same moment (a double click, two people) on PostgreSQL, as production
runs: the same row of a register without a key added once, referral references that differ
only in case created once, and account names (ignoring case) created once with a form error,
never a 500, for the others."""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from home_finding_records import referral_form


def _at_once(posts: list[Callable[[], Any]]) -> list[int]:
    """Run ``posts`` in threads released together; their status codes in order."""
    barrier = threading.Barrier(len(posts))
    codes: list[int] = [0] * len(posts)

    def run(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            codes[i] = posts[i]().status_code
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(posts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return codes


def _client(user: Any) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


@pytest.fixture
def people(transactional_db: None) -> dict[str, Any]:
    from sufficiency.web.operations import create_user

    assert connection.vendor == "postgresql"
    for role in ("admin", "commissioner", "home_finder"):
        create_user(f"{role}_user", role, "correct-horse-battery-staple-9")
    from django.contrib.auth.models import User

    return {u.username.removesuffix("_user"): u for u in User.objects.all()}


def test_the_same_cost_row_sent_four_times_at_once_is_added_once(people: dict[str, Any]) -> None:
    from sufficiency.web.registers.models import Cost

    row = {"placement_type": "in_house_fostering", "year": "2024", "weekly_cost": "999.5"}
    clients = [_client(people["commissioner"]) for _ in range(4)]
    codes = _at_once([lambda c=c: c.post("/registers/costs/new/", row) for c in clients])
    assert collections.Counter(codes) == {302: 1, 400: 3}
    assert Cost.objects.count() == 1


def test_referral_references_differing_in_case_sent_at_once_make_one_referral(
    people: dict[str, Any],
) -> None:
    from sufficiency.web.matching.models import Referral

    refs = ["RACE1", "race1", "Race1", "rACE1"]
    clients = [_client(people["home_finder"]) for _ in refs]
    codes = _at_once(
        [
            lambda c=c, r=r: c.post("/matching/", referral_form(r))
            for c, r in zip(clients, refs, strict=True)
        ]
    )
    assert collections.Counter(codes) == {302: 1, 400: 3}
    assert Referral.objects.count() == 1


def test_accounts_created_at_once_are_one_account_and_form_errors(people: dict[str, Any]) -> None:
    from django.contrib.auth.models import User

    clients = [_client(people["admin"]) for _ in range(4)]

    def new(c: Client, name: str, role: str) -> Callable[[], Any]:
        data = {"username": name, "email": f"{name}@example.org", "role": role}
        return lambda: c.post("/accounts/users/new/", data)

    same = _at_once([new(c, "newbob", "viewer") for c in clients])
    assert collections.Counter(same) == {302: 1, 400: 3}
    assert User.objects.filter(username__iexact="newbob").count() == 1
    names = ["Carol", "carol", "CAROL", "cArol"]
    roles = ["viewer", "admin", "analyst", "home_finder"]
    twins = _at_once([new(c, n, r) for c, n, r in zip(clients, names, roles, strict=True)])
    assert collections.Counter(twins) == {302: 1, 400: 3}
    assert User.objects.filter(username__iexact="carol").count() == 1
