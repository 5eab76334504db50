"""Register dates that read as dates but cannot be right (an approval in 2099, a home rated in
1900) loaded without a word; each date column declares the dates it may plausibly hold, and a
date outside them is an error naming the file, row, column, value and the range."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers, parse_register
from sufficiency.schema import REGISTERS
from sufficiency.schema.columns import DateSpan


def _load(tmp_path: Path, name: str, text: str) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / name / "registers"
    folder.mkdir(parents=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return load_registers(folder)


@pytest.mark.parametrize("cell", ["2099-01-01", "01/01/1900", "31/12/1949"])
def test_an_implausible_approval_date_is_named(tmp_path: Path, cell: str) -> None:
    text = (
        "household_id,status,approval_types,approved_date,places\n"
        "H1,approved,mainstream,2020-04-01,2\n"
        f"H2,approved,mainstream,{cell},1\n"
    )
    frames, problems = _load(tmp_path, "carers", text)
    assert frames == {}
    assert [(p.severity, p.code, p.file, p.row, p.column, p.value) for p in problems] == [
        ("error", "register_out_of_range", "registers/carers.csv", 3, "approved_date", cell)
    ]
    today = dt.date.today()
    assert problems[0].message == (
        f"approved_date: a date outside the plausible range '{cell}' (expected a date from 1950 "
        f"to today, 01/01/1950 to {today:%d/%m/%Y})"
    )


def test_the_range_is_declared_per_column(tmp_path: Path) -> None:
    """A contract may end years ahead, a home may open in a few years, but not in 2099."""
    assert REGISTERS["contracts"].column("end").span == DateSpan(1990, 30)
    ahead = dt.date.today().year + 3
    text = (
        "contract_id,provider,kind,placement_type,places,start,end\n"
        f"K1,Acme,block,ifa,4,2024-04-01,{ahead}-03-31\n"
        "K2,Acme,block,ifa,4,2024-04-01,2099-03-31\n"
    )
    _, problems = _load(tmp_path, "contracts", text)
    assert [(p.code, p.row, p.column) for p in problems] == [("register_out_of_range", 3, "end")]


def test_every_date_column_declares_its_range() -> None:
    for schema in REGISTERS.values():
        for col in schema.columns:
            if col.kind in ("date", "month"):
                assert col.span is not None, (schema.name, col.name)
                assert 1900 <= col.span.since <= 2020, (schema.name, col.name)


def test_a_month_in_the_future_is_named() -> None:
    raw = pl.DataFrame({"month": ["2024-05", "2099-01"], "enquiries": ["3", "4"]})
    _, problems = parse_register("recruitment", raw, "recruitment.csv")
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("register_out_of_range", 3, "month", "2099-01")
    ]
