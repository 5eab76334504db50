# mypy: allow-subclassing-any
"""Canonical SSDA903 tables as Django models.

Field names are the library's schema columns in lower case (``dataset.CHILDREN_SCHEMA``,
``EPISODES_SCHEMA``, ``UASC_SCHEMA``); a test keeps them equal. Rows are stored per return
(``return_year``) exactly as loaded, so the web builds the same Dataset the CLI builds from files.
An upload waits as a ``StagedUpload`` until it is confirmed; the version it replaces (or a deleted
one) is kept as a ``ReturnArchive`` and can be restored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sufficiency.ingest.tables import CHILD_MAX


class CouncilProfile(models.Model):
    """The council's la.toml, as text (one row)."""

    toml = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)


class ReturnYear(models.Model):
    """One loaded SSDA903 return, named by the year it ends."""

    year = models.PositiveSmallIntegerField(unique=True)
    uploaded_at = models.DateTimeField(auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    children = models.PositiveIntegerField(default=0)
    episodes = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.year - 1}-{str(self.year)[2:]} return"


class Child(models.Model):
    """A header row (one child in one return)."""

    return_year = models.ForeignKey(
        ReturnYear, on_delete=models.CASCADE, related_name="children_rows"
    )
    child = models.CharField(max_length=CHILD_MAX, db_index=True)
    sex = models.CharField(max_length=1, blank=True)
    dob = models.DateField(null=True)
    ethnic = models.CharField(max_length=4, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    mother = models.SmallIntegerField(null=True)
    mc_dob = models.DateField(null=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["return_year", "child"], name="child_once_per_return")
        ]

    def __str__(self) -> str:
        return f"child {self.child}"


class Episode(models.Model):
    """An episode row of one return."""

    return_year = models.ForeignKey(
        ReturnYear, on_delete=models.CASCADE, related_name="episode_rows"
    )
    child = models.CharField(max_length=CHILD_MAX, db_index=True)
    decom = models.DateField()
    rne = models.CharField(max_length=2, blank=True)
    ls = models.CharField(max_length=3, blank=True)
    cin = models.CharField(max_length=3, blank=True)
    place = models.CharField(max_length=4, blank=True)
    place_provider = models.CharField(max_length=4, blank=True)
    dec = models.DateField(null=True)
    rec = models.CharField(max_length=4, blank=True)
    reason_place_change = models.CharField(max_length=6, blank=True)
    home_post = models.CharField(max_length=10, blank=True)
    pl_post = models.CharField(max_length=10, blank=True)
    urn = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["child", "decom"]  # noqa: RUF012


class Uasc(models.Model):
    """A UASC table row of one return."""

    return_year = models.ForeignKey(ReturnYear, on_delete=models.CASCADE, related_name="uasc_rows")
    child = models.CharField(max_length=CHILD_MAX, db_index=True)
    sex = models.CharField(max_length=1, blank=True)
    dob = models.DateField(null=True)
    duc = models.DateField(null=True)


class ExtraTableRow(models.Model):
    """Rows of the other 903 tables (reviews, missing, oc2, oc3, ad1, ...), kept column-for-column."""

    return_year = models.ForeignKey(ReturnYear, on_delete=models.CASCADE, related_name="extra_rows")
    table = models.CharField(max_length=40)
    data = models.JSONField()


class ReturnArchive(models.Model):
    """A previous version of a return, kept when it was replaced or deleted (its files, as the
    database held them), so that it can be checked and restored."""

    year = models.PositiveSmallIntegerField(db_index=True)
    children = models.PositiveIntegerField(default=0)
    episodes = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(auto_now_add=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200)
    files = models.BinaryField(help_text="A zip of the return's CSV files")

    class Meta:
        ordering = ["-archived_at", "-pk"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.year - 1}-{str(self.year)[2:]} return archived {self.archived_at:%d/%m/%Y %H:%M}"


class StagedUpload(models.Model):
    """Return files checked and waiting for their uploader's confirmation: nothing reaches the
    returns until then. ``basis`` names the returns loaded when they were checked."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=200, default="upload")
    files = models.BinaryField(help_text="A zip of the files as uploaded (names kept)")
    year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField(default=0)
    episodes = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)
    basis = models.CharField(max_length=400, blank=True)

    def __str__(self) -> str:
        return f"{self.year - 1}-{str(self.year)[2:]} return waiting for confirmation"


class Narrative(models.Model):
    """The council's own words for one statement section (``narrative/<section>.md``): the
    markdown the statement attaches to that section. ``sign_off`` holds the approval lines.
    Every change is an audit-log entry (django-auditlog, registered by the app), which is the
    section's history; ``version`` guards an edit against overwriting someone else's."""

    section = models.CharField(max_length=80, unique=True)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["section"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"narrative/{self.section}.md"
