"""User management in the web: the administrator lists, creates, re-roles, deactivates and
reactivates accounts (each change audited, destructive ones confirmed first, never on oneself)
and sends password reset links; a link sets a password once, under the `user` command's rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from sufficiency.web.accounts.roles import ROLES

LINK = re.compile(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)")


def _entries(event: str) -> list[dict[str, Any]]:
    from auditlog.models import LogEntry

    return [
        {**e.additional_data, "actor": e.actor.username if e.actor else None}
        for e in LogEntry.objects.filter(additional_data__event=event).order_by("pk")
    ]


def test_the_admin_sees_every_user_with_role_and_last_sign_in(
    users: dict[str, Any], client_for: Callable[[str], Client], password: str
) -> None:
    Client().post("/accounts/login/", {"username": "viewer_user", "password": password})
    page = client_for("admin").get("/accounts/users/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<tr class="govuk-table__row">') == 1 + len(ROLES)  # heading row + one a role
    viewer_row = re.search(r"viewer_user</a></th>(.*?)</tr>", html, re.S)
    assert viewer_row is not None
    assert '<td class="govuk-table__cell">Viewer</td>' in viewer_row.group(1)
    assert "Never" not in viewer_row.group(1)
    analyst_row = re.search(r"analyst_user</a></th>(.*?)</tr>", html, re.S)
    assert analyst_row is not None and "Never" in analyst_row.group(1)
    for role in ("analyst", "director", "viewer"):
        assert client_for(role).get("/accounts/users/").status_code == 403


def test_a_role_change_is_confirmed_then_made_visible_and_audited(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    admin = client_for("admin")
    target = users["analyst"]
    ask = admin.post(f"/accounts/users/{target.pk}/role/", {"role": "viewer"})
    assert ask.status_code == 200
    assert "Change analyst_user from Performance analyst to Viewer?" in ask.content.decode()
    assert _entries("role changed") == []  # nothing changes before the confirmation
    done = admin.post(
        f"/accounts/users/{target.pk}/role/", {"role": "viewer", "confirm": "yes"}, follow=True
    )
    assert "analyst_user is now a Viewer (was Performance analyst)." in done.content.decode()
    listed = re.search(
        r"analyst_user</a></th>\s*<td class=\"govuk-table__cell\">([^<]+)</td>",
        admin.get("/accounts/users/").content.decode(),
    )
    assert listed is not None and listed.group(1) == "Viewer"
    [entry] = _entries("role changed")
    assert entry == {
        "event": "role changed",
        "username": "analyst_user",
        "old_role": "analyst",
        "new_role": "viewer",
        "actor": "admin_user",
    }
    # the new role applies at once: a viewer may not see children
    moved = Client()
    moved.force_login(target)
    assert moved.get("/data/children/").status_code == 403


def test_an_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    admin = client_for("admin")
    me = users["admin"].pk
    role = admin.post(f"/accounts/users/{me}/role/", {"role": "analyst", "confirm": "yes"})
    shown = admin.get(role["Location"]).content.decode()
    assert (
        "You cannot remove your own administrator role: ask another administrator to do it."
        in shown
    )
    off = admin.post(f"/accounts/users/{me}/deactivate/", {"confirm": "yes"}, follow=True)
    assert "You cannot deactivate your own account: ask another administrator." in (
        off.content.decode()
    )
    users["admin"].refresh_from_db()
    assert users["admin"].is_active and users["admin"].is_superuser
    assert _entries("role changed") == [] and _entries("user deactivated") == []


def test_deactivation_is_confirmed_stops_sign_in_keeps_the_account_and_is_undone(
    users: dict[str, Any], client_for: Callable[[str], Client], password: str
) -> None:
    from django.contrib.auth.models import User

    admin = client_for("admin")
    target = users["home_finder"]
    ask = admin.post(f"/accounts/users/{target.pk}/deactivate/")
    assert "Deactivate home_finder_user?" in ask.content.decode()
    assert User.objects.get(pk=target.pk).is_active
    signed_in = Client()
    signed_in.force_login(target)
    assert signed_in.get("/matching/").status_code == 200
    admin.post(f"/accounts/users/{target.pk}/deactivate/", {"confirm": "yes"})
    assert not User.objects.get(pk=target.pk).is_active
    assert signed_in.get("/matching/")["Location"] == "/accounts/login/?next=/matching/"
    refused = Client().post(
        "/accounts/login/", {"username": "home_finder_user", "password": password}
    )
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    listed = admin.get("/accounts/users/").content.decode()
    assert "home_finder_user" in listed and "Deactivated" in listed
    admin.post(f"/accounts/users/{target.pk}/reactivate/")
    assert User.objects.get(pk=target.pk).is_active
    events = [
        (e["event"], e["actor"], e["old_active"], e["new_active"])
        for e in _entries("user deactivated") + _entries("user reactivated")
    ]
    assert events == [
        ("user deactivated", "admin_user", True, False),
        ("user reactivated", "admin_user", False, True),
    ]


def test_a_new_user_gets_a_link_that_sets_a_password_once(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from django.contrib.auth.models import User

    from sufficiency.web.operations import create_user

    admin = client_for("admin")
    bad = admin.post(
        "/accounts/users/new/", {"username": "jsmith", "email": "nope", "role": "analyst"}
    )
    assert bad.status_code == 400
    assert (
        '<li><a href="#id_email">Enter an email address in the correct format, like '
        "name@example.gov.uk.</a></li>"
    ) in bad.content.decode()
    assert not User.objects.filter(username="jsmith").exists()
    made = admin.post(
        "/accounts/users/new/",
        {"username": "jsmith", "email": "j.smith@example.gov.uk", "role": "fostering_manager"},
        follow=True,
    )
    assert "Account jsmith created as Fostering manager" in made.content.decode()
    user = User.objects.get(username="jsmith")
    assert user.email == "j.smith@example.gov.uk"
    assert list(user.groups.values_list("name", flat=True)) == ["fostering_manager"]
    assert _entries("user created") == [
        {
            "event": "user created",
            "username": "jsmith",
            "role": "fostering_manager",
            "email": "j.smith@example.gov.uk",
            "actor": "admin_user",
        }
    ]
    [message] = mail.outbox
    assert message.to == ["j.smith@example.gov.uk"]
    match = LINK.search(message.body)
    assert match is not None
    link = match.group(1)

    from axes.models import AccessFailureLog

    AccessFailureLog.objects.create(username="jsmith", ip_address="10.0.0.1", user_agent="t")
    person = Client()
    form = person.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = person.post(set_url, {"new_password1": "Zq8#mwLp2", "new_password2": "Zq8#mwLp2"})
    with pytest.raises(ValueError) as rule:  # the `user` command's rule, word for word
        create_user("jsmith", "fostering_manager", "Zq8#mwLp2")
    rule_message = "This password is too short. It must contain at least 12 characters."
    assert str(rule.value) == f"password refused: {rule_message}"
    assert rule_message in weak.content.decode()
    new = "plum-orchard-lantern-42"
    done = person.post(set_url, {"new_password1": new, "new_password2": new}, follow=True)
    assert "Your password is set" in done.content.decode()
    signed_in = Client()
    signed_in.post("/accounts/login/", {"username": "jsmith", "password": new})
    assert signed_in.session["_auth_user_id"] == str(user.pk)
    again = Client().get(link, follow=True)  # single use
    assert "This link no longer works" in again.content.decode()
    assert [(e["username"], e["cleared"]) for e in _entries("password reset")] == [("jsmith", 1)]
    assert not AccessFailureLog.objects.filter(username="jsmith").exists()


def test_the_admin_and_the_sign_in_page_send_reset_links(
    users: dict[str, Any], client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = users["commissioner"]
    target.email = "commissioner@example.gov.uk"
    target.save()
    admin = client_for("admin")
    no_email = admin.post(f"/accounts/users/{users['viewer'].pk}/reset/", follow=True)
    assert "viewer_user has no email address: add one before sending a reset link." in (
        no_email.content.decode()
    )
    bad = admin.post(f"/accounts/users/{users['viewer'].pk}/email/", {"email": "v@"}, follow=True)
    assert "Enter an email address in the correct format" in bad.content.decode()
    admin.post(f"/accounts/users/{users['viewer'].pk}/email/", {"email": "v@example.gov.uk"})
    users["viewer"].refresh_from_db()
    assert users["viewer"].email == "v@example.gov.uk"
    [changed] = _entries("email changed")
    assert (changed["old_email"], changed["new_email"], changed["actor"]) == (
        "",
        "v@example.gov.uk",
        "admin_user",
    )
    admin.post(f"/accounts/users/{target.pk}/reset/")
    asked = Client().post("/accounts/password-reset/", {"email": "commissioner@example.gov.uk"})
    assert asked["Location"] == "/accounts/password-reset/sent/"
    unknown = Client().post("/accounts/password-reset/", {"email": "nobody@example.gov.uk"})
    assert unknown["Location"] == "/accounts/password-reset/sent/"  # reads the same
    assert [m.to for m in mail.outbox] == [["commissioner@example.gov.uk"]] * 2
    assert [(e["username"], e["actor"]) for e in _entries("password reset link sent")] == [
        ("commissioner_user", "admin_user")
    ]
    # a link lasts PASSWORD_RESET_TIMEOUT (3 days), as the email says
    from django.contrib.auth.tokens import default_token_generator

    assert ["The link works once, for 3 days." in m.body for m in mail.outbox] == [True, True]
    body = mail.outbox[0].body
    match = LINK.search(body)
    assert match is not None
    later = dt.datetime.now() + dt.timedelta(days=3, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    expired = Client().get(match.group(1), follow=True).content.decode()
    assert "This link no longer works" in expired
    assert "A password reset link works once, for 3 days." in expired
    monkeypatch.undo()
    assert "Choose a new password" in Client().get(match.group(1), follow=True).content.decode()

    login = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in login


def test_an_email_that_cannot_be_sent_is_said_and_the_account_kept(
    users: dict[str, Any], client_for: Callable[[str], Client], settings: Any
) -> None:
    from django.contrib.auth.models import User

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    made = client_for("admin").post(
        "/accounts/users/new/",
        {"username": "kjones", "email": "k.jones@example.gov.uk", "role": "viewer"},
        follow=True,
    )
    html = made.content.decode()
    assert (
        "Account kjones created as Viewer, but the email to k.jones@example.gov.uk could not be sent ("
        in html
    )
    assert "check the workspace&#x27;s mail settings, then send the link again" in html
    assert User.objects.filter(username="kjones", email="k.jones@example.gov.uk").exists()
    assert _entries("password reset link sent") == []
