"""Request-wide middleware: the JSON request log, ``Cache-Control: no-store`` on every page, the
session's idle clock, and the audit log's client address taken through the trusted-proxy rule
(web.clientip)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from sufficiency.web.clientip import client_ip

Handler = Callable[[HttpRequest], HttpResponse]
request_log = logging.getLogger("sufficiency.web.requests")


class RequestLogMiddleware:
    """Logs one structured line per request: method, path, status, duration in ms, user id.

    Outermost, so static files and errors are counted too; the query string is left out (it can
    hold a search for a child's id).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "ip": client_ip(request),
            },
        )
        return response


def _is_static(path: str) -> bool:
    return path.startswith((settings.STATIC_URL, "/assets/"))


class RevisionPerRequestMiddleware:
    """A request that only reads (GET, HEAD) works out the data's revision once, however many
    cached results it looks up (``bridge.revision``: a few dozen queries); once any other
    request is done, every server process works it out again (``web.data_version``)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            from sufficiency.web import data_version

            try:
                return self.get_response(request)
            finally:
                data_version.changed()
        from sufficiency.web import data_version

        with data_version.reading_request():
            return self.get_response(request)


class IdleSessionMiddleware:
    """A session's idle time-out (``SESSION_COOKIE_AGE``) starts again when it is used, saved at
    most once every ``SESSION_REFRESH_SECONDS``: a session used now expires 30 minutes after
    this request, give or take that minute, without a database write on every page.

    Inside ``SessionMiddleware``, which saves the session this marks as changed."""

    REFRESHED = "_refreshed"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.REFRESHED, 0)) >= settings.SESSION_REFRESH_SECONDS:
                session[self.REFRESHED] = now
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every page (all but static files): a page shown to
    a signed-in user can carry child data, and no browser or proxy cache may keep it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_static(request.path):
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
        return response


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    """django-auditlog's middleware with the address from web.clientip: auditlog's own trusts
    any ``X-Forwarded-For`` a client sends."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str:
        return client_ip(request)
