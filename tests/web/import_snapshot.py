"""The ``loaded`` fixture's data folder import, made once per test process and copied back after.

About a hundred web tests start from the small council imported into an empty database. The
import itself is tested on its own (``test_web_uploads``, ``test_web_data``); here the rows it
wrote the first time are kept (PostgreSQL's ``COPY``) and written again for each later test that
starts from the same state: the same rows, in the same order, with fresh ids from the tables' own
sequences (references between them followed) and their times moved to the moment they are
written back (in the same order), so nothing a test sees depends on whether the import ran or
was copied.

Copied only when every table of the web's own apps was empty before (an import into data can
update or retire rows, which a copy of new rows does not repeat) and the import left every other
table as it was but for new rows; otherwise, and on SQLite, the import runs each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

#: The apps whose tables must be empty before an import that is kept or copied back.
WEB_APPS = ("web_",)
_NULL = b"\\N"


def _models() -> list[type[models.Model]]:
    """Every table's model, many-to-many tables included, in a fixed order (a proxy model has
    no table of its own, an unmanaged one may have none)."""
    found = apps.get_models(include_auto_created=True)
    return [m for m in found if m._meta.managed and not m._meta.proxy]


def _integer_pk(model: type[models.Model]) -> bool:
    """True when the table's ids come from a sequence (the copy takes new ones from it)."""
    return isinstance(model._meta.pk, (models.AutoField, models.BigAutoField))


def state() -> dict[type[models.Model], tuple[int, int]]:
    """Every table's row count and highest id (0 for a table without integer ids), in one query."""
    parts = []
    for model in _models():
        pk = connection.ops.quote_name(model._meta.pk.column) if _integer_pk(model) else "0"
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"SELECT COUNT(*), COALESCE(MAX({pk}), 0) FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"({p})" for p in parts))
        rows = cursor.fetchall()
    return {m: (int(n), int(top)) for m, (n, top) in zip(_models(), rows, strict=True)}


def _fresh(before: dict[type[models.Model], tuple[int, int]]) -> bool:
    """True when every table of the web's own apps is empty."""
    return all(n == 0 for m, (n, _) in before.items() if m._meta.app_label.startswith(WEB_APPS))


@dataclass
class _Table:
    """The rows one model gained, as ``COPY`` text lines of its columns."""

    model: type[models.Model]
    columns: list[str]
    lines: list[list[bytes]]


def _new_rows(model: type[models.Model], after: int) -> _Table:
    """The table's rows with an id above ``after``, in id order."""
    columns = [f.column for f in model._meta.concrete_fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    pk = connection.ops.quote_name(model._meta.pk.column)
    table = connection.ops.quote_name(model._meta.db_table)
    query = f"COPY (SELECT {quoted} FROM {table} WHERE {pk} > {int(after)} ORDER BY {pk}) TO STDOUT"
    with connection.cursor() as cursor, cursor.cursor.copy(query) as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    lines = data.split(b"\n")[:-1] if data else []  # each row ends in a newline
    return _Table(model, columns, [line.split(b"\t") for line in lines])


@dataclass
class Snapshot:
    """The rows an import added to every table, and the times they hold, earliest first."""

    tables: list[_Table]
    times: list[bytes]

    @classmethod
    def take(cls, before: dict[type[models.Model], tuple[int, int]]) -> Snapshot | None:
        """The rows added since ``before``; None when the import did more than add rows."""
        after = state()
        tables = []
        for model, (count, top) in before.items():
            if after[model] == (count, top):
                continue
            if not _integer_pk(model):
                return None
            table = _new_rows(model, top)
            if len(table.lines) != after[model][0] - count:  # rows deleted as well as added
                return None
            tables.append(table)
        times = {line[i] for t in tables for i in _time_columns(t) for line in t.lines}
        times.discard(_NULL)
        return cls(tables, sorted(times, key=lambda v: dt.datetime.fromisoformat(v.decode())))

    def restore(self) -> None:
        """Write the rows again: new ids, references followed, and times from now on, a
        microsecond apart in their order (equal times stay equal)."""
        start = timezone.now()
        moved = {
            v: (start + dt.timedelta(microseconds=i)).isoformat().encode()
            for i, v in enumerate(self.times)
        }
        ids = {t.model: _new_ids(t) for t in self.tables}
        for table in self.tables:
            fixes = _fixers(table, ids, moved)
            lines = [
                b"\t".join(fixes[i](v, line) if i in fixes else v for i, v in enumerate(line))
                for line in table.lines
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in table.columns)
            name = connection.ops.quote_name(table.model._meta.db_table)
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy,
            ):
                copy.write(b"".join(line + b"\n" for line in lines))


