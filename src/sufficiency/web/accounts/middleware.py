"""Two-factor sign-in: a user with a confirmed TOTP device must enter a code before any page
loads; when an administrator requires TOTP, users without a device are sent to set one up."""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

VERIFY_URL = "/accounts/verify/"
SETUP_URL = "/accounts/totp/"
#: Paths reachable before the second factor (sign-in, sign-out, the factor pages, static files).
EXEMPT = (
    "/accounts/login/",
    "/accounts/logout/",
    VERIFY_URL,
    SETUP_URL,
    "/static/",
    "/assets/",
    "/oidc/",
)


def totp_required() -> bool:
    """True when the environment (SUFFICIENCY_REQUIRE_TOTP=1) or an administrator requires TOTP."""
    if os.environ.get("SUFFICIENCY_REQUIRE_TOTP", "") == "1":
        return True
    from sufficiency.web import data_version
    from sufficiency.web.accounts.models import SecuritySetting

    # changed only on the web (the security settings page): kept until a change is made there
    return data_version.until_changed(
        "totp required", lambda: bool(SecuritySetting.current().require_totp)
    )


class OTPRequiredMiddleware:
    """Redirect signed-in but unverified users to the code page (or the set-up page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT)
            and not user.is_verified()
        ):
            from django_otp import user_has_device

            from sufficiency.web import data_version

            query = urlencode({"next": request.get_full_path()})
            # a device is added or removed on the web: kept until a change is made there
            has_device = data_version.until_changed(
                ("has device", user.pk), lambda: user_has_device(user, confirmed=True)
            )
            if has_device:
                return HttpResponseRedirect(f"{VERIFY_URL}?{query}")
            if totp_required():
                return HttpResponseRedirect(f"{SETUP_URL}?{query}")
        return self.get_response(request)
