"""The Django models mirror the library's canonical schema (one schema, two homes)."""

from __future__ import annotations

from sufficiency.dataset import CHILDREN_SCHEMA, EPISODES_SCHEMA, UASC_SCHEMA
from sufficiency.web.data.models import Child, Episode, Uasc


def _fields(model: type) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if f.name != "id"}  # type: ignore[attr-defined]


def test_children_model_mirrors_schema() -> None:
    assert _fields(Child) == {c.lower() for c in CHILDREN_SCHEMA} | {"return_year"}


def test_episodes_model_mirrors_schema() -> None:
    assert _fields(Episode) == {c.lower() for c in EPISODES_SCHEMA}


def test_uasc_model_mirrors_schema() -> None:
    assert _fields(Uasc) == {c.lower() for c in UASC_SCHEMA} | {"return_year"}


def test_every_register_has_a_model_whose_fields_are_its_declaration() -> None:
    """Kind, choices, required, range, length, key and help of every field, from the schema."""
    from django.core.validators import MaxValueValidator, MinValueValidator
    from django.db import models

    from sufficiency.schema import REGISTERS
    from sufficiency.web.registers.fields import ListField
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    field_class = {
        "integer": models.IntegerField,
        "decimal": models.FloatField,
        "date": models.DateField,
        "month": models.DateField,
        "yes_no": models.BooleanField,
        "enum_list": ListField,
        "text_list": ListField,
    }
    assert set(EDITABLE_REGISTERS) == set(REGISTERS)
    for name, schema in REGISTERS.items():
        model = EDITABLE_REGISTERS[name]
        assert model.columns == schema.column_names, name
        bookkeeping = ("id", "version", "updated_at", "retired_at", "retired_reason")
        fields = [f for f in model._meta.concrete_fields if f.name not in bookkeeping]
        assert [f.name for f in fields] == list(schema.column_names), name
        for column, field in zip(schema.columns, fields, strict=True):
            where = f"{name}.{column.name}"
            assert type(field) is field_class.get(column.kind, models.CharField), where
            assert field.blank is (not column.required), where
            assert field.help_text == column.help, where
            assert field.unique is (schema.key == (column.name,)), where
            choices = [v for v, _ in field.choices] if field.choices else []
            assert choices == (list(column.values) if column.kind == "enum" else []), where
            if isinstance(field, ListField):
                assert field.item_choices == column.values, where
            if column.max_length is not None:
                assert field.max_length == column.max_length, where
            bounds = {
                type(v): v.limit_value
                for v in field.validators
                if isinstance(v, (MinValueValidator, MaxValueValidator))
            }
            expected = {}
            if column.low is not None:
                expected[MinValueValidator] = column.low
            if column.high is not None:
                expected[MaxValueValidator] = column.high
            assert bounds == expected, where
