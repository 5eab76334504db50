"""Registers (``registers/*.csv|xlsx``): reading, checking and writing them by their declarations
(``sufficiency.schema``).

* ``read``: a CSV (delimiter and encoding detected) or XLSX file as text cells;
* ``validate``: text cells -> typed frame and named problems (files and web forms alike);
* ``load``: every register file of a folder;
* ``codec``: writing a register as CSV or XLSX that reads back to the same frame;
* ``ofsted``: a homes register from Ofsted's children's homes list;
* ``docs``: ``docs/registers.md`` (``python -m sufficiency.ingest.registers.docs PATH``).
"""

from __future__ import annotations

from sufficiency.ingest.registers.codec import csv_text, text_frame, write_register, xlsx_bytes
from sufficiency.ingest.registers.load import load_register, load_registers
from sufficiency.ingest.registers.ofsted import homes_from_ofsted
from sufficiency.ingest.registers.validate import parse_register, repeated_message
from sufficiency.schema import REGISTERS
from sufficiency.schema.registers import APPROVAL_TYPES

__all__ = [
    "APPROVAL_TYPES",
    "REGISTERS",
    "csv_text",
    "homes_from_ofsted",
    "load_register",
    "load_registers",
    "parse_register",
    "repeated_message",
    "text_frame",
    "write_register",
    "xlsx_bytes",
]
