# mypy: allow-subclassing-any
"""Password reset by email: Django's own flow (its token generator and views), sent through
Django's mail settings, with the GOV.UK templates.

A link works once (the token is signed with the password it replaces, so setting a password
spends it) and for ``PASSWORD_RESET_TIMEOUT`` seconds (Django's default, 3 days; the emails
and pages say how long, ``link_context``). The new
password must pass the same rules as the ``user`` command (AUTH_PASSWORD_VALIDATORS, which
Django's SetPasswordForm applies); setting it clears the account's sign-in locks. Links are sent by a person asking on the sign-in page, by an
administrator on the users page, and when an administrator creates an account; each is audited.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sufficiency.web.accounts import audit

SUBJECT = "registration/password_reset_subject.txt"
EMAIL = "registration/password_reset_email.txt"


def link_context() -> dict[str, Any]:
    """How long a link works, for the pages and emails that say so."""
    from django.conf import settings

    hours = int(settings.PASSWORD_RESET_TIMEOUT) // 3600
    days, rest = divmod(hours, 24)
    text = f"{days} day{'s' * (days != 1)}" if days and not rest else f"{hours} hours"
    return {"link_lasts": text}


def send_link(user: Any, request: HttpRequest, actor: Any = None) -> None:
    """Email ``user`` a single-use link to set a new password (also to an account whose password
    nobody knows yet, which Django's form would skip). Raises ValueError without an address or
    when the mail server cannot take it."""
    if not user.email:
        raise ValueError(
            f"{user.get_username()} has no email address: add one before sending a reset link."
        )
    context = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": "Sufficiency workspace",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        **link_context(),
    }
    subject = "".join(render_to_string(SUBJECT, context).splitlines())
    try:  # Django's form logs a failed send and carries on; here the administrator is told
        EmailMessage(subject, render_to_string(EMAIL, context), None, [user.email]).send()
    except (OSError, smtplib.SMTPException) as exc:
        raise ValueError(
            f"the email to {user.email} could not be sent ({exc}): check the workspace's mail "
            "settings, then send the link again from the account's page."
        ) from exc
    audit.record("password reset link sent", user.get_username(), request, actor=actor)


class ResetRequestView(auth_views.PasswordResetView):
    """Sign-in page's "Forgotten your password?": a link to an active account's address (the
    page reads the same whether or not the address is known)."""

    template_name = "registration/password_reset_form.html"
    email_template_name = EMAIL
    subject_template_name = SUBJECT
    success_url = "/accounts/password-reset/sent/"
    extra_context = {"page_title": "Reset your password"}  # noqa: RUF012

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = link_context()
        response: HttpResponse = super().form_valid(form)
        return response


class SaysHowLong:
    """Adds ``link_lasts`` to a reset page's context."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        return {**ctx, **link_context()}


class ResetSentView(SaysHowLong, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"
    extra_context = {"page_title": "Check your email"}  # noqa: RUF012


class ResetConfirmView(SaysHowLong, auth_views.PasswordResetConfirmView):
    """Choose a new password from an emailed link (refused: the rules' own messages)."""

    template_name = "registration/password_reset_confirm.html"
    success_url = "/accounts/reset/done/"
    extra_context = {"page_title": "Choose a new password"}  # noqa: RUF012

    def form_valid(self, form: Any) -> HttpResponse:
        """Set the password, then clear the account's sign-in locks (whoever holds the emailed
        link owns the account; the failures stay in the audit log)."""
        from sufficiency.web.accounts.lockout import unlock

        response: HttpResponse = super().form_valid(form)
        username = form.user.get_username()
        audit.record(
            "password reset", username, self.request, actor=form.user, cleared=unlock(username)
        )
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
    extra_context = {"page_title": "Password changed"}  # noqa: RUF012


#: (route, view, name) of the reset pages, for urls.py (the names Django's views redirect to).
ROUTES = (
    ("accounts/password-reset/", ResetRequestView, "password_reset"),
    ("accounts/password-reset/sent/", ResetSentView, "password_reset_done"),
    ("accounts/reset/<uidb64>/<token>/", ResetConfirmView, "password_reset_confirm"),
    ("accounts/reset/done/", ResetCompleteView, "password_reset_complete"),
)
