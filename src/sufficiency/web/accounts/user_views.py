"""Administrators' users pages: the list, a new account, one account's role, deactivation and
password reset link. Changes are made by ``user_admin`` (and audited there); a role change and a
deactivation are confirmed on a page of their own first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.web import listing
from sufficiency.web.accounts import password_reset, user_admin
from sufficiency.web.accounts.roles import ROLE_TITLES, ROLES, post_only, requires

LIST_URL = "/accounts/users/"


def _target(pk: int) -> Any:
    from django.contrib.auth.models import User

    return get_object_or_404(User, pk=pk)


def _roles() -> list[tuple[str, str]]:
    return [(r, ROLE_TITLES[r]) for r in ROLES]


#: The users list's filters.
USER_FILTERS = (
    listing.Filter("role", "Role", tuple(_roles()), "Any role"),
    listing.Filter("active", "Status", (("yes", "Active"), ("no", "Deactivated")), "Any status"),
    listing.Filter("q", "User name or email contains"),
)


@requires("audit")
def users_list(request: HttpRequest) -> HttpResponse:
    """Every account with its role, state and last sign-in; filtered (role, status, name or
    email) and a page at a time."""
    from django.conf import settings

    values = listing.read(request, USER_FILTERS)
    q = values["q"].lower()
    rows = [
        r
        for r in user_admin.user_rows()
        if values["role"] in ("", r.role)
        and values["active"] in ("", "yes" if r.active else "no")
        and (q in r.username.lower() or q in r.email.lower())
    ]
    return render(
        request,
        "web/users.html",
        {
            "page_title": "Users",
            "oidc_enabled": settings.OIDC_ENABLED,
            **listing.context(request, rows, USER_FILTERS, values),
        },
    )


@requires("audit")
def user_new(request: HttpRequest) -> HttpResponse:
    """Create an account with a role and an email address; the person is emailed a link to set
    their password."""
    values = {k: request.POST.get(k, "").strip() for k in ("username", "email", "role")}
    error: user_admin.Refused | None = None
    if request.method == "POST":
        try:
            user = user_admin.create(
                request.user, values["username"], values["email"], values["role"], request
            )
        except user_admin.Refused as exc:
            error = exc
        else:
            created = f"Account {user.username} created as {ROLE_TITLES[values['role']]}"
            try:
                password_reset.send_link(user, request, actor=request.user)
            except ValueError as exc:
                messages.error(request, f"{created}, but {exc}")
            else:
                messages.success(
                    request, f"{created}; a link to set a password was sent to {user.email}."
                )
            return redirect(f"{LIST_URL}{user.pk}/")
    return render(
        request,
        "web/users_new.html",
        {
            "page_title": "New user",
            "values": values,
            "roles": _roles(),
            "error": str(error or ""),
            "error_field": (error.field if error else "") or "username",
            **password_reset.link_context(),
        },
        status=400 if error else 200,
    )


@requires("audit")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its role (to change), state (to deactivate or reactivate), reset link."""
    target = _target(pk)
    return render(
        request,
        "web/users_detail.html",
        {
            "page_title": f"User {target.username}",
            "target": user_admin.row(target),
            "roles": _roles(),
            "is_self": target.pk == request.user.pk,
            **password_reset.link_context(),
        },
    )


def _confirm(
    request: HttpRequest, target: Any, action: str, question: str, button: str, **hidden: str
) -> HttpResponse:
    """The page asking to confirm a change before it is made (its form posts ``confirm=yes``)."""
    return render(
        request,
        "web/users_confirm.html",
        {
            "page_title": question,
            "question": question,
            "button": button,
            "action": action,
            "hidden": hidden,
            "target": user_admin.row(target),
        },
    )


def _refused(request: HttpRequest, pk: int, exc: Exception) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect(f"{LIST_URL}{pk}/")


@requires("audit")
@post_only
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the role: first a confirmation page (from what to what), then the change."""
    target = _target(pk)
    role = request.POST.get("role", "")
    try:
        user_admin.check_role(role)
        if request.POST.get("confirm") != "yes":
            before = user_admin.row(target).role_title
            return _confirm(
                request,
                target,
                f"{LIST_URL}{pk}/role/",
                f"Change {target.username} from {before} to {ROLE_TITLES[role]}?",
                "Yes, change the role",
                role=role,
            )
        old = user_admin.change_role(request.user, target, role, request)
    except user_admin.Refused as exc:
        return _refused(request, pk, exc)
    messages.success(
        request,
        f"{target.username} is now a {ROLE_TITLES[role]} (was {ROLE_TITLES.get(old, 'no role')}).",
    )
    return redirect(f"{LIST_URL}{pk}/")


@requires("audit")
@post_only
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate after a confirmation page: the person can no longer sign in."""
    target = _target(pk)
    if request.POST.get("confirm") != "yes" and target.pk != request.user.pk:
        return _confirm(
            request,
            target,
            f"{LIST_URL}{pk}/deactivate/",
            f"Deactivate {target.username}?",
            "Yes, deactivate",
        )
    return _apply(
        request,
        pk,
        lambda: user_admin.set_active(request.user, target, False, request),
        f"{target.username} is deactivated and can no longer sign in.",
    )


@requires("audit")
@post_only
def user_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the address password reset links go to."""
    target = _target(pk)
    email = request.POST.get("email", "")
    return _apply(
        request,
        pk,
        lambda: user_admin.change_email(request.user, target, email, request),
        f"Reset links for {target.username} now go to {email.strip()}.",
    )


@requires("audit")
@post_only
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(pk)
    return _apply(
        request,
        pk,
        lambda: user_admin.set_active(request.user, target, True, request),
        f"{target.username} can sign in again.",
    )


@requires("audit")
@post_only
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Email the person a single-use link to set a new password."""
    target = _target(pk)

    def send() -> None:
        if not target.is_active:
            raise ValueError("Reactivate the account before resetting its password.")
        password_reset.send_link(target, request, actor=request.user)

    return _apply(request, pk, send, f"A link to set a new password was sent to {target.email}.")


def _apply(request: HttpRequest, pk: int, change: Callable[[], None], done: str) -> HttpResponse:
    """Make ``change``; back to the account's page with ``done`` or the reason it was refused."""
    try:
        change()
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(f"{LIST_URL}{pk}/")
