"""Placeholders: internal statements say what the council should add; a published statement
leaves optional ones out and is refused while a required one remains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sufficiency.report.build import build_statement
from sufficiency.report.model import Block, Placeholder, Section, StatementData
from sufficiency.report.output import write_statement
from sufficiency.report.placeholders import (
    PlaceholdersRemain,
    check_complete,
    drop_optional,
    remaining,
)


def _ph(title: str, required: bool) -> Block:
    return Block(
        "placeholder", placeholder=Placeholder(title, f"registers/{title}.csv", "x", required)
    )


def _statement(mode: Any, sections: list[Section]) -> StatementData:
    return StatementData(
        "C", "E06000019", 2024, "2023-04-01", "2024-03-31", mode, "2024-06-01", sections, [], {}, []
    )


def test_required_placeholders_are_listed_and_refused_only_in_publish_mode() -> None:
    sections = [
        Section("costs", "Costs", [_ph("costs", True)]),
        Section("cla", "Children", [Block("paragraph", text="n"), _ph("ethnicity", False)]),
        Section("action_plan", "Action plan", [_ph("actions", True), _ph("targets", True)]),
    ]
    assert remaining(sections) == [
        "Costs: costs (add registers/costs.csv)",
        "Action plan: actions (add registers/actions.csv)",
        "Action plan: targets (add registers/targets.csv)",
    ]
    check_complete(_statement("internal", sections))  # analysts see what is missing
    with pytest.raises(PlaceholdersRemain, match=r"3 section\(s\) still need") as caught:
        check_complete(_statement("publish", sections))
    assert caught.value.missing == remaining(sections)
    drop_optional(sections)
    assert [b.kind for b in sections[1].blocks] == ["paragraph"]
    assert len(remaining(sections)) == 3


def test_a_council_without_registers_is_told_what_to_add(
    council_factory: Any, tmp_path: Path
) -> None:
    ds = council_factory(registers=False)
    internal = build_statement(ds, 2024, "internal")
    publish = build_statement(ds, 2024, "publish")
    titles = [line.split(":")[0] for line in remaining(publish.sections)]
    assert titles == [line.split(":")[0] for line in remaining(internal.sections)]
    assert {"Costs", "Sufficiency gap", "Action plan and targets"} <= set(titles)
    with pytest.raises(PlaceholdersRemain):
        check_complete(publish)
    out = tmp_path / "out"
    with pytest.raises(PlaceholdersRemain, match="Costs: "):
        write_statement(publish, out, pdf=False)
    assert not out.exists()  # refused before anything, even the folder, is made
    optional = [
        b
        for s in internal.sections
        for b in s.blocks
        if b.placeholder is not None and not b.placeholder.required
    ]
    assert optional  # the ethnicity comparison: no population by ethnic group supplied
    assert not any(
        b.placeholder is not None and not b.placeholder.required
        for s in publish.sections
        for b in s.blocks
    )
