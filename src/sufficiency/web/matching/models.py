# mypy: allow-subclassing-any
"""Referrals, allocations and outcomes of home finding.

A referral's reference is its identity: unique, URL-safe and never changed once created. A
vacancy place can never be allocated twice: each live allocation takes a numbered slot of its
vacancy (unique per vacancy among live allocations) inside a transaction that locks the vacancy
row and checks the slot is within its places; a referral has at most one live allocation. An
allocation is withdrawn (with a reason), never deleted, so the history stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

#: A reference becomes part of the referral's web address: letters, digits, '-', '_' and '.'.
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z"
REFERENCE_MESSAGE = (
    "Use only letters, digits, '-', '_' and '.' (no spaces, '/' or '?'), starting with a letter "
    "or digit: the reference is part of the referral's web address"
)
valid_reference = RegexValidator(REFERENCE_PATTERN, REFERENCE_MESSAGE, code="reference")


class Referral(models.Model):
    referral_id = models.CharField(max_length=40, unique=True, validators=[valid_reference])
    data = models.JSONField(help_text="The referral in the placements-standard JSON of DESIGN.md")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.referral_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a reference is never changed once the referral exists."""
        if self.pk is not None:
            stored = Referral.objects.filter(pk=self.pk).values_list("referral_id", flat=True)
            if stored and stored[0] != self.referral_id:
                raise ValueError(
                    f"Referral {stored[0]}'s reference cannot change (to {self.referral_id})"
                )
        super().save(*args, **kwargs)


class Allocation(models.Model):
    """A vacancy place given to a referral; withdrawn (not deleted) when it falls through."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="allocations")
    #: The vacancy's id in the vacancies register (kept if the vacancy is later removed).
    vacancy_id = models.CharField(max_length=40, db_index=True)
    slot = models.PositiveSmallIntegerField()
    #: The matcher's score, computed by the server when the allocation was made; None when an
    #: excluded vacancy was allocated by override.
    score = models.FloatField(null=True, blank=True)
    #: Hard rules the vacancy failed for this referral (allocated by override), and why.
    excluded_by = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["vacancy_id", "slot"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_child_per_vacancy_place",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_allocation_per_referral",
            ),
            models.CheckConstraint(condition=models.Q(slot__gte=1), name="slot_positive"),
        ]

    def __str__(self) -> str:
        withdrawn = " (withdrawn)" if self.withdrawn_at else ""
        return f"{self.referral} allocated {self.vacancy_id} place {self.slot}{withdrawn}"


class Outcome(models.Model):
    """Offers, declines and placements of a referral (registers/outcomes.csv rows)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="outcomes")
    vacancy_id = models.CharField(max_length=40)
    offered = models.BooleanField(default=False)
    accepted = models.BooleanField(default=False)
    placed_date = models.DateField(null=True, blank=True)
    placed_type = models.CharField(max_length=40, blank=True)
    decline_reason = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.referral} outcome at {self.vacancy_id}"
