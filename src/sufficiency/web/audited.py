# mypy: allow-subclassing-any
"""The audit trail of everything that touches a child's record (django-auditlog's LogEntry).

Apps whose models describe children register them for per-row entries (``AuditedAppConfig``).
Views record what they show or send (``record_view``, ``record_download``), and a bulk change
(replacing a return, importing a data folder) writes ONE summarised entry with counts
(``bulk_change``) instead of one per row. Inside a request the actor and the client's address
come from the audit middleware's context; elsewhere (the CLI) pass ``actor``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.apps import AppConfig
from django.http import HttpRequest


class AuditedAppConfig(AppConfig):
    """An app that registers the models named in ``audited_models`` with django-auditlog when ready."""

    audited_models: ClassVar[tuple[str, ...]] = ()

    def ready(self) -> None:
        from auditlog.registry import auditlog

        for name in self.audited_models:
            auditlog.register(self.get_model(name))


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def record(
    model: Any,
    object_repr: str,
    action: int,
    *,
    object_pk: object = "",
    changes: dict[str, list[object]] | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> Any:
    """Write one audit entry against ``model`` (a model class or instance); returns it.

    ``changes`` uses auditlog's own shape (field -> [before, after]); ``details`` go to
    ``additional_data``. Within a request the middleware fills in the actor and address.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from sufficiency.web.clientip import client_ip

    pk = str(object_pk) if object_pk not in (None, "") else ""
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=pk,
        object_id=int(pk) if pk.isdigit() else None,
        object_repr=object_repr[:500],
        action=action,
        changes=changes or None,
        actor=_actor(actor if actor is not None else getattr(request, "user", None)),
        additional_data=details or None,
    )
    if request is not None:
        entry.remote_addr = client_ip(request) or None
    entry.save()
    return entry


def record_view(request: HttpRequest, model: Any, object_repr: str, **details: Any) -> Any:
    """An ACCESS entry: ``request.user`` saw a page of child-level data (``object_repr``)."""
    from auditlog.models import LogEntry

    pk = getattr(model, "pk", "") or ""
    return record(
        model,
        object_repr,
        LogEntry.Action.ACCESS,
        object_pk=pk,
        request=request,
        event="view",
        path=request.path,
        **details,
    )


def record_download(request: HttpRequest, model: Any, object_repr: str, **details: Any) -> Any:
    """An ACCESS entry: ``request.user`` downloaded ``object_repr`` (an export or a statement)."""
    from auditlog.models import LogEntry

    return record(
        model,
        object_repr,
        LogEntry.Action.ACCESS,
        request=request,
        event="download",
        path=request.path,
        **details,
    )


@contextmanager
def bulk_change(
    model: Any,
    object_repr: str,
    action: int,
    *,
    object_pk: object = "",
    actor: Any = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> Iterator[dict[str, Any]]:
    """Per-row audit entries are off inside the block; one entry summarises it at the end.

    The block fills the yielded dict: ``changes`` (field -> [before, after] counts) and any
    further details. Nothing is written when the block raises (its transaction rolls back).
    """
    from auditlog.context import disable_auditlog

    summary: dict[str, Any] = {"changes": {}}
    with disable_auditlog():
        yield summary
    changes = summary.pop("changes")
    record(
        model,
        object_repr,
        action,
        object_pk=summary.pop("object_pk", object_pk),
        changes=changes,
        actor=actor,
        request=request,
        **details,
        **summary,
    )
