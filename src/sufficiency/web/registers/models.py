# mypy: allow-subclassing-any
"""Every register as a Django model, built from its declaration (``sufficiency.schema``): one
field per declared column, in order, with the column's kind, choices, range and help.

Adding a column to a register is one line in ``schema/registers.py`` and a migration
(``makemigrations``). The database holds each register's declared uniqueness (its key, and each
column unique when given among the rows in use), so two requests that pass the form's check at
once cannot both write. Every row carries ``version`` for optimistic locking: an update states
the version it was read at and fails (nothing written) if someone saved in between. A row is never
deleted from the web: it is retired with a reason (``retired_at``, ``retired_reason``) and kept,
and every change is an audit-log entry (``registers.history`` shows a row's).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import IntegrityError, models
from django.db.models import F
from django.db.models.functions import Lower

from sufficiency.schema import REGISTERS
from sufficiency.schema.columns import TEXT_KINDS
from sufficiency.web.registers.fields import model_field

#: Why a save was refused: the form field it concerns (None: the whole row) and the message.
Refusal = tuple[str | None, str]
#: A save the database refused because another row has the key or a value unique when given
#: (saved since the form's check); the form names which (``forms.repeats``).
TAKEN: Refusal = (
    None,
    "Another row with the same key or unique value was saved at the same moment. Nothing was "
    "saved: check the register and try again.",
)


class ActiveRows(models.Manager):
    """The rows in use: retired rows are kept (history) but are not part of the register."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(retired_at__isnull=True)


class Versioned(models.Model):
    """Optimistic locking: ``version`` increases on every save through ``save_versioned``.

    ``rows`` (the default manager: backups, key checks) holds every row; ``objects`` only the
    rows in use, which is what the Dataset, matching and the register pages read."""

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.CharField(max_length=500, blank=True)

    rows = models.Manager()
    objects = ActiveRows()

    #: Register name (file stem in DATA/registers) this model mirrors.
    register: ClassVar[str] = ""
    #: Columns as they appear in the register file, in order.
    columns: ClassVar[tuple[str, ...]] = ()
    #: Why the last ``save_versioned`` saved nothing though nobody had saved the row since it
    #: was read (None: saved, or someone had).
    refused: Refusal | None = None

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, self.columns[0], "")) if self.columns else super().__str__()

    def rule_problem(self) -> Refusal | None:
        """What in the row's values breaks a rule other records' changes can break (a vacancy's
        places below its allocations), or None; the form checks it, and ``save_versioned``
        again under the row's lock."""
        return None

    def save_versioned(self, read_version: int, **details: Any) -> bool:
        """Save only if nobody saved since ``read_version``; True when saved. The row is locked
        (as an allocation locks its vacancy) while ``rule_problem`` is checked again and the row
        written: a refusal, or a key or unique value another row took meanwhile, saves nothing
        and says why in ``refused``. The change is one audit-log entry (field -> [before,
        after]); ``details`` go with it."""
        from auditlog.models import LogEntry
        from django.db import transaction
        from django.utils import timezone

        from sufficiency.web.audited import record

        names = [
            f.attname
            for f in self._meta.concrete_fields
            if not f.primary_key and f.attname not in ("version", "updated_at")
        ]
        values: dict[str, Any] = {n: getattr(self, n) for n in names}
        rows = type(self).rows.filter(pk=self.pk)
        self.refused = None
        try:
            with transaction.atomic():
                before = rows.select_for_update().values("version", *names).first()
                if before is None or before["version"] != read_version:
                    return False
                self.refused = self.rule_problem()
                if self.refused is not None:
                    return False
                rows.update(version=read_version + 1, updated_at=timezone.now(), **values)
                after = rows.values(*names).first() or {}
                changes: dict[str, list[object]] = {
                    n: [cell_text(before[n]), cell_text(after.get(n))]
                    for n in names
                    if before[n] != after.get(n)
                }
                record(
                    self,
                    str(self),
                    LogEntry.Action.UPDATE,
                    object_pk=self.pk,
                    changes=changes,
                    register=self.register,
                    version=read_version + 1,
                    **details,
                )
        except IntegrityError:
            self.refused = TAKEN
            return False
        self.version = read_version + 1
        return True


