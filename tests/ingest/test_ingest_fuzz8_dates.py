"""Dates in fuzz round 8: dd/mm/yyyy with Excel's time of day read as the date, and pairs of
dates in one row that must come in order (AD1, placed for adoption, DoLO) named at the row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ingest_data import GOOD_EPISODES, csv_text, good_files, where, write_data

from sufficiency.dates import date_in_text
from sufficiency.ingest import load_data


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("27/03/2023 00:00", dt.date(2023, 3, 27)),
        ("27/03/2023 00:00:00", dt.date(2023, 3, 27)),
        ("7/3/2023 13:45", dt.date(2023, 3, 7)),
        ("2023-03-27 00:00", dt.date(2023, 3, 27)),
        ("27/03/2023", dt.date(2023, 3, 27)),
        ("27/03/2023 junk", None),
        ("27/03/2023 00", None),
        ("27/03/23 00:00", None),
        ("27/03/2023 00:00 x", None),
    ],
)
def test_a_time_after_a_date_is_ignored_in_either_form(text: str, read: dt.date | None) -> None:
    """Excel saves a UK date-time column to CSV as dd/mm/yyyy hh:mm: that was a bad_date error
    (42 of them in one return), though a time after yyyy-mm-dd was read."""
    assert date_in_text(text) == read


def test_a_return_whose_dates_carry_a_time_loads_as_without(tmp_path: Path) -> None:
    timed = [
        [v + " 00:00" if i in (1, 7) and v else v for i, v in enumerate(row)]
        for row in GOOD_EPISODES
    ]
    plain = load_data(write_data(tmp_path / "P"))
    result = load_data(write_data(tmp_path / "T", {2023: good_files(episodes=timed)}))
    assert result.problems == []
    assert result.dataset is not None and plain.dataset is not None
    assert result.dataset.episodes.equals(plain.dataset.episodes)


def _with(
    tmp_path: Path, name: str, columns: list[str], row: list[str]
) -> list[tuple[object, ...]]:
    files = {**good_files(), name: csv_text(columns, [row])}
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    return [(*where(p), p.value) for p in result.problems if p.code != "missing_optional_column"]


def test_a_match_before_the_decision_to_place_is_an_error(tmp_path: Path) -> None:
    """DATE_INT and DATE_MATCH transposed: A2 read 0 days (it was 151) without a word."""
    found = _with(
        tmp_path,
        "ad1.csv",
        ["CHILD", "DOB", "DATE_INT", "DATE_MATCH"],
        ["C2", "15/02/2015", "01/03/2023", "01/02/2023"],
    )
    assert found == [("error", "date_order", "ssda903/2023/ad1.csv", 2, "DATE_MATCH", "01/02/2023")]


def test_a_placement_for_adoption_ceasing_before_it_began_is_an_error(tmp_path: Path) -> None:
    found = _with(
        tmp_path,
        "placed_for_adoption.csv",
        ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
        ["C2", "15/02/2015", "01/03/2023", "01/02/2023", "E11"],
    )
    assert found == [
        (
            "error",
            "date_order",
            "ssda903/2023/placed_for_adoption.csv",
            2,
            "DATE_PLACED_CEASED",
            "01/02/2023",
        )
    ]


def test_a_dolo_ending_before_it_starts_is_an_error(tmp_path: Path) -> None:
    """DOLO_START and DOLO_END transposed: orders counted as entries and in force on 31 March."""
    found = _with(
        tmp_path,
        "dolo.csv",
        ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
        ["C1", "01/06/2010", "01/03/2023", "01/02/2023"],
    )
    assert found == [("error", "date_order", "ssda903/2023/dolo.csv", 2, "DOLO_END", "01/02/2023")]
    message = "DOLO_END 01/02/2023 is before DOLO_START (01/03/2023)"
    files = {
        **good_files(),
        "dolo.csv": "CHILD,DOB,DOLO_START,DOLO_END\nC1,01/06/2010,01/03/2023,01/02/2023\n",
    }
    result = load_data(write_data(tmp_path / "M", {2023: files}))
    assert result.dataset is None
    assert next(p.message for p in result.problems if p.code == "date_order").startswith(message)


def test_dates_in_order_or_blank_are_no_problem(tmp_path: Path) -> None:
    found = _with(
        tmp_path,
        "ad1.csv",
        ["CHILD", "DOB", "DATE_INT", "DATE_MATCH"],
        ["C2", "15/02/2015", "01/02/2023", "01/02/2023"],
    )
    assert found == []
    assert (
        _with(
            tmp_path / "B",
            "dolo.csv",
            ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
            ["C1", "01/06/2010", "01/03/2023", ""],
        )
        == []
    )
