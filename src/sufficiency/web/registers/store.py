"""Registers between the database and typed frames: the web's half of the one register codec.

A register's rows come out of the database as the typed frame ``load_registers`` gives for its
file (``register_frame``), and a typed frame goes in unchanged (``import_registers`` through
``registers.imports``), so file -> database -> file is lossless; files are written and read only
by ``sufficiency.ingest.registers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction

from sufficiency.ingest.registers import load_registers, write_register
from sufficiency.schema import REGISTERS
from sufficiency.schema.columns import TEXT_KINDS
from sufficiency.web.registers.models import EDITABLE_REGISTERS
from sufficiency.web.revision_sql import Aggregate


def register_frame(name: str, rows: Any = None) -> pl.DataFrame:
    """Register ``name`` (or the queryset ``rows`` of its model) as its typed frame, rows in the
    order they were added."""
    model = EDITABLE_REGISTERS[name]
    schema = REGISTERS[name]
    text = [i for i, c in enumerate(schema.columns) if c.kind in TEXT_KINDS]
    query = model.objects.all() if rows is None else rows
    out = []
    for values in query.order_by("pk").values_list(*model.columns):
        row = list(values)
        for i in text:
            row[i] = row[i] or None  # a blank text cell is '' in the table, null in a frame
        out.append(row)
    return pl.DataFrame(out, schema=schema.typed_schema, orient="row")


def field_values(name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A typed row of register ``name`` as model field values (blank text as '')."""
    schema = REGISTERS[name]
    return {
        c.name: ("" if row.get(c.name) is None else row[c.name])
        if c.kind in TEXT_KINDS
        else row.get(c.name)
        for c in schema.columns
    }


def import_registers(folder: Path, user: Any = None) -> None:
    """Import the registers given as files in ``folder``, all or none: a ValueError names every
    error ``load_registers`` finds (file, row, column, message) and nothing is written. Each
    register is matched row by row (``registers.imports``): rows the files leave out are
    retired, not deleted. The caller writes the audit entry (a data folder import's one
    summarised entry covers its registers)."""
    frames, problems = load_registers(folder)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValueError(
            "; ".join(
                f"{p.file}"
                + (f" row {p.row}" if p.row is not None else "")
                + (f" {p.column}" if p.column else "")
                + f": {p.message}"
                for p in errors
            )
        )
    import_frames(frames, user)


def import_frames(
    frames: Mapping[str, pl.DataFrame], user: Any = None
) -> dict[str, dict[str, int]]:
    """Import registers already read and checked (``load_registers``' typed frames, free of
    errors) as :func:`import_registers` does, in one transaction; returns each one's counts
    (``Plan.counts``: rows in use before and after, added, changed, ...)."""
    from sufficiency.web.registers.imports import apply_plan, plan_import

    with transaction.atomic():
        return {
            name: apply_plan(plan_import(name, frame), f"registers/{name}", user, audit=False)
            for name, frame in frames.items()
        }


def write_registers(folder: Path) -> None:
    """Write every register that has rows as ``folder/<name>.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, model in EDITABLE_REGISTERS.items():
        if model.objects.exists():
            write_register(name, register_frame(name), folder / f"{name}.csv")


def revision_aggregates() -> list[Aggregate]:
    """What changes whenever a register changes (part of the Dataset cache key): rows in use
    and the latest change (retiring and restoring included) of each register."""
    return [
        (model, expression)
        for model in EDITABLE_REGISTERS.values()
        for expression in (
            "SUM(CASE WHEN {retired_at} IS NULL THEN 1 ELSE 0 END)",
            "MAX({updated_at})",
        )
    ]
