"""Columns unique when given (``RegisterSchema.unique``): supported accommodation's Ofsted URN.

A setting listed twice with different values (6 units, then 8) loaded both rows and its units
were counted twice in supply, the measures and the statement; a blank URN (a setting awaiting
registration) may repeat.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers
from sufficiency.ingest.registers.docs import register_docs
from sufficiency.schema import REGISTERS, RegisterSchema
from sufficiency.schema import columns as c

HEADER = "provider,urn,postcode,units,occupied\n"


def _load(tmp_path: Path, rows: str) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / "registers"
    folder.mkdir(parents=True)
    (folder / "supported_accommodation.csv").write_text(HEADER + rows, encoding="utf-8")
    return load_registers(folder)


def test_a_urn_given_twice_with_other_values_is_named_and_nothing_loads(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path,
        "Haven,SC805111,HR1 2HX,6,2\nOak,SC805222,,3,\nHaven House,sc805111,HR1 2HX,8,1\n",
    )
    assert problems == [
        Problem(
            "error",
            "register_duplicate_id",
            "registers/supported_accommodation.csv",
            4,
            "urn",
            "SC805111",
            "urn 'SC805111' appears more than once (expected one row per urn)",
        )
    ]
    assert frames == {}  # the setting's units are not counted twice


def test_blank_urns_may_repeat(tmp_path: Path) -> None:
    frames, problems = _load(tmp_path, "New Start,,HR1 2HX,4,\nNew Start,,HR2 7AA,5,\n")
    assert problems == []
    assert frames["supported_accommodation"].get_column("units").to_list() == [4, 5]


def test_a_copied_row_is_named_once_as_a_copy(tmp_path: Path) -> None:
    """An exact copy is a copy (``register_duplicate_row``), not also a repeated URN."""
    _, problems = _load(tmp_path, "Haven,SC805111,,6,\nHaven,SC805111,,6,\n")
    assert [(p.code, p.row) for p in problems] == [("register_duplicate_row", 3)]


def test_supported_accommodation_declares_its_urn_unique_when_given() -> None:
    schema = REGISTERS["supported_accommodation"]
    assert schema.unique == ("urn",) and schema.key == ()
    assert not schema.column("urn").required


def test_a_unique_column_the_register_does_not_have_is_a_declaration_bug() -> None:
    with pytest.raises(ValueError, match="unique"):
        RegisterSchema("x", "X.", (c.text("a"),), unique=("b",))


def test_the_docs_say_the_urn_is_unique_when_given() -> None:
    section = register_docs().split("## supported_accommodation")[1].split("## ")[0]
    assert "`urn` must be unique when given (blank allowed on any number of rows)." in section
