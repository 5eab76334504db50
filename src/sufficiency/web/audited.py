# mypy: allow-subclassing-any
"""Apps whose records describe children: every change to them is audited (django-auditlog)."""

from typing import ClassVar

from django.apps import AppConfig


class AuditedAppConfig(AppConfig):
    """An app that registers the models named in ``audited_models`` with django-auditlog when ready."""

    audited_models: ClassVar[tuple[str, ...]] = ()

    def ready(self) -> None:
        from auditlog.registry import auditlog

        for name in self.audited_models:
            auditlog.register(self.get_model(name))
