"""Register rows that used to load as something else without a word: a deregistered carer with no
deregistration date (counted as current supply), a hidden old copy of a register's sheet read in
place of the visible one, and ids differing only in case counted as two."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers, parse_register
from sufficiency.ingest.registers.docs import register_docs
from sufficiency.schema import REGISTERS, RegisterSchema
from sufficiency.schema import columns as c
from sufficiency.schema.rules import dated_status
from sufficiency.supply.carers import approved_on

CARERS = "household_id,status,approval_types,approved_date,deregistered_date,places\n"
DAY = dt.date(2025, 3, 31)


def _load(tmp_path: Path, name: str, text: str) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / name / "registers"
    folder.mkdir(parents=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return load_registers(folder)


# --------------------------------------------------------------- deregistered with no date
DEREGISTERED_BLANK = Problem(
    "error",
    "register_blank_value",
    "registers/carers.csv",
    3,
    "deregistered_date",
    None,
    "deregistered_date must not be blank when status is deregistered (expected a date, "
    "dd/mm/yyyy or yyyy-mm-dd: a deregistered household needs the date it was deregistered)",
)


def test_a_deregistered_carer_with_no_date_is_named_and_not_counted(tmp_path: Path) -> None:
    """Before, the household read as approved and never deregistered: current supply (the
    demo's 82 households read as 87), without a word."""
    rows = (
        "H1,approved,mainstream,2020-01-01,,2\n"
        "H2,Deregistered,mainstream,2019-05-01,,1\n"
        "H3,deregistered,mainstream,2019-05-01,2024-02-01,1\n"
    )
    frames, problems = _load(tmp_path, "carers", CARERS + rows)
    assert problems == [DEREGISTERED_BLANK]
    assert frames == {}
    dated = rows.replace("2019-05-01,,1", "2019-05-01,2024-06-30,1")
    frames, problems = _load(tmp_path / "dated", "carers", CARERS + dated)
    assert problems == []
    assert approved_on(frames["carers"], DAY).get_column("household_id").to_list() == ["H1"]


def test_other_statuses_need_no_deregistration_date(tmp_path: Path) -> None:
    rows = "H1,approved,mainstream,2020-01-01,,2\nH2,in_assessment,,,,1\nH3,reg24,kinship,,,1\n"
    frames, problems = _load(tmp_path, "carers", CARERS + rows)
    assert problems == []
    assert frames["carers"].height == 3


def test_a_web_forms_row_is_checked_by_the_same_rule() -> None:
    """A form's row goes through ``parse_register``, as a file does."""
    raw = pl.DataFrame(
        {"household_id": ["H2"], "status": ["deregistered"], "places": ["1"]},
    ).with_columns(pl.lit(None, dtype=pl.Utf8).alias("approval_types"))
    _, problems = parse_register("carers", raw, "form")
    assert [(p.code, p.row, p.column, p.message) for p in problems] == [
        ("register_blank_value", 2, "deregistered_date", DEREGISTERED_BLANK.message)
    ]


def test_the_carers_register_declares_the_rule_once_and_the_docs_say_it() -> None:
    rule = dated_status("status", "deregistered", "deregistered_date", "household")
    assert [r for r in REGISTERS["carers"].rules if r == rule] == [rule]
    section = register_docs().split("## carers")[1].split("## ")[0]
    assert "`deregistered_date` given when `status` is `deregistered`" in section


def test_a_dated_status_rule_on_a_column_the_register_lacks_is_a_declaration_bug() -> None:
    with pytest.raises(ValueError, match="rules"):
        RegisterSchema("x", "X.", (c.text("a"),), rules=(dated_status("a", "b", "c", "row"),))


# ------------------------------------------------------------------ hidden sheets in a workbook
COSTS_HEADER = ["placement_type", "year", "weekly_cost"]


def _book(folder: Path, sheets: dict[str, tuple[list[list[object]], bool]]) -> Path:
    """A costs workbook of the sheets given in order (rows, hidden), the first visible active."""
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, (rows, hidden) in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if hidden:
            sheet.sheet_state = "hidden"
    book.active = next(i for i, (_, h) in enumerate(sheets.values()) if not h)
    book.save(folder / "costs.xlsx")
    return folder


OLD = [COSTS_HEADER, ["ifa", 2024, 900], ["ifa", 2025, 950]]
CURRENT = [COSTS_HEADER, ["ifa", 2024, 980.5], ["ifa", 2025, 1010], ["secure", 2025, 7000]]


def test_a_hidden_old_copy_first_is_left_out_for_the_visible_sheet(tmp_path: Path) -> None:
    """Before, the hidden first sheet (an old copy) was read and the visible one ignored."""
    folder = _book(tmp_path / "registers", {"Old copy": (OLD, True), "Costs": (CURRENT, False)})
    frames, problems = load_registers(folder)
    assert problems == [
        Problem.whole_file(
            "warning",
            "register_other_sheets",
            "registers/costs.xlsx",
            "the Costs sheet is read (its header names the register's columns): a register is "
            "one sheet; sheet(s) Old copy are hidden in Excel and left out (an old copy? "
            "delete it, or unhide it and put its rows on the register's sheet)",
        )
    ]
    assert frames["costs"].get_column("weekly_cost").to_list() == [980.5, 1010.0, 7000.0]


def test_hidden_and_visible_sheets_left_out_are_named_apart(tmp_path: Path) -> None:
    folder = _book(
        tmp_path / "registers",
        {
            "Costs": (CURRENT, False),
            "Old copy": (OLD, True),
            "2026": ([["ifa", 2026, 1050]], False),
        },
    )
    frames, problems = load_registers(folder)
    assert [(p.severity, p.code, p.file, p.message) for p in problems] == [
        (
            "warning",
            "register_other_sheets",
            "registers/costs.xlsx",
            "only the first sheet (Costs) is read: a register is one sheet; sheet(s) 2026 hold "
            "values that are not read (put every row on the register's sheet); sheet(s) "
            "Old copy are hidden in Excel and left out (an old copy? delete it, or unhide it "
            "and put its rows on the register's sheet)",
        )
    ]
    assert frames["costs"].height == 3


def test_a_register_only_on_a_hidden_sheet_is_read_and_said_to_be_hidden(tmp_path: Path) -> None:
    """With no visible sheet holding the header, the hidden one is the register (as before),
    now said to be hidden."""
    notes = [["Costs are on the other sheet"]]
    folder = _book(tmp_path / "registers", {"Notes": (notes, False), "Data": (CURRENT, True)})
    frames, problems = load_registers(folder)
    assert [p.message for p in problems] == [
        "the Data sheet is read (its header names the register's columns; it is hidden in "
        "Excel): a register is one sheet; sheet(s) Notes hold values that are not read (put "
        "every row on the register's sheet)"
    ]
    assert frames["costs"].height == 3


# ----------------------------------------------------------------- ids differing only in case
def test_household_ids_differing_only_in_case_are_one_household(tmp_path: Path) -> None:
    """Before, FC00001 and fc00001 loaded as two households (places counted twice)."""
    rows = (
        "FC00001,approved,mainstream,2020-01-01,,2\n"
        "FC00002,approved,mainstream,2020-01-01,,1\n"
        "fc00001,approved,mainstream,2021-01-01,,3\n"
    )
    frames, problems = _load(tmp_path, "carers", CARERS + rows)
    assert problems == [
        Problem(
            "error",
            "register_duplicate_id",
            "registers/carers.csv",
            4,
            "household_id",
            "fc00001",
            "household_id 'fc00001' appears more than once (expected one row per "
            "household_id): row 2 has 'FC00001', the same ignoring case",
        )
    ]
    assert frames == {}


def test_vacancy_ids_differing_only_in_case_are_one_vacancy(tmp_path: Path) -> None:
    text = (
        "vacancy_id,provider_kind,placement_type,places,available_from\n"
        "v-001,ifa,ifa,1,2025-03-01\n"
        "V-001,ifa,ifa,2,2025-03-01\n"
        "V-002,ifa,ifa,1,2025-03-01\n"
        "v-001,ifa,ifa,1,2025-04-01\n"
    )
    _, problems = _load(tmp_path, "vacancies", text)
    assert [(p.code, p.row, p.column, p.value, p.message) for p in problems] == [
        (
            "register_duplicate_id",
            3,
            "vacancy_id",
            "V-001",
            "vacancy_id 'V-001' appears more than once (expected one row per vacancy_id): "
            "row 2 has 'v-001', the same ignoring case",
        ),
        (
            "register_duplicate_id",
            5,
            "vacancy_id",
            "v-001",
            "vacancy_id 'v-001' appears more than once (expected one row per vacancy_id)",
        ),
    ]


def test_ids_differing_otherwise_still_load(tmp_path: Path) -> None:
    rows = "FC00001,approved,mainstream,2020-01-01,,2\nFC000010,approved,mainstream,,,1\n"
    frames, problems = _load(tmp_path, "carers", CARERS + rows)
    assert problems == []
    assert frames["carers"].get_column("household_id").to_list() == ["FC00001", "FC000010"]
