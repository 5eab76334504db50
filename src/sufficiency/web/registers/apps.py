# mypy: allow-subclassing-any
from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "sufficiency.web.registers"
    label = "web_registers"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sufficiency.web.registers import models

        for model in models.EDITABLE_REGISTERS.values():
            auditlog.register(model)
