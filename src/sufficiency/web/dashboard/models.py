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


class PublishedVersionIsFinal(Exception):
    """A published statement version, or one of its files, was to be changed or deleted."""


class _Final(models.Model):
    """A row written once: saving it again or deleting it raises ``PublishedVersionIsFinal``
    (a backup's restore loads rows without ``save`` and empties tables without ``delete``)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PublishedVersionIsFinal(f"{self} is published and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedVersionIsFinal(f"{self} is published and cannot be deleted")


class PublishedStatement(_Final):
    """One published version of a year's statement: who published it and when, the approval it
    was published under, and the data version its files were built from (``files``).

    The files live in the database (``PublishedFile.content``), not in the state folder: the
    backup (``operations.backup``) carries them with the rest, the version and its files are
    written in one transaction (never a version without its files), and no later cleaning of
    the state folder's statement builds can lose one. A version is a few megabytes."""

    year = models.PositiveIntegerField(help_text="Year ending 31 March of the statement")
    number = models.PositiveIntegerField(help_text="Version of that year's statement: 1, 2, ...")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The publisher's user name, kept should their account go.
    published_by_name = models.CharField(max_length=150)
    approved_by = models.CharField(max_length=500, help_text="The sign-off's 'Approved by'")
    approved_on = models.DateField(help_text="The sign-off's 'Approved on'")
    #: Who saved the sign-off in the workspace, and when ('' and None when imported).
    approval_recorded_by = models.CharField(max_length=150, blank=True)
    approval_recorded_at = models.DateTimeField(null=True, blank=True)
    data_version = models.CharField(
        max_length=16, help_text="The data version (returns, registers, narrative) built from"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["year", "number"], name="one_number_per_year_version")
        ]

    def __str__(self) -> str:
        return f"statement {self.year} version {self.number}"


class PublishedFile(_Final):
    """One file of a published version, byte for byte as published, with its SHA-256."""

    statement = models.ForeignKey(
        PublishedStatement, on_delete=models.PROTECT, related_name="files"
    )
    format = models.CharField(max_length=8, help_text="html, pdf, xlsx or json")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["statement", "pk"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["statement", "format"], name="one_file_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.statement} ({self.format})"
