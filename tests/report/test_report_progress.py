"""Progress since the last statement (``--previous``): the last statement's figures, targets and
actions beside this one's, and its numbers known to the disclosure step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sufficiency.dataset import Dataset
from sufficiency.report.build import build_statement
from sufficiency.report.last_statement import load_previous
from sufficiency.report.model import StatementData
from sufficiency.report.previous import PreviousStatementError
from sufficiency.report.render import render_json


@pytest.fixture(scope="module")
def last_json(council: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test council's 2022-23 publish-mode statement.json (not rendered otherwise)."""
    path = tmp_path_factory.mktemp("previous") / "statement.json"
    path.write_text(render_json(build_statement(council, 2023, "publish")), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def now(council: Dataset, last_json: Path) -> StatementData:
    return build_statement(council, 2024, "publish", previous=load_previous(last_json))


def _table(data: StatementData, table_id: str) -> Any:
    return next(t for t in data.tables() if t.id == table_id)


def test_headline_figures_then_and_now(now: StatementData, last_json: Path) -> None:
    last = json.loads(last_json.read_text())["measures"]["2023"]["measures"]
    section = next(s for s in now.sections if s.id == "progress")
    assert section.title == "Progress since the last statement"
    table = _table(now, "progress_headline")
    assert table.columns[1:3] == ["Last statement (2022-23)", "This statement (2023-24)"]
    row = next(r for r in table.rows if r.header == "Children looked after")
    then, current, change = (c.value for c in row.cells)
    assert then == last["cla_count"]
    assert current == now.measures["2024"]["measures"]["cla_count"]
    assert change == current - then  # type: ignore[operator]
    stability = next(r for r in table.rows if r.header == "Children in long-term stable placements")
    assert stability.cells[0].kind == "pct"
    assert stability.cells[0].value == last["stability_long_term"]["pct"]


def test_targets_and_actions_then_and_now(now: StatementData) -> None:
    targets = _table(now, "progress_targets")
    assert len(targets.rows) == 2  # the same two targets in both statements
    assert all(r.cells[2].value not in (None, "") for r in targets.rows)  # status then
    actions = _table(now, "progress_actions")
    assert [r.header for r in actions.rows] == ["A1", "A2"]
    assert [r.cells[1].value for r in actions.rows] == ["on track", "not started"]
    assert [r.cells[2].value for r in actions.rows] == ["on track", "not started"]


def test_the_last_statement_numbers_are_outside_knowledge(
    now: StatementData, last_json: Path
) -> None:
    numbers = load_previous(last_json).numbers
    assert len(numbers) > 50
    assert numbers.items() <= now.disclosure.known.items()


def test_without_a_previous_statement_there_is_no_progress_section(internal: Path) -> None:
    data = json.loads((internal / "statement.json").read_text())
    assert "progress" not in [s["id"] for s in data["sections"]]


def test_a_file_that_is_not_a_statement_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(PreviousStatementError, match=r"notes\.json: expected the statement\.json"):
        load_previous(bad)
