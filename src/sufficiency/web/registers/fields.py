# mypy: allow-subclassing-any
"""Django model fields built from a register column's declaration (``sufficiency.schema``).

One mapping from kind to field: text-like kinds are ``CharField`` (an enumeration with its
choices), whole numbers ``IntegerField`` and numbers ``FloatField`` (with the declared range as
validators, and stored exactly), dates and months ``DateField``, yes/no a nullable
``BooleanField`` and lists a :class:`ListField`. A value that must be filled is ``blank=False``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from sufficiency.schema import Column


class ListField(models.CharField):
    """A list of text items, stored ``;``-joined; ``item_choices`` are the allowed items (an
    enumeration list) or empty (free items). A blank list is None in Python, '' in the table."""

    def __init__(self, *args: Any, item_choices: Sequence[str] = (), **kwargs: Any) -> None:
        self.item_choices = tuple(item_choices)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.item_choices:
            kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def to_python(self, value: Any) -> list[str] | None:
        if value is None or isinstance(value, list):
            return value or None
        items = [v.strip() for v in str(value).split(";") if v.strip()]
        return items or None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[str] | None:
        return self.to_python(value)

    def get_prep_value(self, value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return ";".join(str(v) for v in value)
        return "" if value is None else str(value)

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj))


def model_field(column: Column, *, unique: bool = False) -> Any:
    """The Django model field of a declared register column (``unique``: the register's key)."""
    blank = not column.required
    common: dict[str, Any] = {"blank": blank, "help_text": column.help, "unique": unique}
    kind = column.kind
    if kind in ("integer", "decimal"):
        validators = [
            *([MinValueValidator(column.low)] if column.low is not None else []),
            *([MaxValueValidator(column.high)] if column.high is not None else []),
        ]
        cls = models.IntegerField if kind == "integer" else models.FloatField
        return cls(null=blank, validators=validators, **common)
    if kind in ("date", "month"):
        return models.DateField(null=blank, **common)
    if kind == "yes_no":
        return models.BooleanField(null=blank, **common)
    if kind in ("enum_list", "text_list"):
        return ListField(max_length=column.max_length, item_choices=column.values, **common)
    if kind == "enum":
        choices = [(v, column.label(v)) for v in column.values]
        return models.CharField(max_length=column.max_length, choices=choices, **common)
    return models.CharField(max_length=column.max_length, **common)
