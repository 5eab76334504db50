"""Fuzz round 10 #5: a scenario file giving a key twice kept only the last, silently (two
``leaving:`` blocks: the plan's total at horizon 326.4, not the 293.8 both blocks give)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.forecast.scenarios import ScenarioError, load_scenarios
from sufficiency.strict_load import DuplicateKeyError, load_json, load_yaml

TWO_BLOCKS = """name: plan
leaving:
  - {plan: reunification, per_quarter: 7, start: 2026-04-01, end: 2028-03-31}
leaving:
  - {plan: sgo, per_quarter: 1, start: 2026-04-01, end: 2028-03-31}
"""
ONE_BLOCK = """name: plan
leaving:
  - {plan: reunification, per_quarter: 7, start: 2026-04-01, end: 2028-03-31}
  - {plan: sgo, per_quarter: 1, start: 2026-04-01, end: 2028-03-31}
"""
TWO_BLOCKS_JSON = (
    '{"name": "plan",\n'
    ' "leaving": [{"plan": "reunification", "per_quarter": 7, "start": "2026-04-01",'
    ' "end": "2028-03-31"}],\n'
    ' "leaving": [{"plan": "sgo", "per_quarter": 1, "start": "2026-04-01",'
    ' "end": "2028-03-31"}]}\n'
)


@pytest.mark.parametrize(
    ("name", "text", "line"), [("plan.yaml", TWO_BLOCKS, 4), ("plan.json", TWO_BLOCKS_JSON, 3)]
)
def test_a_scenario_giving_a_key_twice_is_refused_naming_key_and_lines(
    name: str, text: str, line: int, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(path)
    assert str(caught.value) == (
        f"{path}: line {line}: key 'leaving' is given twice (first at line 2): give it once "
        "(the second would silently replace the first)"
    )


def test_a_scenario_giving_each_key_once_still_reads_every_move(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(ONE_BLOCK, encoding="utf-8")
    (scenario,) = load_scenarios(path)
    assert [(m.plan, m.per_quarter) for m in scenario.leaving] == [
        ("reunification", 7),
        ("sgo", 1),
    ]


def test_nested_repeats_are_found_and_repeats_in_separate_mappings_are_not() -> None:
    with pytest.raises(DuplicateKeyError) as caught:
        load_yaml("a:\n  x: 1\n  y: 2\n  x: 3\n", "f.yaml")
    assert (caught.value.key, caught.value.line, caught.value.first) == ("x", 4, 2)
    assert load_yaml("- {x: 1}\n- {x: 2}\n") == [{"x": 1}, {"x": 2}]
    assert load_json('[{"x": 1},\n {"x": 2}]') == [{"x": 1}, {"x": 2}]
    with pytest.raises(DuplicateKeyError) as jcaught:
        load_json('{"a": {"x": 1,\n "y": {"x": 0},\n "x": 2}}', "f.json")
    assert (jcaught.value.key, jcaught.value.line, jcaught.value.first) == ("x", 3, 1)


def test_a_yaml_merge_key_overridden_beside_it_is_not_a_repeat() -> None:
    assert load_yaml("base: &b {x: 1, y: 2}\nplan:\n  <<: *b\n  x: 5\n") == {
        "base": {"x": 1, "y": 2},
        "plan": {"x": 5, "y": 2},
    }


def test_json_saved_with_a_byte_order_mark_is_read() -> None:
    """Fuzz round 11: Notepad's and PowerShell's UTF-8 JSON (with a byte-order mark) was refused
    with "Expecting value: line 1 column 1" by the strict loader."""
    from sufficiency.strict_load import load_json

    assert load_json('\ufeff{"name": "plan"}') == {"name": "plan"}
