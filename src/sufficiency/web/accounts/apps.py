# mypy: allow-subclassing-any
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sufficiency.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from sufficiency.web.accounts import audit
        from sufficiency.web.accounts.models import SecuritySetting

        auditlog.register(SecuritySetting)
        audit.connect()
