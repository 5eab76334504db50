"""Every list page a page at a time, with its filters: page 2 shows the next rows, each filter
narrows to the exact rows expected, the paging links keep the filters, and a bad ``?page=``
gives page 1 or the last page. Pages hold two rows here (``LIST_PAGE_SIZE``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from home_finding_records import make_referral


@pytest.fixture(autouse=True)
def two_a_page(settings: Any) -> None:
    settings.LIST_PAGE_SIZE = 2


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def _found(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html.split('id="main-content"', 1)[1])


def _next_link(html: str) -> str:
    """The href of the page's "Next" paging link."""
    found = re.search(r'href="\?([^"]*)" rel="next"', html)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


REFERRAL = r'<a class="govuk-link" href="/matching/([^/"]+)/">'


def test_referrals_page_by_page_filtered_by_status_urgency_and_reference(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import Allocation, Referral

    for rid, urgency in (
        ("A-101", "today"),
        ("A-102", "later"),
        ("B-201", "today"),
        ("A-103", "today"),
        ("B-202", "under_5_days"),
    ):
        make_referral(rid)
        Referral.objects.filter(referral_id=rid).update(data={"id": rid, "urgency": urgency})
    Allocation.objects.create(
        referral=Referral.objects.get(referral_id="A-102"), vacancy_id="V1", slot=1
    )
    Allocation.objects.create(
        referral=Referral.objects.get(referral_id="B-201"),
        vacancy_id="V2",
        slot=1,
        withdrawn_at="2024-05-01T10:00:00Z",
    )
    c = client_for("home_finder")
    first = _get(c, "/matching/")
    assert _found(first, REFERRAL) == ["B-202", "A-103"]
    assert "5 referrals; page 1 of 3." in first
    assert _found(_get(c, "/matching/?page=2"), REFERRAL) == ["B-201", "A-102"]
    assert _found(_get(c, "/matching/?status=allocated"), REFERRAL) == ["A-102"]
    assert _found(_get(c, "/matching/?status=withdrawn"), REFERRAL) == ["B-201"]
    opened = _get(c, "/matching/?status=open")
    assert _found(opened, REFERRAL) == ["B-202", "A-103"]
    assert _next_link(opened) == "status=open&page=2"
    assert _found(_get(c, "/matching/?" + _next_link(opened)), REFERRAL) == ["A-101"]
    assert _found(_get(c, "/matching/?status=open&urgency=today"), REFERRAL) == ["A-103", "A-101"]
    assert _found(_get(c, "/matching/?q=b-2&status=nonsense"), REFERRAL) == ["B-202", "B-201"]
    for bad, expected in (("x", ["B-202", "A-103"]), ("99", ["A-101"])):
        assert _found(_get(c, f"/matching/?page={bad}"), REFERRAL) == expected


USER = r'<a class="govuk-link" href="/accounts/users/\d+/">([^<]+)</a>'


def test_users_page_by_page_filtered_by_role_status_and_name(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from django.contrib.auth.models import User

    User.objects.filter(username__in=["viewer_user", "director_user"]).update(is_active=False)
    admin = client_for("admin")
    assert _found(_get(admin, "/accounts/users/"), USER) == ["admin_user", "analyst_user"]
    assert _found(_get(admin, "/accounts/users/?page=2"), USER) == [
        "commissioner_user",
        "fostering_manager_user",
    ]
    assert _found(_get(admin, "/accounts/users/?page=3"), USER) == [
        "home_finder_user",
        "regional_user",
    ]
    assert _found(_get(admin, "/accounts/users/?page=4"), USER) == [
        "director_user",
        "viewer_user",
    ]
    assert _found(_get(admin, "/accounts/users/?active=no"), USER) == [
        "director_user",
        "viewer_user",
    ]
    assert _found(_get(admin, "/accounts/users/?role=viewer"), USER) == ["viewer_user"]
    assert _found(_get(admin, "/accounts/users/?role=viewer&active=yes"), USER) == []
    active = _get(admin, "/accounts/users/?active=yes")
    assert "6 accounts match the filters; page 1 of 3." in active
    assert _next_link(active) == "active=yes&page=2"
    assert _found(_get(admin, "/accounts/users/?active=yes&page=3"), USER) == [
        "home_finder_user",
        "regional_user",
    ]
    assert _found(_get(admin, "/accounts/users/?q=MAN"), USER) == ["fostering_manager_user"]
    assert _found(_get(admin, "/accounts/users/?page=0"), USER) == [
        "director_user",
        "viewer_user",
    ]


PROVIDER = r'<a class="govuk-link" href="/providers/\d+/">([^<]+)</a>'


def test_provider_contacts_page_by_page_filtered_by_text(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import ProviderContact

    for pid, name, email in (
        ("P1", "Acorn Homes", "office@acorn.example.org"),
        ("P2", "Birch Care", "beds@birch.example.org"),
        ("P3", "Cedar Lodge", "lodge@cedar.example.org"),
        ("P4", "Damson Fostering", "team@damson.example.org"),
        ("P5", "Elm House", "care@elm.example.org"),
    ):
        ProviderContact.objects.create(provider_id=pid, name=name, email=email)
    c = client_for("home_finder")
    assert _found(_get(c, "/providers/"), PROVIDER) == ["Acorn Homes", "Birch Care"]
    assert _found(_get(c, "/providers/?page=2"), PROVIDER) == ["Cedar Lodge", "Damson Fostering"]
    assert _found(_get(c, "/providers/?q=p4"), PROVIDER) == ["Damson Fostering"]
    cared = _get(c, "/providers/?q=CARE")  # a name and an email address
    assert _found(cared, PROVIDER) == ["Birch Care", "Elm House"]
    assert "2 provider contacts match the filter." in cared
    wide = _get(c, "/providers/?q=example")
    assert _next_link(wide) == "q=example&page=2"
    assert _found(_get(c, "/providers/?q=example&page=last"), PROVIDER) == [
        "Acorn Homes",
        "Birch Care",
    ]
    assert _found(_get(c, "/providers/?q=example&page=3"), PROVIDER) == ["Elm House"]
    assert _found(_get(c, "/providers/?page=7"), PROVIDER) == ["Elm House"]


VACANCY = r'<a class="govuk-link" href="/vacancies/([^/"]+)/">'


def test_notifications_page_by_page_unread_first_filtered_by_read_or_unread(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import Notification

    referral = make_referral("R1")
    for vid in ("V1", "V2", "V3", "V4", "V5"):
        note = Notification.objects.create(referral=referral, vacancy_id=vid)
        if vid in ("V2", "V4"):
            note.read_by.add(users["home_finder"])
    c = client_for("home_finder")
    first = _get(c, "/notifications/")
    assert _found(first, VACANCY) == ["V5", "V3"]
    assert "3 unread." in first
    assert _found(_get(c, "/notifications/?page=2"), VACANCY) == ["V1", "V4"]
    assert _found(_get(c, "/notifications/?page=3"), VACANCY) == ["V2"]
    unread = _get(c, "/notifications/?show=unread")
    assert _next_link(unread) == "show=unread&page=2"
    assert _found(_get(c, "/notifications/?show=unread&page=2"), VACANCY) == ["V1"]
    assert _found(_get(c, "/notifications/?show=read"), VACANCY) == ["V4", "V2"]
    assert _found(_get(c, "/notifications/?show=everything&page=x"), VACANCY) == ["V5", "V3"]
    # another home finder has read none of them
    assert _found(_get(client_for("admin"), "/notifications/?show=read"), VACANCY) == []


SCENARIO = r'<dt class="govuk-summary-list__key">([^<]+)</dt>'


def test_saved_scenarios_page_by_page_filtered_by_name_keeping_the_forecast_settings(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.dashboard.models import Scenario

    for name in ("fewer_entries", "more_carers", "new_home", "more_homes", "step_down"):
        Scenario.objects.create(name=name, text="", owner=users["commissioner"])
    c = client_for("commissioner")
    assert _found(_get(c, "/forecast/"), SCENARIO) == ["fewer_entries", "more_carers"]
    assert _found(_get(c, "/forecast/?page=2"), SCENARIO) == ["more_homes", "new_home"]
    more = _get(c, "/forecast/?q=MORE&horizon=24&page=9")
    assert _found(more, SCENARIO) == ["more_carers", "more_homes"]
    assert '<input type="hidden" name="horizon" value="24">' in more
    assert _found(_get(c, "/forecast/?q=home"), SCENARIO) == ["more_homes", "new_home"]
    wide = _get(c, "/forecast/?q=e&horizon=24")
    assert _next_link(wide) == "horizon=24&q=e&page=2"
    assert _found(_get(c, "/forecast/?" + _next_link(wide)), SCENARIO) == [
        "more_homes",
        "new_home",
    ]
    assert "No saved scenario matches this filter." in _get(c, "/forecast/?q=zzz")


LOCK = r'name="username" value="([^"]+)"'


def test_sign_in_locks_page_by_page_filtered_by_account(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from axes.models import AccessAttempt

    for name in ("lock-a1", "lock-a2", "lock-b1", "lock-a3", "lock-b2"):
        AccessAttempt.objects.create(
            username=name,
            ip_address="10.0.0.9",
            user_agent="test",
            http_accept="*/*",
            path_info="/accounts/login/",
            failures_since_start=5,
        )
    admin = client_for("admin")
    assert _found(_get(admin, "/accounts/lockouts/"), LOCK) == ["lock-b2", "lock-a3"]
    assert _found(_get(admin, "/accounts/lockouts/?page=2"), LOCK) == ["lock-b1", "lock-a2"]
    found = _get(admin, "/accounts/lockouts/?q=LOCK-A")
    assert _found(found, LOCK) == ["lock-a3", "lock-a2"]
    assert _next_link(found) == "q=LOCK-A&page=2"
    assert _found(_get(admin, "/accounts/lockouts/?q=LOCK-A&page=2"), LOCK) == ["lock-a1"]
    assert _found(_get(admin, "/accounts/lockouts/?q=b&page=%00"), LOCK) == ["lock-b2", "lock-b1"]
    assert "No lock matches this filter." in _get(admin, "/accounts/lockouts/?q=nobody")


ARCHIVE = r'id="archive-(\d+)"'


def test_earlier_versions_of_returns_page_by_page_filtered_by_return(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from django.utils import timezone

    from sufficiency.web.data.models import ReturnArchive

    made = [
        ReturnArchive.objects.create(
            year=year, loaded_at=timezone.now(), reason="replaced", files=b""
        ).pk
        for year in (2023, 2024, 2023, 2024, 2023)
    ]
    newest = [str(pk) for pk in reversed(made)]
    c = client_for("analyst")
    first = _get(c, "/data/")
    assert _found(first, ARCHIVE) == newest[:2]
    assert '<option value="2024">2023-24 return</option>' in first
    assert _found(_get(c, "/data/?page=2"), ARCHIVE) == newest[2:4]
    older = _get(c, "/data/?year=2023")
    assert _found(older, ARCHIVE) == [newest[0], newest[2]]
    assert _next_link(older) == "year=2023&page=2"
    assert _found(_get(c, "/data/?year=2023&page=2"), ARCHIVE) == [newest[4]]
    assert _found(_get(c, "/data/?year=2019&page=3"), ARCHIVE) == newest[4:]


def test_the_header_search_has_a_hidden_label_and_no_inline_style(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    page = _get(client_for("viewer"), "/search/")
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert (
        '<label class="govuk-visually-hidden" for="header-search">Search children, carers, '
        "homes, vacancies and referrals</label>"
    ) in header
    assert 'id="header-search" name="q" type="search"' in header
    assert "style=" not in page
