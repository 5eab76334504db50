"""Sign-ins, failed sign-ins, lockouts and unlocks written to the audit log (django-auditlog's
LogEntry, against the user's record): who, from which address, when."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sufficiency.web.clientip import client_ip


def record(
    event: str,
    username: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    **details: Any,
) -> None:
    """One audit entry ``EVENT: USERNAME`` on the user's record (or none, for unknown names)."""
    from auditlog.models import LogEntry
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType

    user = User.objects.filter(username=username).first()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(user.pk) if user else "",
        object_id=user.pk if user else None,
        object_repr=f"{event}: {username}"[:200],
        action=LogEntry.Action.ACCESS,
        actor=actor,
        remote_addr=client_ip(request) or None if request is not None else None,
        additional_data={"event": event, "username": username, **details},
    )


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver (passwords and single sign-on alike)."""
    record("sign-in", user.get_username(), request, actor=user)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """user_login_failed receiver: the name tried (never the password)."""
    username = str(credentials.get("username") or "(single sign-on)")
    locked = bool(getattr(request, "axes_locked_out", False))
    record("failed sign-in" + (" (locked)" if locked else ""), username, request)


def connect() -> None:
    """Connect the receivers (AccountsConfig.ready)."""
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_logged_in.connect(signed_in, dispatch_uid="sufficiency-audit-sign-in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="sufficiency-audit-sign-in-failed")
