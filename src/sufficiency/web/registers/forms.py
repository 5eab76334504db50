# mypy: allow-subclassing-any
"""The form for one register row, built from its declaration and checked by it.

Every field is read as the text a file cell would hold and the row is checked by
``ingest.registers.parse_register`` (no temporary file), so a form names a bad value in the same
words as a CSV or XLSX import; the register's unique key and columns unique when given are
checked against the other rows, and the database refuses a repeat saved since (``save_row``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import polars as pl
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.db import IntegrityError, transaction

from sufficiency.ingest.registers import parse_register, repeated_message, text_frame
from sufficiency.schema import REGISTERS, Column
from sufficiency.web.registers.models import EDITABLE_REGISTERS, TAKEN, Versioned
from sufficiency.web.registers.store import field_values, register_frame
from sufficiency.web.widgets import date_input, number_input

#: Where a form's problems say they are (in place of a file name).
FORM_SOURCE = "form"


class ItemsField(forms.MultipleChoiceField):
    """A list column: a checkbox for each declared value; those ticked are read as ``;``-joined
    text (none ticked: blank), which the declaration checks as it checks a file's cell."""

    widget = forms.CheckboxSelectMultiple

    def validate(self, value: Any) -> None:
        """Nothing here: the declaration names a value it does not allow (``RegisterForm``)."""

    def clean(self, value: Any) -> str:
        return ";".join(str(v) for v in self.to_python(value))


def form_field(column: Column) -> forms.Field:
    """The form field of a declared column: text in, with the GOV.UK input that fits its kind."""
    common: dict[str, Any] = {
        "required": False,  # the declaration says when a blank is wrong, in its own words
        "label": column.name.replace("_", " ").capitalize(),
        "help_text": "; ".join(t for t in (column.help, f"expected {column.expected()}") if t),
    }
    kind = column.kind
    if kind == "enum":
        choices = [("", "Not given"), *((v, column.label(v)) for v in column.values)]
        return forms.CharField(widget=forms.Select(choices=choices), **common)
    if kind == "enum_list":
        return ItemsField(choices=[(v, column.label(v)) for v in column.values], **common)
    if kind == "yes_no":
        choices = [("", "Not given"), ("yes", "Yes"), ("no", "No")]
        return forms.CharField(widget=forms.Select(choices=choices), **common)
    if kind in ("date", "month"):
        widget = (
            date_input() if kind == "date" else forms.TextInput(attrs={"placeholder": "yyyy-mm"})
        )
        return forms.CharField(widget=widget, **common)
    if kind in ("integer", "decimal"):
        return forms.CharField(widget=number_input(4 if kind == "integer" else 10), **common)
    if (column.max_length or 0) > 200:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return forms.CharField(**common)


class RegisterForm(forms.Form):
    """A row of one register; ``typed`` holds the checked row after ``is_valid``."""

    register: str = ""
    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: Versioned | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and instance.pk is not None and "initial" not in kwargs:
            kwargs["initial"] = {**initial_values(instance), "read_version": instance.version}
        super().__init__(*args, **kwargs)
        self.typed: dict[str, Any] = {}
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save"))

    def clean(self) -> dict[str, Any]:
        """Check the row by the register's declaration, as a file import would."""
        data: dict[str, Any] = super().clean() or {}
        schema = REGISTERS[self.register]
        text = {c.name: [str(data.get(c.name) or "")] for c in schema.columns}
        raw = pl.DataFrame(text, schema=dict.fromkeys(text, pl.Utf8))
        typed, problems = parse_register(self.register, raw, FORM_SOURCE)
        for p in problems:
            if p.severity == "error":
                self.add_error(p.column if p.column in self.fields else None, p.message)
        if not self.errors:
            self.typed = typed.row(0, named=True)
            self._check_repeats()
            problem = self._row().rule_problem()  # a vacancy's places never below its allocations
            if problem:
                self.add_error(*problem)
        return data

    def _row(self) -> Versioned:
        """The row as the checked form would save it (the edited row itself is left as it is)."""
        row = self.instance if self.instance is not None else EDITABLE_REGISTERS[self.register]()
        return self.apply(copy.copy(row))

    def save_row(self, read_version: int | None = None) -> bool:
        """Write the checked row (after ``is_valid``): a new row, or the edited row if nobody has
        saved it since ``read_version``; True when saved. Not saved, with the form's error, when
        another row took its key or a unique value since the check (the database holds them) or
        its ``rule_problem`` fails under its lock (a vacancy allocated meanwhile); without one
        when someone else saved the row."""
        row = self._row()
        if row.pk is None:
            try:
                with transaction.atomic():
                    if serialised_check(self.register):  # no constraint holds this rule
                        serialise_checks(self.register)
                        if repeats(self.register, field_values(self.register, self.typed)):
                            raise IntegrityError(self.register)
                    row.save()  # audited by django-auditlog (a create entry)
                return True
            except IntegrityError:
                row.refused = TAKEN
        elif read_version is None:
            raise ValueError("an edit is saved over the version it was read at")
        elif row.save_versioned(read_version):
            return True
        if row.refused == TAKEN:
            self._check_repeats()  # names the key or value, as the check before the save does
        if row.refused and not self.errors:
            self.add_error(*row.refused)
        return False

    def _check_repeats(self) -> None:
        """The register's key, and each column unique when given, must not repeat another row's
        (the message a file import gives)."""
        values = field_values(self.register, self.typed)
        for column, message in repeats(self.register, values, self.instance):
            self.add_error(column, message)

    def apply(self, instance: Versioned) -> Versioned:
        """``instance`` with the checked row's values (call after ``is_valid``)."""
        for name, value in field_values(self.register, self.typed).items():
            setattr(instance, name, value)
        return instance


