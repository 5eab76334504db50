"""Register cells that used to load as another number or state without a word: an Excel cell
formatted as a percentage (0.5 shown as 50%, read as £0.50 a week; a target typed as 70% read
as 0.7), and a permanence plan marked changed with no date it changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers

COSTS = [["placement_type", "year", "weekly_cost"], ["ifa", 2024, 980.5], ["secure", 2025, 0.5]]
TARGETS = [["measure_id", "baseline", "target"], ["placed_over_20_miles", 14.5, 0.7]]


def _book(
    folder: Path, name: str, rows: list[list[object]], percent: tuple[str, ...], fmt: str
) -> Path:
    """Register ``name`` as a workbook, the ``percent`` cells formatted ``fmt`` (a percentage)."""
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cell in percent:
        sheet[cell].number_format = fmt
    book.save(folder / f"{name}.xlsx")
    return folder


@pytest.mark.parametrize("fmt", ["0%", "0.00%", "#,##0.0%"])
def test_a_weekly_cost_formatted_as_a_percentage_is_an_error(tmp_path: Path, fmt: str) -> None:
    """0.5 shown as 50% read as £0.50 a week, and only a cost-jump warning, if any."""
    folder = _book(tmp_path / "registers", "costs", COSTS, ("C3",), fmt)
    frames, problems = load_registers(folder)
    assert problems == [
        Problem(
            "error",
            "percent_cell",
            "registers/costs.xlsx",
            3,
            "weekly_cost",
            "0.5",
            "cell C3 is formatted as a percentage: it shows 50% but holds 0.5, and no column "
            "of a return or register is a fraction; type the number as the column means it "
            "(50 for 50 per cent) and format the cell as a number",
        )
    ]
    assert "costs" not in frames


def test_a_target_typed_as_a_percentage_is_an_error(tmp_path: Path) -> None:
    """A target of 70% for a percentage measure (held as 70) read as 0.7, so the statement
    judged progress towards 0.7 per cent."""
    folder = _book(tmp_path / "registers", "targets", TARGETS, ("C2",), "0%")
    frames, problems = load_registers(folder)
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("percent_cell", 2, "target", "0.7")
    ]
    assert "it shows 70% but holds 0.7" in problems[0].message
    assert "targets" not in frames


def test_a_percentage_format_on_a_blank_or_text_cell_is_no_problem(tmp_path: Path) -> None:
    """Only a number the format changes is named: a whole column formatted as percentages
    with text or blanks in it reads as it shows."""
    rows = [*COSTS[:2], ["secure", 2025, None], ["Note: costs from the 2025 budget", None, None]]
    folder = _book(tmp_path / "registers", "costs", rows, ("C3", "A4", "C1"), "0%")
    _, problems = load_registers(folder)
    assert "percent_cell" not in [p.code for p in problems]


def test_a_plan_marked_changed_needs_the_date_it_changed(tmp_path: Path) -> None:
    """A changed plan with no outcome_date read as changed before every date: never in force,
    so a year-old plan vanished from the figures of years it was current."""
    folder = tmp_path / "registers"
    folder.mkdir(parents=True)
    (folder / "permanence_plans.csv").write_text(
        "child_id,plan,date_set,status,outcome_date\n"
        "C1,adoption,2024-05-01,changed,\n"
        "C2,sgo,2024-05-01,changed,2025-01-10\n",
        encoding="utf-8",
    )
    frames, problems = load_registers(folder)
    assert [(p.severity, p.code, p.file, p.row, p.column) for p in problems] == [
        ("error", "register_blank_value", "registers/permanence_plans.csv", 2, "outcome_date")
    ]
    assert problems[0].message.startswith(
        "outcome_date must not be blank when status is changed (expected a date"
    )
    assert "a changed plan needs the date it was changed" in problems[0].message
    assert "permanence_plans" not in frames


def test_a_register_workbook_that_unzips_past_the_limit_is_refused_unread(
    tmp_path: Path, zip_bomb: Callable[[bytes, int], bytes]
) -> None:
    """A 5.9 MB carers workbook holding 1.5 GB of sheet passed the import's 20 MB limit (on the
    zipped bytes) and kept a web worker busy for minutes at 4 GB."""
    from sufficiency.ingest.workbook_size import XLSX_MAX_UNZIPPED

    folder = _book(tmp_path / "registers", "costs", COSTS[:2], (), "0")
    path = folder / "costs.xlsx"
    path.write_bytes(zip_bomb(path.read_bytes(), XLSX_MAX_UNZIPPED))
    frames, problems = load_registers(folder)
    (p,) = problems
    assert (p.severity, p.code, p.file) == ("error", "register_unreadable", "registers/costs.xlsx")
    assert p.message.startswith("cannot read as XLSX: the workbook holds 257 MB once unzipped")
    assert "costs" not in frames
