"""The statement's sections as registered modules: order, declarations, and the rule that a
section lays out results it is given and never reads the Dataset."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sufficiency.report.sections as sections_pkg
from sufficiency.report.build import SECTION_ORDER, TREND_IDS, section_status
from sufficiency.report.model import Block, Placeholder
from sufficiency.report.sections.registry import registered, section
from sufficiency.report.sources import catalogue_info

SECTIONS_DIR = Path(sections_pkg.__file__).parent


def test_sections_are_registered_in_the_statement_order() -> None:
    assert SECTION_ORDER == (
        "introduction",
        "key_messages",
        "children_looked_after",
        "placements",
        "stability",
        "costs",
        "residential",
        "fostering",
        "supported_accommodation",
        "care_leavers",
        "disabled_children",
        "send",
        "permanence",
        "care_leavers_25",
        "early_help",
        "forecast",
        "gap",
        "home_finding",
        "progress",
        "action_plan",
        "sign_off",
        "definitions",
    )
    assert len({s.order for s in registered()}) == len(SECTION_ORDER)


def test_every_section_module_registers_one_section() -> None:
    ids = {s.id for s in registered()}
    assert set(sections_pkg.section_modules()) == ids
    for name in sections_pkg.section_modules():
        assert (SECTIONS_DIR / f"{name}.py").exists(), name


def test_trend_measures_are_declared_by_sections_and_exist() -> None:
    info = catalogue_info()
    declared = [m for s in registered() for m in s.trend]
    assert tuple(dict.fromkeys(declared)) == TREND_IDS
    assert [m for m in TREND_IDS if m not in info] == []
    assert "cla_count" in TREND_IDS and "stability_long_term" in TREND_IDS


def test_no_section_module_imports_the_dataset() -> None:
    for path in sorted(SECTIONS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(a.name for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n in ("sufficiency.dataset", "Dataset") for n in names), (
                f"{path.name}:{node.lineno} imports the Dataset"
            )


def test_a_section_id_cannot_be_registered_twice() -> None:
    def other(_inputs: object) -> list[Block]:
        return []

    with pytest.raises(ValueError, match="'stability' is registered twice"):
        section("stability", "Another stability", 999)(other)


def _ph(required: bool) -> Block:
    return Block("placeholder", placeholder=Placeholder("t", "needs", "fills", required))


def test_status_comes_from_required_placeholders() -> None:
    table = Block("paragraph", text="numbers")
    assert section_status([table]) == "complete"
    assert section_status([table, _ph(required=False)]) == "complete"
    assert section_status([table, _ph(required=True)]) == "partial"
    assert section_status([_ph(required=True), _ph(required=True)]) == "placeholder"
