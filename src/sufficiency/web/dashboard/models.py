# mypy: allow-subclassing-any
"""Saved forecast scenarios."""

from __future__ import annotations

from django.db import models


class Scenario(models.Model):
    """A saved forecast scenario (YAML text in the forecast scenario format)."""

    name = models.CharField(max_length=80, unique=True)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
