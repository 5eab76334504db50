"""The ``loaded`` fixture's copy of a data folder import (``import_snapshot``) writes what the
import writes: the same rows in the same order, references between them kept, ids new and times
as if the import ran when the copy was made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, models, transaction
from django.utils import timezone
from import_snapshot import Snapshot, state


@pytest.fixture(autouse=True)
def postgresql(db: None) -> None:
    """The copy is made on PostgreSQL only (elsewhere the import runs each time)."""
    if connection.vendor != "postgresql":
        pytest.skip("the copy is made on PostgreSQL only")


Tops = dict[type[models.Model], tuple[int, int]]


def _added(before: Tops) -> dict[str, list[dict[str, Any]]]:
    """Every row added since ``before``, by table, in id order: ids as their place among the
    added rows of their table, times as their place among the times they hold."""
    from django.contrib.contenttypes.models import ContentType

    after = state()
    rows = {
        m: list(m._default_manager.filter(pk__gt=top).order_by("pk").values())
        for m, (count, top) in before.items()
        if after[m][0] > count
    }
    place = {m: {r["id"]: i for i, r in enumerate(found)} for m, found in rows.items()}
    stamps = [
        r[f.attname]
        for m, found in rows.items()
        for r in found
        for f in m._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and r[f.attname] is not None
    ]
    order = {t: i for i, t in enumerate(sorted(set(stamps)))}
    out: dict[str, list[dict[str, Any]]] = {}
    for m, found in rows.items():
        for r in found:
            shown = dict(r)
            del shown["id"]
            for f in m._meta.concrete_fields:
                v = r[f.attname]
                if isinstance(f, models.ForeignKey) and f.related_model in place:
                    shown[f.attname] = place[f.related_model].get(v, v)
                elif isinstance(v, dt.datetime):
                    shown[f.attname] = order[v]
            if "content_type_id" in r and "object_id" in r:
                target = ContentType.objects.get_for_id(r["content_type_id"]).model_class()
                shown["object_id"] = place.get(target, {}).get(r["object_id"], r["object_id"])
                shown["object_pk"] = str(shown["object_id"])
            out.setdefault(m._meta.label, []).append(shown)
    return out


def test_a_copied_import_writes_what_the_import_wrote(db: None, small_council: Path) -> None:
    from sufficiency.web.bridge import import_data_folder

    with transaction.atomic():
        before = state()
        assert all(r.ok for r in import_data_folder(small_council))
        imported = _added(before)
        snapshot = Snapshot.take(before)
        transaction.set_rollback(True)
    assert snapshot is not None
    assert {"web_data.Child", "web_registers.Carer", "auditlog.LogEntry"} <= set(imported)

    assert state() == before  # the database as it was: the copy writes it all again
    copied_at = timezone.now()
    snapshot.restore()
    assert _added(before) == imported
    from sufficiency.web.data.models import ReturnYear

    stamps = list(ReturnYear.objects.values_list("uploaded_at", flat=True))
    assert all(copied_at <= s <= timezone.now() for s in stamps)


def test_an_import_into_data_is_not_kept(loaded: Path) -> None:
    """Importing again replaces and archives what is there: more than adding rows."""
    from sufficiency.web.bridge import import_data_folder

    before = state()
    assert all(r.ok for r in import_data_folder(loaded))
    assert Snapshot.take(before) is None
