"""The council's narrative: attached to its section, or a section of its own in the documented
order; unknown files named by validate; headings nested under the section's h2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.report.model import Block, Section
from sufficiency.report.narrative import (
    attach,
    narrative_problems,
    title_for,
    unknown_narrative,
)
from sufficiency.report.render import render_markdown

ORDERS = {"introduction": 10, "stability": 50, "action_plan": 140, "definitions": 900}


def _sections() -> list[Section]:
    return [Section(i, i.title(), [Block("paragraph", text="numbers")]) for i in ORDERS]


def test_a_file_named_after_a_section_attaches_around_its_numbers() -> None:
    text = "Our view.\n<!-- generated -->\nWhat we will do next."
    out = attach(_sections(), {"stability": text}, ORDERS)
    stability = next(s for s in out if s.id == "stability")
    assert [b.kind for b in stability.blocks] == ["narrative", "paragraph", "narrative"]
    assert stability.blocks[0].text.strip() == "Our view."
    assert stability.blocks[2].text.strip() == "What we will do next."
    assert [s.id for s in out] == list(ORDERS)


def test_prose_sections_take_their_place_and_unknown_ones_follow_alphabetically() -> None:
    narrative = {
        "zebra_crossings": "Z.",
        "local_offer": "L.",
        "voice_of_the_child": "Children told us ...",
        "foreword": "From the director.",
        "empty_one": "   ",
    }
    out = attach(_sections(), narrative, ORDERS)
    assert [s.id for s in out] == [
        "foreword",
        "introduction",
        "stability",
        "voice_of_the_child",
        "action_plan",
        "definitions",
        "local_offer",
        "zebra_crossings",
    ]
    titles = {s.id: s.title for s in out}
    assert titles["voice_of_the_child"] == "The child's voice and participation"
    assert titles["local_offer"] == "Local offer"
    assert [b.kind for b in out[0].blocks] == ["narrative"]


def test_unknown_files_are_named_with_the_known_ids() -> None:
    ids = ["stability", "voice_of_the_child", "stabilty", "short_breaks"]
    assert unknown_narrative(ids) == ["short_breaks", "stabilty"]
    problems = narrative_problems(dict.fromkeys(ids, "text"))
    assert [(p.severity, p.code, p.file) for p in problems] == [
        ("warning", "narrative_unknown_section", "narrative/short_breaks.md"),
        ("warning", "narrative_unknown_section", "narrative/stabilty.md"),
    ]
    assert "stability" in problems[1].message and "sign_off" in problems[1].message
    assert title_for("short-breaks") == "Short breaks"


def test_headings_nest_under_the_section_heading() -> None:
    both = str(render_markdown("# Our plan\n\ntext\n\n## Fostering\n\nmore"))
    assert "<h3>Our plan</h3>" in both and "<h4>Fostering</h4>" in both
    only_h2 = str(render_markdown("## Our plan\n\n### Detail\n"))
    assert "<h3>Our plan</h3>" in only_h2 and "<h4>Detail</h4>" in only_h2
    deep = str(render_markdown("# A\n\n###### F\n"))
    assert "<h6>F</h6>" in deep and "<h8" not in deep
    assert "<h1" not in both and "<h2" not in only_h2


def test_validate_names_a_narrative_file_that_matches_no_section(
    data_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "DATA"
    shutil.copytree(data_folder, folder)
    (folder / "narrative" / "stabilty.md").write_text("A misspelt name.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    found = [
        p for p in json.loads(result.stdout)["problems"] if p["code"] == "narrative_unknown_section"
    ]
    assert [(p["file"], p["severity"]) for p in found] == [("narrative/stabilty.md", "warning")]
