"""Register imports checked, staged and confirmed: a file replaces a register only after its
uploader has seen the named problems and what would change, and then in one transaction.

A file is checked by the register's declaration (``ingest.registers.load_register``, the CLI's
checks). A file of the wrong type, an empty or header-only file and a file with errors are
refused: an import replaces the whole register, so such a file would wipe it. Rows are matched
by the register's key (every column for a register without one): a matched row is updated in
place, a new row added and a row the file leaves out retired with a reason, so nothing is lost
and allocations keep their vacancies. The import is one summarised audit entry with counts,
and an entry for each row it changes, restores or retires (column: before -> after); the review
names those rows and values, and the rows whose change in the web since the last import the file
would undo (``edited_since_import``), which need an explicit confirmation.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_register
from sufficiency.schema import REGISTERS
from sufficiency.web.registers.models import EDITABLE_REGISTERS, cell_text
from sufficiency.web.registers.store import field_values

#: The file types a register import reads.
SUFFIXES = (".csv", ".xlsx")


def plural(name: str) -> str:
    """What a register's rows are called ("carers", "supported accommodation")."""
    return str(EDITABLE_REGISTERS[name]._meta.verbose_name_plural)


def check_file(
    name: str, file_name: str, content: bytes
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The file as register ``name``'s typed frame, and every problem found; the frame is None
    when any problem is an error (wrong type, empty, no rows, a value the declaration refuses,
    a column the register fills that the file would blank, or a vacancy whose allocations would
    lose their places)."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUFFIXES:
        return None, [
            Problem.whole_file(
                "error",
                "register_file_type",
                file_name,
                f"a register is imported from a CSV or XLSX file, not {suffix or 'a file without a type'}",
            )
        ]
    current = EDITABLE_REGISTERS[name].objects.count()
    wipe = f"an import replaces the whole register, so it would remove all {current} {plural(name)}"
    if not content.strip():
        return None, [
            Problem.whole_file("error", "register_empty", file_name, f"the file is empty: {wipe}")
        ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}{suffix}"
        path.write_bytes(content)
        frame, problems = load_register(path, file_name)
    if frame is not None and frame.height == 0:
        problems.append(
            Problem.whole_file(
                "error", "register_no_rows", file_name, f"the file has no rows: {wipe}"
            )
        )
    if frame is not None and frame.height:
        problems += blanked_columns(name, frame, file_name)
    if name == "vacancies" and frame is not None:  # places never below their allocations
        from sufficiency.web.matching.services import allocation_problems

        problems += allocation_problems(frame, file_name)
    if name == "referrals":  # web referrals share the references, ignoring case
        from sufficiency.web.matching.references import import_problems

        problems += import_problems(frame, file_name)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return frame, problems


def blanked_columns(name: str, frame: pl.DataFrame, file_name: str) -> list[Problem]:
    """An error for each column the file has no value for (left out, or blank in every row)
    while rows it keeps (matched by key; every row of a register without one) have a value: the
    file reads it as blank, so importing it would blank the column in those rows."""
    model = EDITABLE_REGISTERS[name]
    empty = [
        c
        for c in model.columns
        if frame[c].drop_nulls().len() == 0
        or (frame[c].dtype == pl.List and frame[c].list.len().fill_null(0).max() == 0)
    ]
    if not empty:
        return []
    key = REGISTERS[name].key
    kept = {_texts(field_values(name, r), key) for r in frame.select(key).iter_rows(named=True)}
    filled = dict.fromkeys(empty, 0)
    for row in model.objects.values(*key, *empty):
        if key and _texts(row, key) not in kept:
            continue  # retired by the import with its values, not blanked
        for column in empty:
            filled[column] += row[column] not in (None, "", [])
    return [
        Problem(
            "error",
            "register_column_blanked",
            file_name,
            1,
            column,
            None,
            f"the file has no {column} (the column is missing, or blank in every row), so "
            f"importing it would blank {column} in {n} {plural(name)} that have one: include "
            "the column with its values (an export of the register has every column)",
        )
        for column, n in filled.items()
        if n
    ]


@dataclass
class Plan:
    """What importing a frame would do to register ``name``."""

    name: str
    before: int
    after: int
    added: list[dict[str, Any]] = field(default_factory=list)
    #: pk -> the row's new field values (a retired row that comes back is restored)
    changed: dict[int, dict[str, Any]] = field(default_factory=dict)
    restored: int = 0
    retired: list[int] = field(default_factory=list)
    unchanged: int = 0
    #: pk -> the stored row's values before the import (rows changed, restored or retired)
    stored: dict[int, dict[str, Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """The plan in numbers (the staged summary and the audit entry)."""
        return {
            "before": self.before,
            "after": self.after,
            "added": len(self.added),
            "changed": len(self.changed),
            "restored": self.restored,
            "retired": len(self.retired),
            "unchanged": self.unchanged,
        }


def change_text(name: str, counts: Mapping[str, int]) -> str:
    """The plan in words: "replaces 86 carers with 90: 4 added, ..."."""
    parts = [
        f"{counts[k]} {word}"
        for k, word in (
            ("added", "added"),
            ("changed", "changed"),
            ("restored", "of them restored from retired"),
            ("retired", "retired (not in the file)"),
            ("unchanged", "unchanged"),
        )
        if counts.get(k)
    ]
    return f"replaces {counts['before']} {plural(name)} with {counts['after']}: " + ", ".join(parts)


def _texts(values: Mapping[str, Any], columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(cell_text(values.get(c)) for c in columns)


def _matched(values: Mapping[str, Any], columns: tuple[str, ...]) -> tuple[str, ...]:
    """A row's key as an import matches it: text ignoring case, as the database holds it
    (``fc00001`` in a file is the stored ``FC00001``, changed, not a second carer)."""
    return tuple(t.lower() for t in _texts(values, columns))


def plan_import(name: str, frame: pl.DataFrame) -> Plan:
    """Match the frame's rows to the register's by its key (every column when it has none)."""
    model = EDITABLE_REGISTERS[name]
    columns = model.columns
    key = REGISTERS[name].key or columns
    keyed = bool(REGISTERS[name].key)
    stored = list(model.rows.order_by("pk").values("pk", "retired_at", *columns))
    plan = Plan(name, sum(1 for r in stored if r["retired_at"] is None), frame.height)
    by_key: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in stored:
        if keyed or row["retired_at"] is None:  # a keyless register matches rows in use only
            by_key.setdefault(_matched(row, key), []).append(row)
    for typed in frame.iter_rows(named=True):
        values = field_values(name, typed)
        matches = (
            by_key.get(_matched(values, key)) if by_key else None
        )  # an empty register: all new
        if not matches:
            plan.added.append(values)
            continue
        row = matches.pop(0)
        if row["retired_at"] is not None:
            plan.restored += 1
            plan.changed[row["pk"]] = values
            plan.stored[row["pk"]] = row
        elif _texts(row, columns) != _texts(values, columns):
            plan.changed[row["pk"]] = values
            plan.stored[row["pk"]] = row
        else:
            plan.unchanged += 1
    plan.retired = [r["pk"] for rows in by_key.values() for r in rows if r["retired_at"] is None]
    plan.stored.update(
        {r["pk"]: r for rows in by_key.values() for r in rows if r["pk"] in set(plan.retired)}
    )
    return plan


#: The ``event`` of an import's audit entries: the summary (``register_import``) and each row's.
IMPORT_EVENTS = ("register_import", "import")


def row_name(name: str, values: Mapping[str, Any]) -> str:
    """A row as the review, the audit entry and its History name it: its key (the first
    column for a register without one)."""
    key = REGISTERS[name].key or EDITABLE_REGISTERS[name].columns[:1]
    return ", ".join(_texts(values, key))


def row_changes(plan: Plan) -> list[dict[str, Any]]:
    """Each row the import changes, restores or retires, in the register's order: ``pk``,
    ``row`` (its key), ``changes`` (column -> [stored, file's] as text) and ``what``."""
    columns = EDITABLE_REGISTERS[plan.name].columns
    out = []
    for pk in sorted({*plan.changed, *plan.retired}):
        before = plan.stored[pk]
        if pk in plan.changed:
            after = plan.changed[pk]
            changes = {
                c: [cell_text(before.get(c)), cell_text(after.get(c))]
                for c in columns
                if cell_text(before.get(c)) != cell_text(after.get(c))
            }
            what = "changed"
            if before["retired_at"] is not None:
                what = "restored"
                changes["retired_at"] = [cell_text(before["retired_at"]), ""]
        else:
            changes, what = {}, "retired"
        out.append({"pk": pk, "row": row_name(plan.name, before), "what": what, "changes": changes})
    return out


def edited_since_import(plan: Plan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``row_changes`` whose import would undo a change made in the web since the
    register was last imported: a value a web edit set that the file changes (a file exported
    before the edit), or a row added or edited in the web that the file leaves out (a register
    with a key: without one, a changed row is retired and added anew). Each says
    who changed it, when, and what; the import then needs an explicit confirmation."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if not rows:
        return []
    model = EDITABLE_REGISTERS[plan.name]
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    last = (
        entries.filter(additional_data__event__in=IMPORT_EVENTS)
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )
    web = entries.filter(
        object_pk__in=[str(r["pk"]) for r in rows],
        action__in=(LogEntry.Action.CREATE, LogEntry.Action.UPDATE),
    )
    if last is not None:
        web = web.filter(timestamp__gt=last)
    latest: dict[str, dict[str, Any]] = {}
    for e in web.select_related("actor").order_by("timestamp", "pk"):
        if (e.additional_data or {}).get("event") in IMPORT_EVENTS:
            continue  # (in Python: an entry without an event is not one, which SQL's NULL hides)
        seen = latest.setdefault(e.object_pk, {"fields": {}, "created": False})
        seen["created"] = seen["created"] or e.action == LogEntry.Action.CREATE
        # a row the file has was there when it was exported: only edits since can be undone
        changes = e.changes if e.action == LogEntry.Action.UPDATE else None
        for column, pair in (changes if isinstance(changes, dict) else {}).items():
            if isinstance(pair, list) and len(pair) == 2:
                seen["fields"][column] = pair
        seen["who"] = e.actor.get_username() if e.actor else "someone"
        seen["when"] = timezone.localtime(e.timestamp).strftime("%d/%m/%Y %H:%M")
    out = []
    for r in rows:
        found = latest.get(str(r["pk"]))
        if found is None:
            continue
        seen = found
        undone = sorted(set(seen["fields"]) & set(r["changes"]))
        if r["what"] != "retired" and not undone:
            continue  # the file changes only what the web left alone
        if r["what"] == "retired" and not REGISTERS[plan.name].key:
            continue  # without a key a changed row is retired and added anew: no undo to tell
        edits = "; ".join(f"{c}: {seen['fields'][c][0]} -> {seen['fields'][c][1]}" for c in undone)
        sets = "; ".join(f"{c} to {r['changes'][c][1] or 'blank'}" for c in undone)
        out.append(
            {
                "pk": r["pk"],
                "row": r["row"],
                "who": seen["who"],
                "when": seen["when"],
                "text": (
                    f"{r['row']} was changed in the web by {seen['who']} on {seen['when']} "
                    f"({edits}), after this register was last imported: the file sets {sets}"
                    if r["what"] != "retired"
                    else f"{r['row']} was {'added' if seen['created'] else 'changed'} in the "
                    f"web by {seen['who']} on {seen['when']}, after this register was last "
                    "imported: the file leaves it out, so it would be retired"
                ),
            }
        )
    return out


def lock(name: str) -> None:
    """Lock register ``name``'s rows until the transaction ends (PostgreSQL; SQLite's writes are
    serialised already): an import and an edit of the same rows wait for each other."""
    list(EDITABLE_REGISTERS[name].rows.select_for_update().values_list("pk", flat=True))


def basis(name: str) -> str:
    """The register's state (changes whenever a row is added, changed or retired)."""
    model = EDITABLE_REGISTERS[name]
    got = model.rows.aggregate(last=Max("updated_at"), top=Max("pk"))
    last = got["last"].timestamp() if got["last"] else 0
    return f"{model.rows.count()}:{got['top'] or 0}:{last}"


def apply_plan(
    plan: Plan, file_name: str, user: Any = None, request: Any = None, *, audit: bool = True
) -> dict[str, int]:
    """Make the planned changes in one transaction with one summarised audit entry (``audit``
    False: the caller's own entry covers them, as a data folder import's does); returns the
    counts. Rows the file leaves out are retired (kept, with the reason), never deleted."""
    from auditlog.models import LogEntry

    from sufficiency.web.audited import bulk_change

    model = EDITABLE_REGISTERS[plan.name]
    now = timezone.now()
    who = getattr(user, "get_username", lambda: "")() or "someone"
    reason = f"Not in {file_name}, imported by {who} on {now:%d/%m/%Y %H:%M}"
    counts = plan.counts()
    entry: contextlib.AbstractContextManager[dict[str, Any]] = (
        bulk_change(
            model,
            f"{plan.name} register import from {file_name}",
            LogEntry.Action.UPDATE,
            actor=user,
            request=request,
            event="register_import",
            register=plan.name,
            file=file_name,
        )
        if audit
        else contextlib.nullcontext({})
    )
    rows = row_changes(plan)
    with transaction.atomic(), entry as summary:
        for pk, values in plan.changed.items():
            model.rows.filter(pk=pk).update(
                **values,
                retired_at=None,
                retired_reason="",
                version=F("version") + 1,
                updated_at=now,
            )
        model.rows.filter(pk__in=plan.retired).update(
            retired_at=now, retired_reason=reason, version=F("version") + 1, updated_at=now
        )
        model.rows.bulk_create([model(**v) for v in plan.added], batch_size=2000)
        _record_rows(model, rows, reason, file_name, user, request)
        summary["changes"] = {"rows": [str(plan.before), str(plan.after)]}
        summary.update(counts)
        summary["changed_rows"] = [r["row"] for r in rows if r["what"] != "retired"]
    return counts


def _record_rows(
    model: Any, rows: list[dict[str, Any]], reason: str, file_name: str, user: Any, request: Any
) -> None:
    """One audit entry per row the import changes, restores or retires (its History shows what
    the import wrote): column -> [before, after]."""
    from auditlog.models import LogEntry

    from sufficiency.web.audited import record

    versions = dict(model.rows.filter(pk__in=[r["pk"] for r in rows]).values_list("pk", "version"))
    for r in rows:
        changes: dict[str, list[object]] = (
            r["changes"] if r["what"] != "retired" else {"retired_reason": ["", reason]}
        )
        record(
            model,
            r["row"],
            LogEntry.Action.UPDATE,
            object_pk=r["pk"],
            changes=changes,
            actor=user,
            request=request,
            event="import",
            register=model.register,
            file=file_name,
            version=versions.get(r["pk"]),
        )