def _time_columns(table: _Table) -> list[int]:
    """The indexes of the table's date-and-time columns."""
    fields = table.model._meta.concrete_fields
    return [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]


#: How one column's text is written back, given the value and its whole row.
Fix = Callable[[bytes, list[bytes]], bytes]


def _new_ids(table: _Table) -> dict[bytes, bytes]:
    """Old id -> a new one from the table's sequence, in the same order."""
    i = table.columns.index(table.model._meta.pk.column)
    old = sorted((line[i] for line in table.lines), key=int)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table.model._meta.db_table, table.model._meta.pk.column, len(old)],
        )
        new = sorted(int(r[0]) for r in cursor.fetchall())
    return {o: str(n).encode() for o, n in zip(old, new, strict=True)}


def _fixers(
    table: _Table, ids: dict[type[models.Model], dict[bytes, bytes]], times: dict[bytes, bytes]
) -> dict[int, Fix]:
    """Column index -> how its text is rewritten: ids and references renumbered, times moved."""
    fix: dict[int, Fix] = {}
    fields = table.model._meta.concrete_fields
    for i, f in enumerate(fields):
        if f.primary_key:
            fix[i] = _renumber(ids[table.model])
        elif isinstance(f, models.ForeignKey) and f.related_model in ids:
            fix[i] = _renumber(ids[f.related_model])
        elif isinstance(f, models.DateTimeField):
            fix[i] = _renumber(times)
    names = [f.name for f in fields]
    if "content_type" in names:  # a generic reference: audit entries name the row they cover
        for name in ("object_id", "object_pk"):
            if name in names:
                fix[names.index(name)] = _generic(names.index("content_type"), ids)
    return fix


def _renumber(mapping: dict[bytes, bytes]) -> Fix:
    """The value as ``mapping`` has it (a value it does not name, such as a reference to a row
    that was there before, as it is)."""
    return lambda v, _: mapping.get(v, v)


def _generic(type_column: int, ids: dict[type[models.Model], dict[bytes, bytes]]) -> Fix:
    """The id a generic reference holds, renumbered when its content type is a copied table."""
    from django.contrib.contenttypes.models import ContentType

    def renumber(v: bytes, line: list[bytes]) -> bytes:
        if v == _NULL or line[type_column] == _NULL:
            return v
        model = ContentType.objects.get_for_id(int(line[type_column])).model_class()
        return ids.get(model, {}).get(v, v) if model is not None else v

    return renumber


#: (folder, every table's row count and highest id before) -> the rows its import added, for
#: this process.
_kept: dict[tuple[Path, tuple[tuple[int, int], ...]], Snapshot] = {}


def load(folder: Path, run: Callable[[Path], object]) -> None:
    """``run(folder)`` (the import), or the rows it added copied back when it ran before on a
    database in the same state."""
    if connection.vendor != "postgresql":
        run(folder)
        return
    before = state()
    # every table's highest id too: a test on a flushed database (a transactional one) made the
    # content types again with new ids, which the kept audit entries' references would miss
    key = (folder, tuple(before.values()))
    if key in _kept:
        _kept[key].restore()
        return
    run(folder)
    if _fresh(before):
        snapshot = Snapshot.take(before)
        if snapshot is not None:
            _kept[key] = snapshot