def cell_text(value: Any) -> str:
    """A stored value as an audit entry shows it (blank for none, ISO dates, ``;`` lists)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _compared(register: str, names: tuple[str, ...] | list[str]) -> list[Any]:
    """The columns of a declared uniqueness as the database compares them: text ignoring case,
    as a file import and the forms do (``FC00001`` and ``fc00001`` are one id)."""
    schema = REGISTERS[register]
    return [Lower(n) if schema.column(n).kind in TEXT_KINDS else F(n) for n in names]


def unique_constraints(register: str) -> list[models.UniqueConstraint]:
    """The database's hold on the register's declared uniqueness, text ignoring case: the key
    over every row (a one-column key's field is ``unique`` too), and each column unique when
    given among the rows in use, blanks aside (an import of a register without a key retires a
    changed row and adds it anew, value and all)."""
    schema = REGISTERS[register]
    held = []
    if any(schema.column(n).kind in TEXT_KINDS for n in schema.key) or len(schema.key) > 1:
        held.append(
            models.UniqueConstraint(*_compared(register, schema.key), name=f"{register}_key")
        )
    for name in schema.unique:
        blank = {name: ""} if schema.column(name).kind in TEXT_KINDS else {f"{name}__isnull": True}
        held.append(
            models.UniqueConstraint(
                *_compared(register, [name]),
                condition=models.Q(retired_at__isnull=True) & ~models.Q(**blank),
                name=f"{register}_{name}_unique_when_given",
            )
        )
    return held


def register_model(
    class_name: str, register: str, singular: str, **methods: Any
) -> type[Versioned]:
    """The model of ``register``: its declared columns as fields (a one-column key unique, the
    rest of its declared uniqueness ``unique_constraints``), rows kept in the order they were
    added (the file's order); ``methods`` as its own (``rule_problem``)."""
    schema = REGISTERS[register]
    meta = type(
        "Meta",
        (),
        {
            "ordering": ["pk"],
            "verbose_name": singular,
            "verbose_name_plural": register.replace("_", " "),
            "constraints": unique_constraints(register),
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
    return type(class_name, (Versioned,), {**attrs, **methods})


def vacancy_places(vacancy: Any) -> Refusal | None:
    """A vacancy's places never below its live allocations and holds (none kept once it is
    retired): a vacancy's ``rule_problem``."""
    from sufficiency.web.matching.services import places_problem

    places = 0 if vacancy.retired_at else vacancy.places
    held = places_problem(str(vacancy.vacancy_id), places)
    return ("places", held) if held else None


Cost = register_model("Cost", "costs", "cost")
Carer = register_model("Carer", "carers", "carer household")
Home = register_model("Home", "homes", "home")
SupportedAccommodation = register_model(
    "SupportedAccommodation", "supported_accommodation", "supported accommodation setting"
)
Vacancy = register_model("Vacancy", "vacancies", "vacancy", rule_problem=vacancy_places)
Contract = register_model("Contract", "contracts", "contract")
RecruitmentMonth = register_model("RecruitmentMonth", "recruitment", "recruitment month")
Adopter = register_model("Adopter", "adopters", "adopter household")
ReferralRecord = register_model("ReferralRecord", "referrals", "referral")
OutcomeRecord = register_model("OutcomeRecord", "outcomes", "referral outcome")
Action = register_model("Action", "actions", "action")
Target = register_model("Target", "targets", "target")
Benchmark = register_model("Benchmark", "benchmarks", "benchmark")
PopulationYear = register_model("PopulationYear", "population", "population year")
DisabledChild = register_model("DisabledChild", "disabled_children", "disabled child")
ShortBreakProvision = register_model(
    "ShortBreakProvision", "short_break_provision", "short-break provision"
)
PermanencePlan = register_model("PermanencePlan", "permanence_plans", "permanence plan")
CareLeaver25 = register_model("CareLeaver25", "care_leavers_25", "care leaver aged 18 to 25")
InterventionQuarter = register_model("InterventionQuarter", "interventions", "programme quarter")
FinanceYear = register_model("FinanceYear", "finance", "finance line")

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
        DisabledChild,
        ShortBreakProvision,
        PermanencePlan,
        CareLeaver25,
        InterventionQuarter,
        FinanceYear,
    )
}


class StagedImport(models.Model):
    """A register file checked and waiting for its uploader's confirmation: nothing reaches the
    register until then. ``basis`` is the register's state when it was checked, so a file
    checked against rows that have since changed must be checked again."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    register = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    content = models.BinaryField(help_text="The file as uploaded")
    summary = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    basis = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.file_name} for the {self.register} register, waiting for confirmation"
