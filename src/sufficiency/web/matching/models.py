# mypy: allow-subclassing-any
"""Referrals, allocations and outcomes of home finding.

A vacancy place can never be allocated twice: each allocation takes a numbered slot of its
vacancy (unique per vacancy) inside a transaction that locks the vacancy row and checks the slot
is within its places.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sufficiency.web.registers.models import Vacancy


class Referral(models.Model):
    referral_id = models.CharField(max_length=40, unique=True)
    data = models.JSONField(help_text="The referral in the placements-standard JSON of DESIGN.md")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return str(self.referral_id)


class Allocation(models.Model):
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="allocation")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="allocations")
    slot = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["vacancy", "slot"], name="one_child_per_vacancy_place"),
            models.CheckConstraint(condition=models.Q(slot__gte=1), name="slot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.referral} allocated {self.vacancy} place {self.slot}"


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

    def __str__(self) -> str:
        return f"{self.referral} outcome at {self.vacancy_id}"
