# mypy: allow-subclassing-any
"""Saved forecast scenarios, each owned by the person who saved it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Scenario(models.Model):
    """A saved forecast scenario (YAML text in the forecast scenario format). Only its owner
    changes or deletes it; everyone who forecasts sees it and can copy it as their own.
    Scenarios saved before owners were recorded have none: only an administrator deletes them."""

    name = models.CharField(max_length=80, unique=True)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenarios",
    )

    def __str__(self) -> str:
        return str(self.name)

    def owned_by(self, user: Any) -> bool:
        """True when ``user`` saved this scenario (and so may change or delete it)."""
        return self.owner_id is not None and self.owner_id == getattr(user, "pk", None)
