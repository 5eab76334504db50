# mypy: allow-subclassing-any
"""Sign-in, the second factor (TOTP verify and set-up), security settings and sign-in locks
(the audit log search is ``web.audit_log``)."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from sufficiency.web import listing
from sufficiency.web.accounts.middleware import totp_required
from sufficiency.web.accounts.models import SecuritySetting
from sufficiency.web.accounts.roles import post_only, requires


class GovukLoginView(LoginView):
    """Django's login view (axes counts failures) with the GOV.UK template."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        ctx: dict[str, object] = super().get_context_data(**kwargs)
        ctx["oidc_enabled"] = settings.OIDC_ENABLED
        ctx["page_title"] = "Sign in"
        return ctx


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@requires("account")
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code of the user's authenticator app; pages load once it matches."""
    from django_otp import devices_for_user
    from django_otp import login as otp_login

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        devices = [
            d for d in devices_for_user(request.user, confirmed=True) if d.verify_is_allowed()[0]
        ]
        if not devices:
            form.add_error(
                "token",
                "Wait a few seconds, then enter the code your app shows: a wrong code was just entered.",
            )
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next(request))
        if devices:
            form.add_error(
                "token", "The code is not right or has expired: enter the code your app shows now."
            )
    return render(
        request,
        "web/otp.html",
        {"page_title": "Enter your code", "form": form, "next": _next(request), "setup": None},
        status=400 if form.errors else 200,
    )


@requires("account")
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the key, confirm with a first code."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user: Any = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.success(request, "Your authenticator app is already set up.")
        return redirect(_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(
                request,
                "Your authenticator app is set up: you will be asked for a code at each sign-in.",
            )
            return redirect(_next(request))
        form.add_error(
            "token", "The code is not right or has expired: enter the code your app shows now."
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "web/otp.html",
        {
            "page_title": "Set up an authenticator app",
            "form": form,
            "next": _next(request),
            "setup": {
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "url": device.config_url,
            },
            "required": totp_required(),
        },
        status=400 if form.errors else 200,
    )


class SecurityForm(forms.Form):
    require_totp = forms.BooleanField(
        label="Everyone must use an authenticator app (TOTP) to sign in", required=False
    )


@requires("audit")
def security_settings(request: HttpRequest) -> HttpResponse:
    """Administrators: require two-factor sign-in for everyone (changes are audited)."""
    row = SecuritySetting.current()
    form = SecurityForm(request.POST or None, initial={"require_totp": row.require_totp})
    if request.method == "POST" and form.is_valid():
        row.require_totp = form.cleaned_data["require_totp"]
        row.save()
        messages.success(request, "Security settings saved.")
        return redirect("/accounts/security/")
    return render(
        request, "web/security.html", {"page_title": "Security settings", "form": form, "row": row}
    )


#: The sign-in locks list's filter.
LOCK_FILTERS = (listing.Filter("q", "Account contains"),)


@requires("audit")
def lockouts(request: HttpRequest) -> HttpResponse:
    """Administrators: the sign-in locks in force, each with an Unlock button; filtered by
    account and a page at a time."""
    from sufficiency.web.accounts.lockout import current_locks

    values = listing.read(request, LOCK_FILTERS)
    q = values["q"].lower()
    locks = current_locks()
    return render(
        request,
        "accounts/lockouts.html",
        {
            "page_title": "Sign-in locks",
            "lock_count": len(locks),
            **listing.context(
                request, [k for k in locks if q in k.username.lower()], LOCK_FILTERS, values
            ),
            "pair_limit": settings.AXES_FAILURE_LIMIT,
            "account_limit": settings.ACCOUNT_FAILURE_LIMIT,
        },
    )


@requires("audit")
@post_only
def unlock(request: HttpRequest) -> HttpResponse:
    """Administrators: clear an account's locks (every address); written to the audit log."""
    from sufficiency.web.accounts import audit
    from sufficiency.web.accounts.lockout import unlock as clear

    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, "Choose an account to unlock.")
        return redirect("/accounts/lockouts/")
    removed = clear(username)
    audit.record("sign-in unlocked", username, request, actor=request.user, cleared=removed)
    messages.success(request, f"{username} can sign in again.")
    return redirect("/accounts/lockouts/")
