"""The vacancy board: statuses and expiry, holding a place for a referral (never given to another
referral while the hold lasts; an expired hold frees it), provider contacts, and notifications
of a new vacancy for the open referral it suits only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.test import Client
from home_finding_records import make_referral, make_vacancy

from sufficiency.web.matching.services import AllocationError, allocate


def _ds() -> Any:
    from sufficiency.web import bridge

    return bridge.current_dataset().dataset


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _statuses(page: str) -> dict[str, str]:
    """Vacancy id -> status shown on a page of the board."""
    return dict(
        re.findall(
            r'<tr class="govuk-table__row" id="vacancy-([^"]+)">.*?app-status-[a-z]+">([A-Za-z]+)<',
            page,
            flags=re.S,
        )
    )


@pytest.fixture
def board(loaded: Path, users: dict[str, Any]) -> None:
    """The small council plus V1 (one place, any age) with a provider contact; the vacancies
    there are already known to the workspace (not news)."""
    from sufficiency.web.matching.models import ProviderContact
    from sufficiency.web.matching.notifications import new_vacancies

    make_vacancy("V1")
    new_vacancies()
    ProviderContact.objects.create(
        provider_id="FCV1", name="The Ash family", email="ash@example.org", phone="01432 111222"
    )


def test_a_held_place_goes_to_no_other_referral_until_released_expired_or_allocated(
    board: None, users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.matching.models import Hold
    from sufficiency.web.matching.services import allocation_problems, places_problem, withdraw
    from sufficiency.web.registers.models import Vacancy

    r1, r2 = make_referral("R1"), make_referral("R2")
    c = client_for("home_finder")
    # an offer past its expiry day can be neither held nor allocated
    other = str(Vacancy.objects.exclude(vacancy_id="V1").values_list("vacancy_id", flat=True)[0])
    yesterday = dt.date.today() - dt.timedelta(days=1)
    saved = c.post(f"/vacancies/{other}/", {"expires_on": yesterday.isoformat()}, follow=True)
    assert _messages(saved) == [f"Vacancy {other}'s offer expiry saved: {yesterday:%d/%m/%Y}."]
    assert _statuses(c.get("/vacancies/?status=expired").content.decode()) == {other: "Expired"}
    expired = f"Vacancy {other}'s offer expired on {yesterday:%d/%m/%Y}: it cannot be taken."
    hold = c.post("/matching/R1/hold/", {"vacancy_id": other, "days": "1"}, follow=True)
    assert _messages(hold) == [expired]
    with pytest.raises(AllocationError, match=re.escape(expired)):
        allocate(r1, other, _ds(), users["home_finder"])

    # held for R1: no other referral can hold or be allocated it, even by override
    held = c.post("/matching/R1/hold/", {"vacancy_id": "V1", "days": "3"}, follow=True)
    until = dt.date.today() + dt.timedelta(days=3)
    assert _messages(held) == [
        f"A place of vacancy V1 is held for referral R1 until the end of {until:%d/%m/%Y}."
    ]
    page = c.get("/vacancies/?q=V1").content.decode()
    assert _statuses(page) == {"V1": "Held"}
    assert "ash@example.org" in page and "01432 111222" in page and "The Ash family" in page
    refused = (
        f"Vacancy V1's free place is held for referral R1 until {until:%d/%m/%Y}. Nothing was "
        "saved: choose another option, or wait until the hold is released or expires."
    )
    with pytest.raises(AllocationError, match=re.escape(refused)):
        allocate(r2, "V1", _ds(), users["admin"], override_reason="urgent", may_override=True)
    again = c.post("/matching/R2/hold/", {"vacancy_id": "V1", "days": "1"}, follow=True)
    assert _messages(again) == [refused]
    assert places_problem("V1", 0) == (
        f"Vacancy V1 has 1 place held for referral R1 until {until:%d/%m/%Y} (release the hold "
        "first): it cannot have fewer than 1."
    )
    dropped = allocation_problems(pl.DataFrame({"vacancy_id": ["V2"], "places": [1]}), "v.csv")
    assert [(p.code, p.column, p.value, p.message) for p in dropped] == [
        (
            "vacancy_held",
            "vacancy_id",
            "V1",
            f"Vacancy V1 has 1 place held for referral R1 until {until:%d/%m/%Y} (release the "
            "hold first): the vacancy must stay in the register with at least 1 place",
        )
    ]

    # released with a reason: the place is free
    unreasoned = c.post("/matching/R1/release/", {"reason": ""}, follow=True)
    assert _messages(unreasoned) == [
        "The hold was not released: Give the reason for releasing the hold."
    ]
    released = c.post("/matching/R1/release/", {"reason": "family found"}, follow=True)
    assert _messages(released) == ["The hold on vacancy V1 was released."]
    assert _statuses(c.get("/vacancies/?q=V1").content.decode()) == {"V1": "Open"}

    # a hold past its expiry day frees the place without anyone acting
    c.post("/matching/R1/hold/", {"vacancy_id": "V1", "days": "2"}, follow=True)
    Hold.objects.filter(released_at__isnull=True).update(expires_on=yesterday)
    assert _statuses(c.get("/vacancies/?q=V1").content.decode()) == {"V1": "Open"}
    assert allocate(r2, "V1", _ds(), users["home_finder"]).slot == 1
    withdraw(r2, "placed elsewhere", users["home_finder"])

    # allocated to the referral it is held for: the hold ends with the allocation
    c.post("/matching/R1/hold/", {"vacancy_id": "V1", "days": "1"}, follow=True)
    made = allocate(r1, "V1", _ds(), users["home_finder"])
    assert (made.referral_id, made.slot) == (r1.pk, 1)
    last = Hold.objects.latest("pk")
    assert (last.release_reason, last.released_at is not None) == ("allocated vacancy V1", True)
    assert _statuses(c.get("/vacancies/?status=allocated").content.decode()) == {"V1": "Allocated"}
    assert LogEntry.objects.get_for_model(Hold).filter(object_pk=str(last.pk)).count() == 2


def test_the_board_pages_and_a_new_vacancy_is_notified_for_the_referral_it_suits_only(
    board: None, users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import Notification
    from sufficiency.web.registers.models import Vacancy

    c = client_for("home_finder")
    first = c.get("/vacancies/").content.decode()
    total = Vacancy.objects.count()
    pages = -(-total // 25)
    assert f"{total} vacancies, page 1 of {pages}" in first
    assert len(_statuses(first)) == min(total, 25)
    seen = set()
    for n in range(1, pages + 1):
        seen |= set(_statuses(c.get(f"/vacancies/?page={n}").content.decode()))
    assert seen == set(Vacancy.objects.values_list("vacancy_id", flat=True))
    assert client_for("analyst").get("/vacancies/").status_code == 403
    make_referral("R12", age=12)
    make_referral("R3", age=3)
    placed = make_referral("RP", age=12)
    allocate(placed, "V1", _ds(), users["home_finder"])
    make_vacancy("V9", places=1, age_min=10, age_max=15)
    page = c.get("/notifications/").content.decode()
    unread = page.split('id="unread"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(
        r'suits referral <a class="govuk-link" href="/matching/([^/]+)/">', unread
    ) == ["R12"]
    assert list(Notification.objects.values_list("referral__referral_id", "vacancy_id")) == [
        ("R12", "V9")
    ]
    note = Notification.objects.get()
    marked = c.post("/notifications/", {"id": str(note.pk)}, follow=True)
    assert _messages(marked) == ["1 notification marked read."]
    assert "<li>None.</li>" in marked.content.decode()
    other = client_for("admin").get("/notifications/").content.decode()
    assert f'id="notification-{note.pk}"' in other  # read for one home finder only
    c.get("/vacancies/")
    assert Notification.objects.count() == 1  # a vacancy is news once
