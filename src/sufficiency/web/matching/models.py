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


class ProviderContact(models.Model):
    """Who to write to about a provider's vacancies: keyed by the vacancies register's
    ``provider_id`` (a carer household's id or a home's Ofsted URN)."""

    provider_id = models.CharField(max_length=40, unique=True, validators=[valid_reference])
    name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.provider_id})"


class VacancyListing(models.Model):
    """What the board knows of a vacancy beyond its register row: when the workspace first saw it
    (new vacancies are matched against open referrals then) and when the offer expires."""

    vacancy_id = models.CharField(max_length=40, unique=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"vacancy {self.vacancy_id}"


class Hold(models.Model):
    """A vacancy place kept for one referral until ``expires_on`` (inclusive), unless released
    first. A live hold counts against the vacancy's places for every other referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="holds")
    vacancy_id = models.CharField(max_length=40, db_index=True)
    expires_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    release_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.vacancy_id} held for {self.referral} until {self.expires_on:%d/%m/%Y}"


class SummarySend(models.Model):
    """An anonymised referral summary emailed to chosen providers (what was sent, to whom)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="summaries")
    provider_ids = models.JSONField(default=list)
    recipients = models.JSONField(default=list)
    fields = models.JSONField(default=list, help_text="label/value pairs as sent")
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"summary {self.pk} of {self.referral}"


class ProviderAnswer(models.Model):
    """A provider's answer to a referral summary: an offer (of a vacancy) or a decline (why)."""

    OFFER = "offer"
    DECLINE = "decline"
    ANSWERS = ((OFFER, "Offer"), (DECLINE, "Decline"))

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="answers")
    provider_id = models.CharField(max_length=40)
    answer = models.CharField(max_length=10, choices=ANSWERS)
    vacancy_id = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [  # noqa: RUF012
            models.CheckConstraint(
                condition=~models.Q(answer="decline") | ~models.Q(reason=""),
                name="a_decline_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.answer} for {self.referral}"


class Notification(models.Model):
    """A new vacancy that passes the matcher's hard rules for an open referral; each home finder
    marks it read for themselves."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notifications")
    vacancy_id = models.CharField(max_length=40)
    score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["referral", "vacancy_id"], name="one_notification_per_match"
            ),
        ]

    def __str__(self) -> str:
        return f"vacancy {self.vacancy_id} matches referral {self.referral}"
