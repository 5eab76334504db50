"""Every URL in the URL conf, as every role: refused roles get 403 and no data; anonymous users
are sent to the sign-in page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sufficiency.web.accounts import password_reset
from sufficiency.web.accounts.roles import CAPABILITIES, ROLES

PUBLIC = {
    "accounts/login/",
    "accounts/logout/",
    "^assets/(?P<path>.*)$",
    "health/",
    # a forgotten password is reset before signing in (Django's views, no capability)
    *(route for route, _view, _name in password_reset.ROUTES),
}
SAMPLE = {
    "year": "2024",
    "name": "vacancies",
    "pk": "1",
    "child": "C0001",
    "referral_id": "R1",
    "mode": "publish",
    "fmt": "json",
    "path": "fonts/x.woff2",
    "section": "foreword",
}


def _patterns(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in resolvers:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _url(route: str, **sample: str) -> str:
    path = route
    for key, value in {**SAMPLE, **sample}.items():
        for conv in ("int", "str", "path", "slug"):
            path = path.replace(f"<{conv}:{key}>", value)
    return "/" + path.lstrip("^").rstrip("$")


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def inline_scripts(html: str) -> list[str]:
    """Script elements that carry code in the page (the CSP forbids them): any <script> without
    src whose type is not a JSON data block."""
    found = []
    for attrs, body in SCRIPT.findall(html):
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue
        found.append(body.strip()[:80] or attrs)
    return found


def test_the_inline_script_check_finds_code() -> None:
    page = '<script src="/static/a.js"></script><script type="application/json">{}</script><script>alert(1)</script>'
    assert inline_scripts(page) == ["alert(1)"]


ROUTES = [(route, p) for route, p in _patterns(get_resolver().url_patterns)]


def test_every_route_is_public_or_names_a_capability() -> None:
    for route, pattern in ROUTES:
        if route in PUBLIC:
            continue
        assert getattr(pattern.callback, "capability", None) in CAPABILITIES, route


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, _ in ROUTES if r not in PUBLIC])
def test_anonymous_users_are_sent_to_sign_in(route: str) -> None:
    response = Client().get(_url(route))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.slow
def test_refused_roles_get_403_without_data(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.accounts.roles import register_edit_capability
    from sufficiency.web.data.models import Child
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    child_ids = list(Child.objects.values_list("child", flat=True)[:20])
    SAMPLE["child"] = child_ids[0]
    checked = 0
    rendered: set[str] = set()  # an allowed page is rendered once, by the first role allowed it
    for role in ROLES:
        client = client_for(role)
        # a register route is tried on a register the role may edit (each has its own check)
        name = next(
            (n for n in EDITABLE_REGISTERS if role in CAPABILITIES[register_edit_capability(n)]),
            SAMPLE["name"],
        )
        for route, pattern in ROUTES:
            if route in PUBLIC:
                continue
            cap = pattern.callback.capability
            allowed = role in CAPABILITIES[cap]
            if allowed and route in rendered:
                continue
            response = client.get(_url(route, name=name))
            if allowed:
                rendered.add(route)
                assert response.status_code != 403, (role, route)
                assert response.status_code < 500, (role, route)
                if response.get("Content-Type", "").startswith("text/html"):
                    assert inline_scripts(response.content.decode()) == [], (role, route)
                    assert "unsafe" not in response["Content-Security-Policy"]
            else:
                checked += 1
                assert response.status_code == 403, (role, route, response.status_code)
                body = response.content.decode()
                assert not any(cid in body for cid in child_ids), (role, route)
    assert checked > 20


def test_home_finders_may_edit_vacancies_but_not_other_registers(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("home_finder")
    assert client.get("/registers/vacancies/new/").status_code == 200
    assert client.get("/registers/carers/new/").status_code == 403
    assert client_for("viewer").get("/registers/vacancies/").status_code == 403


def test_viewers_cannot_download_internal_statements(client_for: Callable[[str], Client]) -> None:
    assert client_for("viewer").get("/statement/2024/internal/html/").status_code == 403


def test_the_director_has_every_analyst_capability_except_edits() -> None:
    analyst = {cap for cap, roles in CAPABILITIES.items() if "analyst" in roles}
    director = {cap for cap, roles in CAPABILITIES.items() if "director" in roles}
    # the director publishes the statement and sees the region (a regional team's pages)
    assert director - analyst == {"statement_publish", "region_view"}
    assert analyst - director == {
        "upload",
        "narrative_edit",
        "scenario_edit",
        "register_edit_any",
        "child_registers_edit",
    }


def test_the_fostering_manager_edits_the_fostering_registers_only() -> None:
    from sufficiency.web.accounts.roles import FOSTERING_REGISTERS, register_edit_capability
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    editable = {
        name
        for name in EDITABLE_REGISTERS
        if "fostering_manager" in CAPABILITIES[register_edit_capability(name)]
    }
    assert editable == FOSTERING_REGISTERS == {"carers", "recruitment", "adopters"}
    assert "fostering_manager" not in CAPABILITIES["child_data"]
    assert "fostering_manager" not in CAPABILITIES["dashboard_unsuppressed"]
