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
