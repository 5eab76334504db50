# mypy: allow-subclassing-any
"""Sign-in lockout with two limits (django-axes handler):

- an (account, address) pair is locked for an hour after ``AXES_FAILURE_LIMIT`` (5) failures, so
  a colleague's typos never lock out everyone behind the council's proxy; and
- an account is locked, from every address, after ``ACCOUNT_FAILURE_LIMIT`` (20) failures within
  ``ACCOUNT_FAILURE_WINDOW`` (an hour), which stops a password being guessed from many addresses.

Every failure is kept in axes' AccessFailureLog, which the per-account count reads. An
administrator unlocks an account on the Sign-in locks page (``unlock``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone


def _window_start() -> dt.datetime:
    now: dt.datetime = timezone.now()
    return now - dt.timedelta(seconds=int(settings.ACCOUNT_FAILURE_WINDOW_SECONDS))


def account_failures(username: str | None) -> int:
    """Failed sign-ins as ``username`` from any address within the window."""
    if not username:
        return 0
    return int(
        AccessFailureLog.objects.filter(
            username=username, attempt_time__gte=_window_start()
        ).count()
    )


class PairAndAccountHandler(AxesDatabaseHandler):
    """axes' database handler (per account-and-address pair) plus the per-account limit."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if bool(super().is_locked(request, credentials)):
            return True
        username = get_client_username(request, credentials)
        return account_failures(username) >= int(settings.ACCOUNT_FAILURE_LIMIT)

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        username = get_client_username(request, credentials)
        if account_failures(username) >= int(settings.ACCOUNT_FAILURE_LIMIT):
            request.axes_locked_out = True
            request.axes_credentials = credentials


@dataclass(frozen=True)
class Lock:
    """A locked sign-in: an account at one address, or (``address`` None) everywhere."""

    username: str
    address: str | None
    failures: int
    last: dt.datetime


def current_locks() -> list[Lock]:
    """Every lock in force now, newest first."""
    cool_off = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    locks = [
        Lock(a.username, a.ip_address, a.failures_since_start, a.attempt_time)
        for a in AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=cool_off
        ).exclude(username=None)
    ]
    for row in (
        AccessFailureLog.objects.filter(attempt_time__gte=_window_start())
        .exclude(username=None)
        .values("username")
        .annotate(n=Count("id"), last=Max("attempt_time"))
        .filter(n__gte=settings.ACCOUNT_FAILURE_LIMIT)
    ):
        locks.append(Lock(row["username"], None, row["n"], row["last"]))
    return sorted(locks, key=lambda lock: lock.last, reverse=True)


def unlock(username: str) -> int:
    """Clear every lock and counted failure of ``username``; returns how many records went.

    The failures stay in the audit log (accounts.audit), so clearing them loses no history.
    """
    attempts, _ = AccessAttempt.objects.filter(username=username).delete()
    failures, _ = AccessFailureLog.objects.filter(username=username).delete()
    return int(attempts + failures)
