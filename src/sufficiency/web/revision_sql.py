"""Aggregates over many tables read in one query: the data's revision (``bridge.revision``) is
a few dozen counts and latest times, asked by each server process every few seconds, and a
query each cost more than the page it keyed.

An aggregate is ``(model, expression)``; the expression names the model's fields in braces,
e.g. ``"MAX({updated_at})"`` or ``"SUM(CASE WHEN {retired_at} IS NULL THEN 1 ELSE 0 END)"``,
which become their quoted columns. The values come back as text (as the database gives them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import connection
from django.db.models import Model

Aggregate = tuple[type[Model], str]

_FIELD = re.compile(r"\{(\w+)\}")


def _subquery(model: type[Model], expression: str) -> str:
    quote = connection.ops.quote_name

    def column(match: re.Match[str]) -> str:
        field = model._meta.get_field(match.group(1))
        return str(quote(getattr(field, "column", field.name)))

    return f"(SELECT {_FIELD.sub(column, expression)} FROM {quote(model._meta.db_table)})"


def values(aggregates: Sequence[Aggregate]) -> list[str]:
    """Each aggregate's value as text ("None" for no rows' MAX), from one SELECT."""
    sql = "SELECT " + ", ".join(_subquery(m, e) for m, e in aggregates)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return [str(v) for v in row]
