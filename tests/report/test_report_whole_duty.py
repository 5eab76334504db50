"""The wider duty's statement sections (issue 19): optional placeholders naming the register to
add when it is missing (left out of a published statement, never refusing it), and the
measures laid out, with disclosure control, when the registers are there."""

from __future__ import annotations

import dataclasses

import pytest

from sufficiency.dataset import Dataset
from sufficiency.report.build import build_statement
from sufficiency.report.model import Section, StatementData
from sufficiency.schema import register_frame

DUTY_SECTIONS = ("disabled_children", "send", "permanence", "care_leavers_25", "early_help")


def _sections(statement: StatementData) -> dict[str, Section]:
    return {s.id: s for s in statement.sections if s.id in DUTY_SECTIONS}


@pytest.fixture(scope="module")
def with_short_breaks(council: Dataset) -> Dataset:
    """The test council with a disabled children register: 10 foster packages, 4 of them unmet
    (seed 000 §10's sleepover scheme), and one residential provider."""
    packages = [
        {
            "child_id": f"F{i}",
            "short_break_type": "foster",
            "nights_assessed": 24 if i < 6 else 36,
            "nights_agreed": 24 if i < 6 else 0,
        }
        for i in range(10)
    ]
    provision = [
        {
            "provision_id": "S1",
            "provider": "Sleepover scheme",
            "short_break_type": "foster",
            "nights_available": 144,
            "unit_cost": 130,
        }
    ]
    registers = {
        **council.registers,
        "disabled_children": register_frame("disabled_children", packages),
        "short_break_provision": register_frame("short_break_provision", provision),
    }
    return dataclasses.replace(council, registers=registers)


def test_missing_registers_leave_optional_placeholders_only_in_internal_mode(
    council: Dataset,
) -> None:
    internal = _sections(build_statement(council, 2024, "internal"))
    assert set(internal) == set(DUTY_SECTIONS)
    for sid in ("send", "early_help"):
        assert [b.kind for b in internal[sid].blocks] == ["placeholder"], sid
    # care leavers to 25: the OC3 ages are shown, the register's are asked for
    assert [b.kind for b in internal["care_leavers_25"].blocks][-1] == "placeholder"
    holders = [b.placeholder for s in internal.values() for b in s.blocks if b.placeholder]
    assert len(holders) == 5 and not any(h.required for h in holders)
    published = _sections(build_statement(council, 2024, "publish"))
    assert not any(b.kind == "placeholder" for s in published.values() for b in s.blocks)


def test_short_break_table_is_laid_out_and_its_small_counts_suppressed(
    with_short_breaks: Dataset,
) -> None:
    section = _sections(build_statement(with_short_breaks, 2024, "publish"))["disabled_children"]
    tables = {b.table.id: b.table for b in section.blocks if b.table is not None}
    table = tables["short_breaks_demand_supply"]
    assert [r.header for r in table.rows] == ["Foster", "Residential"]
    foster = dict(zip(table.columns[1:], [c.value for c in table.rows[0].cells], strict=True))
    assert foster["Children assessed"] == 10
    # 4 unmet children are suppressed, and so is the 6 that would give them away (10 - 6), with
    # the nights and cost that belong to them; the scheme's nights and price are not children's
    assert foster["Children unmet"] == "c"
    assert foster["Children agreed"] == "c"
    assert foster["Nights unmet"] == "c"
    assert foster["Cost of agreed"] == "c"
    assert (foster["Nights available"], foster["Unit cost"]) == (144, 130.0)
