"""Referral dates read as the registers read them (dd/mm/yyyy or yyyy-mm-dd, one rule), and a
referral that does not read says the row, field, value and what was expected in plain words."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from tests.matching.conftest import pool_of, vacancy
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.matching.pool import date_col
from sufficiency.matching.referral import ReferralError, parse_referral
from sufficiency.matching.referral_files import read_referral_file, read_referrals_csv

HEADER = "referral_id,age,sex,needed_by,referred_date,urgency\n"


def test_a_batch_with_dd_mm_yyyy_dates_reads(tmp_path: Path) -> None:
    """Before, validate passed the referrals register but match --batch refused it: pydantic's
    "invalid character in year"."""
    path = tmp_path / "referrals.csv"
    path.write_text(HEADER + "R1,15,F,02/04/2025,28/03/2025,today\nR2,9,M,2025-04-09,,later\n")
    refs = read_referrals_csv(path)
    assert [(r.id, r.needed_by, r.referred_date) for r in refs] == [
        ("R1", dt.date(2025, 4, 2), dt.date(2025, 3, 28)),
        ("R2", dt.date(2025, 4, 9), None),
    ]


@pytest.mark.parametrize("cell", ["31/02/2025", "2025-13-01", "02/04/25", "next week"])
def test_a_date_that_does_not_read_names_row_field_value_and_formats(
    tmp_path: Path, cell: str
) -> None:
    path = tmp_path / "referrals.csv"
    path.write_text(HEADER + "R1,15,F,02/04/2025,,today\n" + f"R2,15,F,{cell},,today\n")
    with pytest.raises(ValueError) as err:
        read_referrals_csv(path)
    assert str(err.value) == (  # validate's words (the register reader, fuzz round 10 #7)
        f"{path} row 3: register_bad_date: needed_by: not a date '{cell}' (expected a date, "
        "dd/mm/yyyy or yyyy-mm-dd)"
    )


def test_match_batch_reports_a_bad_date_plainly(tmp_path: Path) -> None:
    path = tmp_path / "referrals.csv"
    path.write_text(HEADER + "R1,15,F,31/02/2025,,today\n")
    res = CliRunner().invoke(app, ["match", str(tmp_path), "--batch", str(path), "--json"])
    assert res.exit_code == 1
    assert "Input should" not in res.stderr
    assert "row 2: register_bad_date: needed_by: not a date '31/02/2025'" in res.stderr


def test_a_referral_without_an_age_is_named_by_its_column_and_refused_by_validate(
    tmp_path: Path,
) -> None:
    """Before, validate passed a referrals register with a blank age, then match --batch refused
    the file naming "child.age", a field the council never wrote."""
    from sufficiency.ingest.registers import load_registers

    path = tmp_path / "referrals.csv"
    path.write_text(HEADER + "R1,,F,02/04/2025,,today\n")
    with pytest.raises(ValueError) as err:
        read_referrals_csv(path)
    assert str(err.value) == (
        f"{path} row 2: register_blank_value: age must not be blank (expected a whole number "
        "from 0 to 25)"
    )
    _, problems = load_registers(tmp_path)
    assert [(p.severity, p.row, p.column) for p in problems] == [("error", 2, "age")]


REFERRAL = {"id": "R1", "child": {"age": 12}, "needed_by": "2024-06-01"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"needed_by": "01/06/2024"}, None),
        (
            {"needed_by": "2024-06-31"},
            "needed_by: expected a date as YYYY-MM-DD or DD/MM/YYYY (got '2024-06-31')",
        ),
        (
            {"urgency": "asap"},
            "urgency: expected one of 'today', 'under_5_days' or 'later' (got 'asap')",
        ),
        ({"child": {"age": "twelve"}}, "child.age: expected a whole number (got 'twelve')"),
        ({"siblings": -1}, "siblings: expected 0 or more (got -1)"),
        ({"budget_weekly": "lots"}, "budget_weekly: expected a number (got 'lots')"),
        ({"child": 12}, "child: expected an object ({...}) (got 12)"),
    ],
)
def test_referral_json_errors_are_plain(
    tmp_path: Path, change: dict[str, object], message: str | None
) -> None:
    path = tmp_path / "referral.json"
    path.write_text(json.dumps({**REFERRAL, **change}))
    if message is None:
        assert read_referral_file(path).needed_by == dt.date(2024, 6, 1)
        return
    with pytest.raises(ValueError) as err:
        read_referral_file(path)
    assert str(err.value) == f"{path}: {message}"
    with pytest.raises(ReferralError) as exc:
        parse_referral({**REFERRAL, **change})
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("01/06/2024", "2024-06-01"),
        ("1/6/2024", "2024-06-01"),
        ("2024-06-01", "2024-06-01"),
        ("2024-06-01 00:00:00", "2024-06-01"),
        ("01/06/3024", "NaT"),  # a mistyped year is not a date (it was: never available)
        ("0202-06-01", "NaT"),
        ("31/02/2024", "NaT"),
        ("", "NaT"),
    ],
)
def test_a_vacancy_is_available_from_the_date_the_one_rule_reads(cell: str, read: str) -> None:
    """A vacancy's available_from is read by the rule every written date is read by
    (``dates.date_from_text``), not one of the matching's own that took any year."""
    pool = pool_of([vacancy("V1", available_from=cell)])
    assert str(pool.available_from[0]) == read


def test_a_pool_reads_a_date_column_as_it_is() -> None:
    frame = pl.DataFrame({"d": [dt.date(2024, 6, 1), None]})
    assert date_col(frame, "d") == [dt.date(2024, 6, 1), None]
    assert date_col(frame, "missing") == [None, None]
