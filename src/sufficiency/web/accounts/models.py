# mypy: allow-subclassing-any
"""Workspace-wide security settings an administrator can change in the browser."""

from __future__ import annotations

from django.db import models


class SecuritySetting(models.Model):
    """One row: whether every user must use a TOTP authenticator app to sign in."""

    require_totp = models.BooleanField(
        default=False,
        help_text="Every user must set up and use an authenticator app (TOTP) to sign in.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    @classmethod
    def current(cls) -> SecuritySetting:
        row: SecuritySetting = cls.objects.get_or_create(pk=1)[0]
        return row

    def __str__(self) -> str:
        return "security settings"
