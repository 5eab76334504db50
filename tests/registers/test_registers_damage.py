"""Damaged register values that used to load as a different number or date without a word: each
is now a named error (file, row, column, value, what was expected)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers


def _load(tmp_path: Path, name: str, text: str) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / name / "registers"
    folder.mkdir(parents=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return load_registers(folder)


@pytest.mark.parametrize("cell", ["520,50", '"1,5"', '"1.520,00"', '"12,34"', '"1,0000"'])
def test_a_comma_that_does_not_separate_thousands_is_not_read_as_one(
    tmp_path: Path, cell: str
) -> None:
    """A decimal comma (as European-set Excel writes numbers, in the `;`-separated files read
    with a warning) would lose the comma and read £520,50 as 52,050."""
    text = f"placement_type;year;weekly_cost\nifa;2024;{cell}\n"
    frames, problems = _load(tmp_path, "costs", text.replace('"', ""))
    errors = [p for p in problems if p.severity == "error"]
    value = cell.strip('"')
    assert [(p.code, p.row, p.column, p.value) for p in errors] == [
        ("register_bad_number", 2, "weekly_cost", value)
    ]
    assert errors[0].message == (
        f"weekly_cost: a comma that does not separate thousands (a decimal comma?) '{value}' "
        "(expected a number from 0 to 1,000,000)"
    )
    assert frames == {}


def test_thousands_commas_still_read(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path,
        "costs",
        'placement_type,year,weekly_cost\nifa,2024,"£1,050.50"\nifa,2025,"1,234,567"\n'
        "ifa,2026, 980 \n",
    )
    assert [p for p in problems if p.code != "register_out_of_range"] == []
    assert frames == {}  # 1,234,567 is above the column's 1,000,000: still a number, named
    frames, problems = _load(
        tmp_path / "b", "costs", 'placement_type,year,weekly_cost\nifa,2024,"£1,050.50"\n'
    )
    assert problems == []
    assert frames["costs"].get_column("weekly_cost").to_list() == [1050.5]


def test_a_comma_in_a_whole_number_column_is_named(tmp_path: Path) -> None:
    _, problems = _load(
        tmp_path, "carers", 'household_id,status,approval_types,places\nH1,approved,,"1,5"\n'
    )
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("register_bad_number", 2, "places", "1,5")
    ]


@pytest.mark.parametrize(
    "cell",
    [
        "31/03/26",  # a two-digit year: year 26
        "01/04/0202",  # a mistyped year
        "31/03/3026",
        "2026-03-31x",  # text after an ISO date
        "2026-03-312",
        "26-03-31",
    ],
)
def test_a_date_with_a_short_or_impossible_year_is_named(tmp_path: Path, cell: str) -> None:
    frames, problems = _load(
        tmp_path,
        "vacancies",
        f"vacancy_id,provider_kind,placement_type,places,available_from\nV1,ifa,ifa,1,{cell}\n",
    )
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("register_bad_date", 2, "available_from", cell)
    ]
    assert frames == {}


@pytest.mark.parametrize("cell", ["26-03", "0026-03", "3026-03"])
def test_a_month_with_a_short_or_impossible_year_is_named(tmp_path: Path, cell: str) -> None:
    _, problems = _load(tmp_path, "recruitment", f"month,enquiries\n{cell},3\n")
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("register_bad_date", 2, "month", cell)
    ]


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("31/03/2026", dt.date(2026, 3, 31)),
        ("2026-03-31", dt.date(2026, 3, 31)),
        ("2026-03-31 00:00:00", dt.date(2026, 3, 31)),  # a spreadsheet's date cell
        ("2026-03-31T14:30:00", dt.date(2026, 3, 31)),  # a system's time stamp
        ("1/4/2026", dt.date(2026, 4, 1)),
    ],
)
def test_dates_as_spreadsheets_write_them_still_read(
    tmp_path: Path, cell: str, day: dt.date
) -> None:
    frames, problems = _load(
        tmp_path,
        "vacancies",
        f"vacancy_id,provider_kind,placement_type,places,available_from\nV1,ifa,ifa,1,{cell}\n",
    )
    assert problems == []
    assert frames["vacancies"].get_column("available_from").to_list() == [day]


# ---------------------------------------------------------------------------------- workbooks
def _workbook(tmp_path: Path, rows: list[list[object]]) -> tuple[Path, object]:
    import openpyxl

    folder = tmp_path / "registers"
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)  # type: ignore[union-attr]
    return folder, book


COSTS = [
    ["placement_type", "year", "weekly_cost"],
    ["ifa", 2024, 980.5],
    ["ifa", 2025, 1010],
    ["secure", 2025, 7000],
]


def test_a_register_formula_with_no_saved_result_is_named(tmp_path: Path) -> None:
    """A formula never calculated reads blank: an optional cell would be lost silently."""
    folder, book = _workbook(tmp_path, COSTS)
    book.active["C3"] = "=C2*1.03"  # type: ignore[attr-defined]
    book.save(folder / "costs.xlsx")  # type: ignore[attr-defined]
    frames, problems = load_registers(folder)
    assert [(p.severity, p.code, p.file, p.row, p.column, p.value) for p in problems] == [
        ("error", "formula_without_value", "registers/costs.xlsx", 3, "weekly_cost", "=C2*1.03")
    ]
    assert frames == {}


def test_register_merged_cells_are_named(tmp_path: Path) -> None:
    folder, book = _workbook(tmp_path, COSTS)
    book.active.merge_cells("B3:B4")  # type: ignore[attr-defined]  # 2025 over two rows
    book.save(folder / "costs.xlsx")  # type: ignore[attr-defined]
    frames, problems = load_registers(folder)
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("merged_cells", 4, "year", "B3:B4")
    ]
    assert frames == {}


def test_register_workbook_rows_are_the_rows_excel_shows(tmp_path: Path) -> None:
    """An empty row inside the table, and a table starting lower down, keep Excel's numbers."""
    folder, book = _workbook(tmp_path, [[], [], *COSTS[:2], [], ["ifa", 2025, "lots"]])
    book.save(folder / "costs.xlsx")  # type: ignore[attr-defined]
    _, problems = load_registers(folder)
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("register_bad_number", 6, "weekly_cost", "lots")
    ]


