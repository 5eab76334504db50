"""Pages kept once rendered (web.rendered): shown again without being built again while nothing
they show can have changed, never to another user, with each session's own CSRF token, and
built afresh once any request that could write has finished. The session's idle clock is saved
at most once a minute (web.middleware.IdleSessionMiddleware)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sufficiency.web import page_cache, rendered

PAGES = ["/", "/?theme=placements", "/statement/", "/registers/carers/", "/forecast/"]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> list[str]:
    """Each page built (not taken from memory) by ``rendered.page``: its template. The test has
    a shared cache of its own, so that changes made by tests in other processes, which mark the
    shared cache, do not reach it."""
    folder = tmp_path / "cache" / "pages"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "LOCATION": str(folder)},
    }
    page_cache.forget_local()
    built: list[str] = []
    real = rendered.render_to_string

    def counting(template: str, context: Any = None, request: Any = None) -> str:
        built.append(template)
        html: str = real(template, context, request)
        return html

    monkeypatch.setattr(rendered, "render_to_string", counting)
    return built


def _token(html: str) -> str:
    found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(found) == 1, found
    return found.pop()


def _without_token(response: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_page_shown_again_is_not_built_again(
    loaded: Path, client_for: Callable[[str], Client], builds: list[str]
) -> None:
    admin = client_for("admin")
    first = {path: admin.get(path) for path in PAGES}
    assert len(builds) == len(PAGES)
    again = {path: admin.get(path) for path in PAGES}
    assert len(builds) == len(PAGES)  # every page from memory
    for path in PAGES:
        assert again[path].status_code == 200
        # the same page, but for the CSRF token, which Django masks afresh for every response
        assert _without_token(again[path]) == _without_token(first[path])


def test_a_page_is_kept_per_role_with_each_users_own_name(
    loaded: Path, client_for: Callable[[str], Client], users: dict[str, Any], builds: list[str]
) -> None:
    from sufficiency.web.operations import create_user

    admin, analyst = client_for("admin"), client_for("analyst")
    assert b"admin_user" in admin.get("/statement/").content
    page = analyst.get("/statement/").content
    assert b"analyst_user" in page and b"admin_user" not in page
    assert builds == ["web/statement.html", "web/statement.html"]  # another role: built anew
    create_user("second&analyst", "analyst", "correct-horse-battery-staple-9")
    other = Client()
    other.force_login(type(users["analyst"]).objects.get(username="second&analyst"))
    page = other.get("/statement/").content.decode()
    assert len(builds) == 2  # the analysts' page, kept
    assert "Signed in as <strong>second&amp;analyst</strong>" in page
    assert "analyst_user" not in page and rendered.USER_PLACEHOLDER not in page


def test_a_page_showing_what_is_the_users_own_is_kept_per_user(
    loaded: Path, users: dict[str, Any], builds: list[str]
) -> None:
    from sufficiency.web.operations import create_user

    create_user("second_analyst", "analyst", "correct-horse-battery-staple-9")
    first, second = Client(), Client()
    first.force_login(users["analyst"])
    second.force_login(type(users["analyst"]).objects.get(username="second_analyst"))
    text = "entries:\n  - {category: external_residential, multiply: 0.5}"
    assert first.post("/forecast/scenarios/new/", {"name": "mine", "text": text}).status_code == 302
    assert first.get("/forecast/").status_code == 200  # with the message: not kept
    own = first.get("/forecast/").content.decode()
    theirs = second.get("/forecast/").content.decode()
    assert builds.count("web/forecast.html") == 3
    assert "Yours" in own and "Yours" not in theirs and "Saved by analyst_user" in theirs


def test_each_session_gets_its_own_csrf_token_and_can_post_with_it(
    loaded: Path, users: dict[str, Any], builds: list[str]
) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(users["admin"])
    second.force_login(users["admin"])
    one = first.get("/statement/").content.decode()
    two = second.get("/statement/").content.decode()
    assert builds == ["web/statement.html"]  # one user: the second session reads the kept page
    assert rendered.TOKEN_PLACEHOLDER not in one + two
    token = _token(two)
    assert token != _token(one)
    # the kept page's token is the second session's own: signing out with it is accepted
    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert second.get("/statement/").status_code == 302  # signed out


def test_a_page_is_built_again_after_any_change_made_on_the_web(
    loaded: Path, client_for: Callable[[str], Client], builds: list[str]
) -> None:
    analyst = client_for("analyst")
    assert b"half_residential" not in analyst.get("/forecast/").content
    text = "entries:\n  - {category: external_residential, multiply: 0.5}"
    saved = analyst.post("/forecast/scenarios/new/", {"name": "half_residential", "text": text})
    assert saved.status_code == 302, saved.content[-2000:]
    # the saved scenario, not the page kept before it, with the message the save left
    after_save = analyst.get("/forecast/").content
    assert b"half_residential" in after_save and b"Scenario half_residential saved." in after_save
    # the page with the message was not kept: the next shows the scenario, without the message
    later = analyst.get("/forecast/").content
    assert b"half_residential" in later and b"Scenario half_residential saved." not in later
    assert builds.count("web/forecast.html") == 3
    analyst.get("/forecast/")
    assert builds.count("web/forecast.html") == 3


def test_a_page_is_kept_for_one_day_only(
    loaded: Path,
    client_for: Callable[[str], Client],
    builds: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = client_for("admin")
    admin.get("/statement/")
    admin.get("/statement/")

    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    monkeypatch.setattr(rendered, "today", lambda: tomorrow)
    admin.get("/statement/")
    assert builds == ["web/statement.html", "web/statement.html"]


def test_the_idle_clock_is_saved_at_most_once_a_minute(
    users: dict[str, Any], settings: Any
) -> None:
    from django.contrib.sessions.models import Session

    client = Client()
    client.force_login(users["viewer"])
    assert client.get("/statement/").status_code == 200
    saved = Session.objects.get().expire_date
    assert client.get("/statement/").status_code == 200
    assert Session.objects.get().expire_date == saved  # within the minute: no write
    session = client.session
    session["_refreshed"] = 0  # the last save was long ago
    session.save()
    before = Session.objects.get().expire_date
    assert client.get("/statement/").status_code == 200
    after = Session.objects.get().expire_date
    assert after > before
    expected = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    from django.utils import timezone

    assert abs((after - timezone.now()) - expected) < dt.timedelta(seconds=30)
