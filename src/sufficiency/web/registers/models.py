# mypy: allow-subclassing-any
"""Registers as Django models; field names are the register columns of DESIGN.md.

Every editable register row carries ``version`` for optimistic locking: an update states the
version it was read at and fails (nothing written) if someone saved in between.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class Versioned(models.Model):
    """Optimistic locking: ``version`` increases on every save through ``save_versioned``."""

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    #: Register name (file stem in DATA/registers) this model mirrors.
    register: ClassVar[str] = ""
    #: Columns as they appear in the register file, in order.
    columns: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save_versioned(self, read_version: int) -> bool:
        """Save only if nobody saved since ``read_version``; True when saved."""
        values: dict[str, Any] = {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if not f.primary_key and f.attname not in ("version", "updated_at")
        }
        from django.utils import timezone

        updated = (
            type(self)
            .objects.filter(pk=self.pk, version=read_version)
            .update(version=read_version + 1, updated_at=timezone.now(), **values)
        )
        if updated:
            self.version = read_version + 1
        return bool(updated)


class Vacancy(Versioned):
    register = "vacancies"
    columns = (
        "vacancy_id",
        "provider_kind",
        "provider_id",
        "placement_type",
        "places",
        "available_from",
        "age_min",
        "age_max",
        "sex",
        "siblings",
        "needs_accepted",
        "postcode",
        "weekly_cost",
        "contract",
        "rating",
        "skills",
        "languages",
        "faith",
        "culture",
        "registered",
    )

    PROVIDER_KINDS = [  # noqa: RUF012
        (k, k.replace("_", " "))
        for k in ("in_house_carer", "ifa", "children_home", "supported_accommodation")
    ]
    CONTRACTS = [(k, k.replace("_", " ")) for k in ("in_house", "block", "framework", "spot")]  # noqa: RUF012
    SEXES = [("any", "any"), ("M", "male only"), ("F", "female only")]  # noqa: RUF012

    vacancy_id = models.CharField(max_length=40, unique=True)
    provider_kind = models.CharField(max_length=30, choices=PROVIDER_KINDS)
    provider_id = models.CharField(max_length=40)
    placement_type = models.CharField(max_length=40)
    places = models.PositiveSmallIntegerField(default=1)
    available_from = models.DateField()
    age_min = models.PositiveSmallIntegerField(default=0)
    age_max = models.PositiveSmallIntegerField(default=17)
    sex = models.CharField(max_length=3, choices=SEXES, default="any")
    siblings = models.PositiveSmallIntegerField(default=0)
    needs_accepted = models.CharField(
        max_length=400, blank=True, help_text="Needs the provider accepts, separated by ;"
    )
    postcode = models.CharField(max_length=10, blank=True)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    contract = models.CharField(max_length=20, choices=CONTRACTS, default="spot")
    rating = models.CharField(max_length=30, blank=True)
    skills = models.CharField(
        max_length=400, blank=True, help_text="Carers' or staff skills, separated by ;"
    )
    languages = models.CharField(
        max_length=200, blank=True, help_text="Languages spoken, separated by ;"
    )
    faith = models.CharField(max_length=60, blank=True)
    culture = models.CharField(max_length=100, blank=True)
    registered = models.BooleanField(
        null=True,
        blank=True,
        help_text="Registered with Ofsted (homes and supported accommodation)",
    )

    class Meta:
        ordering = ["available_from", "vacancy_id"]  # noqa: RUF012
        verbose_name_plural = "vacancies"
        # No database check of age_min <= age_max: rows the library's register loader accepts
        # must import losslessly. The edit form refuses a reversed range (registers/views.py).

    def __str__(self) -> str:
        return str(self.vacancy_id)


class Carer(Versioned):
    register = "carers"
    columns = (
        "household_id",
        "status",
        "approval_types",
        "approved_date",
        "deregistered_date",
        "deregistration_reason",
        "places",
        "occupied",
        "age_min",
        "age_max",
        "siblings",
        "postcode",
        "reg24_start",
        "enquiry_date",
    )
    STATUSES = [  # noqa: RUF012
        (k, k.replace("_", " ")) for k in ("approved", "in_assessment", "reg24", "deregistered")
    ]

    household_id = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=STATUSES)
    approval_types = models.CharField(max_length=200, blank=True)
    approved_date = models.DateField(null=True, blank=True)
    deregistered_date = models.DateField(null=True, blank=True)
    deregistration_reason = models.CharField(max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(default=0)
    occupied = models.PositiveSmallIntegerField(default=0)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    siblings = models.PositiveSmallIntegerField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    reg24_start = models.DateField(null=True, blank=True)
    enquiry_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.household_id)


class Home(Versioned):
    register = "homes"
    columns = (
        "urn",
        "name",
        "provider",
        "sector",
        "local_authority",
        "postcode",
        "places",
        "rating",
        "rating_date",
        "registered_date",
        "in_house",
        "home_type",
        "closed_date",
    )

    urn = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=30, blank=True)
    local_authority = models.CharField(max_length=9, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    places = models.PositiveSmallIntegerField(default=0)
    rating = models.CharField(max_length=30, blank=True)
    rating_date = models.DateField(null=True, blank=True)
    registered_date = models.DateField(null=True, blank=True)
    in_house = models.BooleanField(default=False)
    home_type = models.CharField(max_length=60, blank=True)
    closed_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.urn} {self.name}"


class Contract(Versioned):
    register = "contracts"
    columns = (
        "contract_id",
        "provider",
        "kind",
        "placement_type",
        "places",
        "weekly_price",
        "start",
        "end",
    )

    contract_id = models.CharField(max_length=40, unique=True)
    provider = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=[("block", "block"), ("framework", "framework"), ("spot", "spot")]
    )
    placement_type = models.CharField(max_length=40)
    places = models.PositiveSmallIntegerField(default=0)
    weekly_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.contract_id)


class Action(Versioned):
    register = "actions"
    columns = ("action_id", "area", "activity", "expected_impact", "owner", "due", "status")

    action_id = models.CharField(max_length=40, unique=True)
    area = models.CharField(max_length=100)
    activity = models.TextField()
    expected_impact = models.TextField(blank=True)
    owner = models.CharField(max_length=100, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return str(self.action_id)


class Target(Versioned):
    register = "targets"
    columns = ("measure_id", "baseline_date", "baseline", "target", "target_date", "direction")

    measure_id = models.CharField(max_length=60)
    baseline_date = models.DateField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField()
    target_date = models.DateField()
    direction = models.CharField(max_length=4, choices=[("up", "up"), ("down", "down")])

    def __str__(self) -> str:
        return f"{self.measure_id} -> {self.target}"


class RegisterRow(models.Model):
    """Rows of the registers edited as files only (costs, recruitment, population, ...)."""

    register = models.CharField(max_length=40, db_index=True)
    data = models.JSONField()


EDITABLE_REGISTERS: dict[str, type[Versioned]] = {
    m.register: m for m in (Vacancy, Carer, Home, Contract, Action, Target)
}