def test_a_register_workbook_reads_its_numbers_and_dates(tmp_path: Path) -> None:
    folder, book = _workbook(
        tmp_path,
        [
            ["vacancy_id", "provider_kind", "placement_type", "places", "available_from"],
            [101, "ifa", "ifa", 2, dt.datetime(2026, 3, 31)],
        ],
    )
    book.save(folder / "vacancies.xlsx")  # type: ignore[attr-defined]
    frames, problems = load_registers(folder)
    assert problems == []
    row = frames["vacancies"].row(0, named=True)
    assert (row["vacancy_id"], row["places"], row["available_from"]) == (
        "101",
        2,
        dt.date(2026, 3, 31),
    )


def test_values_on_a_later_sheet_are_named_as_not_read(tmp_path: Path) -> None:
    folder, book = _workbook(tmp_path, COSTS)
    book.create_sheet("2026")  # type: ignore[attr-defined]
    book["2026"].append(["ifa", 2026, 1050])  # type: ignore[index]
    book.create_sheet("Empty")  # type: ignore[attr-defined]
    book.save(folder / "costs.xlsx")  # type: ignore[attr-defined]
    frames, problems = load_registers(folder)
    assert [(p.severity, p.code, p.file) for p in problems] == [
        ("warning", "register_other_sheets", "registers/costs.xlsx")
    ]
    assert "sheet(s) 2026 hold values" in problems[0].message
    assert frames["costs"].height == 3


def test_a_folder_inside_registers_is_named_as_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "registers"
    (folder / "2025").mkdir(parents=True)
    (folder / "2025" / "costs.csv").write_text("placement_type,year,weekly_cost\nifa,2025,1\n")
    frames, problems = load_registers(folder)
    assert [(p.severity, p.code, p.file) for p in problems] == [
        ("warning", "register_unknown_entry", "registers/2025")
    ]
    assert frames == {}


def test_a_row_copied_in_a_register_with_no_key_is_named(tmp_path: Path) -> None:
    """Supported accommodation has no key: a pasted copy counted its units twice (84 -> 87 on
    the demo), silently. (A URN given again with other values is a repeated URN:
    test_registers_unique.py.)"""
    frames, problems = _load(
        tmp_path,
        "supported_accommodation",
        "provider,urn,units\nHaven,,3\nHaven,,4\nOak,SC1,2\nHaven,,3\n",
    )
    assert [(p.code, p.row, p.message) for p in problems] == [
        (
            "register_duplicate_row",
            5,
            "this row repeats row 2 in every column: a copy would be counted twice; remove one "
            "(or make the rows differ)",
        )
    ]
    assert frames == {}


@pytest.mark.parametrize("label", ["Total", "TOTAL", "Totals:", "Grand total", "subtotal"])
def test_a_spreadsheets_totals_row_is_not_read_as_one_more(tmp_path: Path, label: str) -> None:
    """Before, "Total,,,120,100,," under a supported accommodation register was an 8th provider
    of 120 units (units 28 -> 148), without a word; a provider whose name holds the word is a
    provider."""
    text = (
        "provider,urn,postcode,units,occupied,uasc_only,registered_date\n"
        "Provider 1,SC805111,B98 8YR,3,0,no,2023-10-28\n"
        "Total Care Ltd,SC675869,HR1 1FD,4,3,no,2023-10-28\n"
        f"{label},,,7,3,,\n"
    )
    frames, problems = _load(tmp_path, "supported_accommodation", text)
    assert frames["supported_accommodation"].get_column("provider").to_list() == [
        "Provider 1",
        "Total Care Ltd",
    ]
    assert [(p.severity, p.code, p.row) for p in problems] == [
        ("warning", "register_totals_row", 4)
    ]


def test_control_characters_pasted_into_a_cell_read_as_spaces(tmp_path: Path) -> None:
    """A vertical tab or U+0001 pasted from Excel was kept: invisible, and an error in the
    statement's HTML (its XLSX showed _x000B_)."""
    text = (
        "contract_id,provider,kind,placement_type,places,weekly_price\n"
        "C1,Grow\x0bcarers\x01 Ltd\x7f,spot,ifa,0,900\n"
    )
    frames, problems = _load(tmp_path, "contracts", text)
    assert problems == []
    assert frames["contracts"].get_column("provider").to_list() == ["Grow carers  Ltd"]
