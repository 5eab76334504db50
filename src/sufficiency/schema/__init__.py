"""The register declarations (DESIGN.md "Registers"): each register's columns, kinds, ranges,
unique key and cross-field rules, declared once in ``schema.registers``.

From them: ingest parses and checks register files (``ingest.registers``), the Dataset conforms
its register frames (:func:`conform_register`), the web builds its models and forms, the codec
writes files, synth conforms its frames and ``docs/registers.md`` is generated. A low layer
(below ingest and the Dataset): it knows no file formats.
"""

from __future__ import annotations

from sufficiency.schema.columns import Column, Kind
from sufficiency.schema.conform import conform_register, register_frame, typed_register
from sufficiency.schema.register import RegisterSchema
from sufficiency.schema.registers import REGISTERS
from sufficiency.schema.rules import DatedStatus, NotAbove

__all__ = [
    "REGISTERS",
    "Column",
    "DatedStatus",
    "Kind",
    "NotAbove",
    "RegisterSchema",
    "conform_register",
    "register_frame",
    "typed_register",
]
