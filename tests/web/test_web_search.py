"""Search across children, carers, homes, vacancies and referrals, each by what the role may see
(issue 20); the children list searched and paged."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client


def _sections(html: str) -> dict[str, int]:
    return {k: int(n) for k, n in re.findall(r'data-results="(\w+)" data-total="(\d+)"', html)}


def test_search_finds_what_each_role_may_see_and_lists_are_paged(
    loaded: Any, users: dict[str, object], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.data.models import Child
    from sufficiency.web.matching.models import Referral
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    ids = sorted(set(Child.objects.values_list("child", flat=True)))
    q = ids[0][:-2]  # a prefix many children share
    expected = sum(q.lower() in cid.lower() for cid in ids)
    assert expected > 25
    Referral.objects.create(referral_id=f"REF-{q}", data={"urgency": "high"})
    carer = EDITABLE_REGISTERS["carers"].objects.order_by("pk").first()
    assert carer is not None

    analyst = client_for("analyst")
    page = analyst.get("/search/", {"q": q})
    html = page.content.decode()
    assert page.status_code == 200
    found = _sections(html)
    # an analyst: children and the registers; no referrals (home finding)
    assert set(found) == {"children", "carers", "homes", "vacancies"}
    assert found["children"] == expected
    assert len(re.findall(r'href="/data/children/[^?"]+/"', html)) == 5  # a few, then "see all"
    assert f"See all {expected} children" in html
    entry = LogEntry.objects.filter(object_repr=f"search {q!r}").get()
    assert entry.actor == users["analyst"]
    assert entry.additional_data["children"] == expected
    # one kind, a page at a time
    first = analyst.get("/search/", {"q": q, "in": "children"}).content.decode()
    second = analyst.get("/search/", {"q": q, "in": "children", "page": 2}).content.decode()
    listed = re.findall(r'href="/data/children/([^/"]+)/"', first + second)
    assert listed == [cid for cid in ids if q.lower() in cid.lower()][:50]
    assert 'aria-label="Pages of results"' in first
    # a carer household found by its id
    carers = _sections(analyst.get("/search/", {"q": carer.household_id}).content.decode())
    assert carers["carers"] >= 1

    # a vacancy: its register row for an analyst, the vacancy board for a home finder
    vacancy = EDITABLE_REGISTERS["vacancies"].objects.order_by("pk").first()
    assert vacancy is not None
    vq = {"q": vacancy.vacancy_id, "in": "vacancies"}
    assert (
        f"/registers/vacancies/{vacancy.pk}/history/"
        in analyst.get("/search/", vq).content.decode()
    )
    board = client_for("home_finder").get("/search/", vq).content.decode()
    assert f'href="/vacancies/{vacancy.vacancy_id}/"' in board
    # a home finder: vacancies and referrals, never children (even when asked for them)
    finder = client_for("home_finder").get("/search/", {"q": q, "in": "children"})
    assert set(_sections(finder.content.decode())) == {"carers", "homes", "vacancies", "referrals"}
    assert "/data/children/" not in finder.content.decode()
    assert f"/matching/REF-{q}/" in finder.content.decode()
    # a viewer sees published figures only: nothing to search
    viewer = client_for("viewer").get("/search/", {"q": q}).content.decode()
    assert _sections(viewer) == {} and "Your role has nothing to search." in viewer
    # the search box is in every page's header
    assert (
        'action="/search/" role="search"' in client_for("viewer").get("/search/").content.decode()
    )

    # the children list: searched and a page at a time
    first = analyst.get("/data/children/").content.decode()
    assert f'data-children="{len(ids)}"' in first
    shown = re.findall(r'<a class="govuk-link" href="/data/children/([^/"]+)/"', first)
    assert shown == ids[:50]
    last = analyst.get("/data/children/", {"page": 999}).content.decode()  # the last page
    assert (
        re.findall(r'<a class="govuk-link" href="/data/children/([^/"]+)/"', last)
        == ids[(len(ids) - 1) // 50 * 50 :]
    )
    one = analyst.get("/data/children/", {"q": ids[3]}).content.decode()
    assert f'data-children="{sum(ids[3] in c for c in ids)}"' in one
