# mypy: allow-subclassing-any
from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "sufficiency.web.data"
    label = "web_data"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sufficiency.web.data import models

        auditlog.register(models.Child)
        auditlog.register(models.Episode)
        auditlog.register(models.ReturnYear)