def repeats(
    name: str, values: Mapping[str, Any], row: Versioned | None = None
) -> list[tuple[str | None, str]]:
    """(field, message) for each key or value of a column unique when given in ``values`` (model
    field values) that another stored row of register ``name`` has; a blank repeats freely.

    ``row`` is the stored row being edited or restored: a retired row counts against a value new
    to it only, so a row keeps a value it shares with a retired row (an import of a register
    without a key retires a changed setting's row and adds it anew, URN and all)."""
    model = EDITABLE_REGISTERS[name]
    out: list[tuple[str | None, str]] = []
    if name == "referrals" and values.get("referral_id"):
        out += _web_referrals(str(values["referral_id"]))
    if not REGISTERS[name].key:
        out += _same_row(name, values, row)
    for key in REGISTERS[name].unique_keys:
        if any(values[k] in (None, "") for k in key):
            continue
        # text ignoring case, as a file import compares it (FC00001 and fc00001 are one id)
        others = model.rows.filter(
            **{f"{k}__iexact" if isinstance(values[k], str) else k: values[k] for k in key}
        )
        if row is not None and row.pk is not None:
            others = others.exclude(pk=row.pk)
            if all(getattr(row, k) == values[k] for k in key):
                others = others.filter(retired_at__isnull=True)
        if not others.exists():
            continue
        retired = not others.filter(retired_at__isnull=True).exists()
        shown = ", ".join(str(values[k]) for k in key)
        out.append(
            (
                key[0],
                repeated_message(key, shown)
                + (": a retired row has it, restore that row instead" if retired else ""),
            )
        )
    return out


#: What the form says of a row with no key whose every value a row in use has already (the
#: same form sent twice: a double click, or the back button).
SAME_ROW = (
    "This row is already in the register, with the same value in every column, so it was not "
    "added again. Change a value if it is a different row."
)


def serialised_check(name: str) -> bool:
    """Whether a new row of ``name`` is checked again, under ``serialise_checks``, as it is
    saved: no unique constraint in the database holds what ``repeats`` checks of it (a
    register without a key; the referrals register, whose references web referrals share)."""
    return name == "referrals" or not REGISTERS[name].key


def serialise_checks(name: str) -> None:
    """Hold the lock under which a new row of ``name`` is checked and saved (in a transaction)."""
    if name == "referrals":
        from sufficiency.web.matching.references import lock

        lock()  # the one a new web referral takes too
    else:
        from sufficiency.web.serialised import serialise

        serialise(f"register {name}")


def _web_referrals(reference: str) -> list[tuple[str | None, str]]:
    """The referral a web referral already has (ignoring case): one key space, one rule."""
    from sufficiency.web.matching.references import holders, in_use_message

    web = [h for h in holders(reference) if h.web]
    return [("referral_id", in_use_message(reference, web))] if web else []


def _same_row(
    name: str, values: Mapping[str, Any], row: Versioned | None
) -> list[tuple[str | None, str]]:
    """A register without a key: a row in use with every value of ``values`` (other than
    ``row``, the one being edited or restored) is the same row sent again, refused as the
    referral page's outcome form refuses one (``matching.services.record_once``)."""
    same = EDITABLE_REGISTERS[name].objects.filter(**dict(values))
    if row is not None and row.pk is not None:
        same = same.exclude(pk=row.pk)
    return [(None, SAME_ROW)] if same.exists() else []


def initial_values(instance: Versioned) -> dict[str, Any]:
    """A saved row as its form shows it: the codec's canonical text (checkbox lists as lists)."""
    name = instance.register
    model = EDITABLE_REGISTERS[name]
    typed = register_frame(name, model.objects.filter(pk=instance.pk))
    text = text_frame(name, typed).row(0, named=True)
    first = typed.row(0, named=True)
    return {
        c.name: (first[c.name] or []) if c.kind == "enum_list" else (text[c.name] or "")
        for c in REGISTERS[name].columns
    }


def form_class(name: str) -> type[RegisterForm]:
    """The form of register ``name``: one field per declared column, in order."""
    schema = REGISTERS[name]
    attrs: dict[str, Any] = {"register": name}
    attrs.update({c.name: form_field(c) for c in schema.columns})
    return type(f"{name.title().replace('_', '')}Form", (RegisterForm,), attrs)
