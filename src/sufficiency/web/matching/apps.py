# mypy: allow-subclassing-any
from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "sufficiency.web.matching"
    label = "web_matching"

    def ready(self) -> None:
        """Referrals describe a child: every change to them, their allocations and outcomes is audited."""
        from auditlog.registry import auditlog

        from sufficiency.web.matching import models

        auditlog.register(models.Referral)
        auditlog.register(models.Allocation)
        auditlog.register(models.Outcome)
