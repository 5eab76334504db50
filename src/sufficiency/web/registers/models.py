# mypy: allow-subclassing-any
"""Every register as a Django model, built from its declaration (``sufficiency.schema``): one
field per declared column, in order, with the column's kind, choices, range and help.

Adding a column to a register is one line in ``schema/registers.py`` and a migration
(``makemigrations``). Every row carries ``version`` for optimistic locking: an update states the
version it was read at and fails (nothing written) if someone saved in between.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from sufficiency.schema import REGISTERS
from sufficiency.web.registers.fields import model_field


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

    def __str__(self) -> str:
        return str(getattr(self, self.columns[0], "")) if self.columns else super().__str__()

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


def register_model(class_name: str, register: str, singular: str) -> type[Versioned]:
    """The model of ``register``: its declared columns as fields (a one-column key unique), rows
    kept in the order they were added (the file's order)."""
    schema = REGISTERS[register]
    meta = type(
        "Meta",
        (),
        {
            "ordering": ["pk"],
            "verbose_name": singular,
            "verbose_name_plural": register.replace("_", " "),
        },
    )
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": f"A row of registers/{register}: {schema.description}",
        "Meta": meta,
        "register": register,
        "columns": schema.column_names,
    }
    for column in schema.columns:
        attrs[column.name] = model_field(column, unique=schema.key == (column.name,))
    return type(class_name, (Versioned,), attrs)


Cost = register_model("Cost", "costs", "cost")
Carer = register_model("Carer", "carers", "carer household")
Home = register_model("Home", "homes", "home")
SupportedAccommodation = register_model(
    "SupportedAccommodation", "supported_accommodation", "supported accommodation setting"
)
Vacancy = register_model("Vacancy", "vacancies", "vacancy")
Contract = register_model("Contract", "contracts", "contract")
RecruitmentMonth = register_model("RecruitmentMonth", "recruitment", "recruitment month")
Adopter = register_model("Adopter", "adopters", "adopter household")
ReferralRecord = register_model("ReferralRecord", "referrals", "referral")
OutcomeRecord = register_model("OutcomeRecord", "outcomes", "referral outcome")
Action = register_model("Action", "actions", "action")
Target = register_model("Target", "targets", "target")
Benchmark = register_model("Benchmark", "benchmarks", "benchmark")
PopulationYear = register_model("PopulationYear", "population", "population year")

#: Register name -> its model, for every declared register.
EDITABLE_REGISTERS: dict[str, type[Versioned]] = {
    m.register: m
    for m in (
        Cost,
        Carer,
        Home,
        SupportedAccommodation,
        Vacancy,
        Contract,
        RecruitmentMonth,
        Adopter,
        ReferralRecord,
        OutcomeRecord,
        Action,
        Target,
        Benchmark,
        PopulationYear,
    )
}
