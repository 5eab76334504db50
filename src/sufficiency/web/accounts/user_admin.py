"""What an administrator does to other people's accounts: list them, create one, change a role,
deactivate and reactivate (accounts are never deleted: the audit log keeps pointing at them).

Every change is written to the audit log (``accounts.audit``): who changed whom, from what to
what. An administrator cannot take away their own admin role nor deactivate themselves (a
workspace would otherwise be left with no one able to manage it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from sufficiency.web.accounts import audit
from sufficiency.web.accounts.roles import ROLE_TITLES, ROLES, role_of

#: Django's own rule for a user name (letters, digits and @/./+/-/_), at most 150 characters.
USERNAME = re.compile(r"[\w.@+-]{1,150}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Refused(ValueError):
    """A change the workspace does not allow; the message says why, in plain words, and
    ``field`` names the form field at fault (for the error summary's link)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class UserRow:
    """One account as the users page lists it."""

    pk: int
    username: str
    email: str
    role: str | None
    role_title: str
    active: bool
    last_login: dt.datetime | None


def row(user: Any) -> UserRow:
    role = role_of(user)
    return UserRow(
        pk=user.pk,
        username=user.get_username(),
        email=user.email,
        role=role,
        role_title=ROLE_TITLES.get(role or "", "No role"),
        active=bool(user.is_active),
        last_login=user.last_login,
    )


def user_rows() -> list[UserRow]:
    """Every account, active ones first, then by name."""
    from django.contrib.auth.models import User

    users = User.objects.prefetch_related("groups").order_by("-is_active", "username")
    return [row(u) for u in users]


def check_role(role: str) -> str:
    if role not in ROLES:
        raise Refused(f"Choose a role: one of {', '.join(ROLE_TITLES[r] for r in ROLES)}.", "role")
    return role


def check_email(email: str) -> str:
    if not EMAIL.fullmatch(email):
        raise Refused(
            "Enter an email address in the correct format, like name@example.gov.uk.", "email"
        )
    return email


def change_email(actor: Any, target: Any, email: str, request: HttpRequest) -> None:
    """Set the address ``target``'s reset links go to."""
    email = check_email(email.strip())
    old = target.email
    target.email = email
    target.save(update_fields=["email"])
    audit.record(
        "email changed", target.get_username(), request, actor=actor, old_email=old, new_email=email
    )


def create(actor: Any, username: str, email: str, role: str, request: HttpRequest) -> Any:
    """A new account with ``role`` and ``email`` and a random password nobody knows (the person
    sets their own through the emailed link, ``password_reset.send_link``)."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from sufficiency.web.operations import UsernameTaken, create_user

    username = username.strip()
    email = email.strip()
    if not USERNAME.fullmatch(username):
        raise Refused(
            "Enter a user name of up to 150 letters, digits and the characters @ . + - _ "
            "(no spaces).",
            "username",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Refused(
            f"There is already an account called {username}: choose another name.", "username"
        )
    check_email(email)
    check_role(role)
    try:
        with transaction.atomic():
            create_user(username, role)
            user = User.objects.get(username=username)
            user.email = email
            user.save(update_fields=["email"])
            audit.record("user created", username, request, actor=actor, role=role, email=email)
    except UsernameTaken as exc:  # created at the same moment (a double click, two admins)
        raise Refused(str(exc), "username") from exc
    return user


def change_role(actor: Any, target: Any, role: str, request: HttpRequest) -> str:
    """Give ``target`` ``role``; returns the role it had. Refused for one's own admin role."""
    from sufficiency.web.operations import set_role

    check_role(role)
    old = role_of(target)
    if target.pk == actor.pk and old == "admin" and role != "admin":
        raise Refused(
            "You cannot remove your own administrator role: ask another administrator to do it."
        )
    if old == role:
        raise Refused(f"{target.get_username()} is already a {ROLE_TITLES[role]}.")
    set_role(target, role)
    audit.record(
        "role changed",
        target.get_username(),
        request,
        actor=actor,
        old_role=old,
        new_role=role,
    )
    return old or ""


def set_active(actor: Any, target: Any, active: bool, request: HttpRequest) -> None:
    """Deactivate (cannot sign in; nothing deleted) or reactivate ``target``."""
    if target.pk == actor.pk and not active:
        raise Refused("You cannot deactivate your own account: ask another administrator.")
    if bool(target.is_active) == active:
        state = "active" if active else "deactivated"
        raise Refused(f"{target.get_username()} is already {state}.")
    target.is_active = active
    target.save(update_fields=["is_active"])
    audit.record(
        "user reactivated" if active else "user deactivated",
        target.get_username(),
        request,
        actor=actor,
        old_active=not active,
        new_active=active,
    )
