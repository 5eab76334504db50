"""Checks a migration makes before it asks the database to hold a rule: rows that break it are
named with what to do, instead of the database's bare integrity error half-way through."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count, F, Q
from django.db.models.functions import Lower


class RowsBreakRule(Exception):
    """Stored rows break a rule a migration is about to make the database hold."""


def compared_column(expression: Any) -> str:
    """The column a constraint's expression compares (``Lower("urn")`` or ``F("year")``)."""
    return str(
        expression.name
        if isinstance(expression, F)
        else compared_column(expression.source_expressions[0])
    )


def repeats(apps: Any, operations: list[Any]) -> list[str]:
    """Each group of stored rows sharing what one of ``operations``' new unique constraints
    compares (text ignoring case), as ``model column(s): value x count``."""
    found = []
    for op in operations:
        if not isinstance(op, migrations.AddConstraint):
            continue
        model = apps.get_model("web_registers", op.model_name)
        constraint = op.constraint
        columns = [compared_column(e) for e in constraint.expressions] or list(constraint.fields)
        compared = {
            f"__{c}": (Lower(c) if isinstance(e, Lower) else F(c))
            for c, e in zip(columns, constraint.expressions or [F(c) for c in columns], strict=True)
        }
        rows = model._base_manager.filter(constraint.condition or Q())
        groups = rows.annotate(**compared).values(*compared).annotate(n=Count("pk")).filter(n__gt=1)
        for group in groups:
            shown = ", ".join(str(group[k]) for k in compared)
            found.append(f"{op.model_name} {', '.join(columns)}: {shown} x {group['n']}")
    return found


def refuse_repeats(operations: list[Any]) -> migrations.RunPython:
    """A step that stops the migration, naming the rows, when stored rows would break one of
    ``operations``' new unique constraints."""

    def check(apps: Any, schema_editor: Any) -> None:
        found = repeats(apps, operations)
        if found:
            raise RowsBreakRule(
                "These register rows repeat a key or a value that must be unique (text "
                "compared ignoring case, as a file import compares it): "
                + "; ".join(found)
                + ". Change or retire all but one of each in the web workspace's registers "
                "(or the register file, and import it again), then run the migration again."
            )

    return migrations.RunPython(check, migrations.RunPython.noop)


def refuse_blanks(model_name: str, field: str, named_by: str, what: str) -> migrations.RunPython:
    """A step that stops the migration, naming the rows (by ``named_by``), when stored rows of
    ``model_name`` have no ``field``, which the database is about to require (``what``: how to
    give it)."""

    def check(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model("web_registers", model_name)
        blank = model._base_manager.filter(**{f"{field}__isnull": True})
        keys = [str(k) for k in blank.values_list(named_by, flat=True)[:20]]
        if keys:
            raise RowsBreakRule(
                f"{blank.count()} {model_name} row(s) have no {field} ({named_by} "
                f"{', '.join(keys)}), which is now required: {what}, then run the migration again."
            )

    return migrations.RunPython(check, migrations.RunPython.noop)
