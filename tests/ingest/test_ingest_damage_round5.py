"""Damaged SSDA903 returns found by fuzzing a whole synthetic council (round 5): each is named
(file, row, field, what was expected), and none loads silently with wrong numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ingest_data import (
    EPISODE_COLUMNS,
    GOOD_EPISODES,
    csv_text,
    good_files,
    where,
    write_data,
    xml_return,
)

from sufficiency.ingest import load_data


# ------------------------------------------------- a column named with a space or a hyphen
@pytest.mark.parametrize("name", ["PL POST", "pl-post", " Pl  Post "])
def test_a_column_named_with_spaces_or_hyphens_is_read(tmp_path: Path, name: str) -> None:
    """``PL POST`` was an extra column and PL_POST missing: every distance unknown (placed over
    20 miles 24% -> 2%), with warnings only. Registers read such names already."""
    columns = [name if c == "PL_POST" else c for c in EPISODE_COLUMNS]
    files = {**good_files(), "episodes.csv": csv_text(columns, GOOD_EPISODES)}
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert result.problems == [] and result.dataset is not None
    places = result.dataset.episodes.get_column("PL_POST").to_list()
    assert places == [row[11] for row in GOOD_EPISODES]


# ------------------------------------------------- a return for a year that has not ended
def test_a_return_for_a_year_not_ended_is_an_error(tmp_path: Path) -> None:
    """A 2026-27 return loaded in November 2026 gave a whole year of figures for a year that
    had not happened (its dates moved on a year, up to 28/03/2027)."""
    from sufficiency.dates import last_ended_year

    later = last_ended_year() + 1
    root = write_data(tmp_path / "D", {2023: good_files(), later: good_files()})
    result = load_data(root)
    (late,) = [p for p in result.problems if p.code == "return_not_ended"]
    assert where(late) == ("error", "return_not_ended", f"ssda903/{later}", None, None)
    assert late.message == (
        f"the {later - 1}-{str(later)[2:]} return covers the year to 31/03/{later}, which has "
        f"not ended (today is {dt.date.today():%d/%m/%Y}): a return is loaded once its year is "
        "over"
    )
    assert result.dataset is None


def test_the_last_year_ended_is_the_year_before_until_31_march_has_passed() -> None:
    from sufficiency.dates import last_ended_year

    assert last_ended_year(dt.date(2026, 3, 31)) == 2025
    assert last_ended_year(dt.date(2026, 4, 1)) == 2026
    assert last_ended_year(dt.date(2026, 11, 29)) == 2026


# ------------------------------------------------- a return left zipped
@pytest.mark.parametrize("name", ["2024.zip", "ssda903_2024.ZIP", "returns.7z"])
def test_a_return_left_in_an_archive_is_an_error(tmp_path: Path, name: str) -> None:
    """``ssda903/2024.zip`` was only an ignored entry: validate said OK with the year
    missing, and every figure of it was left out."""
    root = write_data(tmp_path / "D", {2023: good_files()})
    (root / "ssda903" / name).write_bytes(b"PK\x03\x04 not really a zip")
    result = load_data(root)
    assert [where(p) for p in result.problems] == [
        ("error", "return_archive", f"ssda903/{name}", None, None)
    ]
    assert result.problems[0].message == (
        "an archive is not read: unzip it, and put each return's files in its own folder "
        "ssda903/<year>/ (named by the year the return ends, e.g. 2023 for 2022-23)"
    )
    assert result.dataset is None


# ------------------------------------------------- a date the measures count, not a date
@pytest.mark.parametrize(
    ("name", "columns", "row", "column"),
    [
        (
            "placed_for_adoption.csv",
            ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
            ["C1", "01/06/2010", "17.10.2022", "", ""],
            "DATE_PLACED",
        ),
        (
            "dolo.csv",
            ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
            ["C1", "01/06/2010", "01/11/2022", "31/02/2023"],
            "DOLO_END",
        ),
        (
            "ad1.csv",
            ["CHILD", "DOB", "DATE_INT", "DATE_MATCH"],
            ["C1", "01/06/2010", "01/02/2023", "05/12/22"],
            "DATE_MATCH",
        ),
    ],
)
def test_a_date_the_measures_count_that_is_not_a_date_is_an_error(
    tmp_path: Path, name: str, columns: list[str], row: list[str], column: str
) -> None:
    """Only a warning before, the value dropped: children waiting for adoption 4 -> 0, a
    ceased DoLS order read as open (a date after the year was an error already)."""
    files = {**good_files(), name: csv_text(columns, [row])}
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    value = row[columns.index(column)]
    errors = [p for p in result.problems if p.severity == "error"]
    assert [where(p) for p in errors] == [("error", "bad_date", f"ssda903/2023/{name}", 2, column)]
    assert errors[0].message == (
        f"{column} {value!r} is not a date: expected dd/mm/yyyy (or yyyy-mm-dd)"
    )
    assert result.dataset is None


# ------------------------------------------------- an XML block whose first field is blank
@pytest.mark.parametrize("form", ["header", "block"])
def test_an_xml_uasc_child_with_a_blank_duc_is_named_as_in_csv(tmp_path: Path, form: str) -> None:
    """A UASC child whose DUC is blank was left out of the UASC table without a word (UASC
    arrivals 9 -> 8); the same data as CSV is an error (DUC is blank)."""
    text = xml_return(uasc=[["C3", "1", "03/09/2006", ""]])
    if form == "block":  # the DUC in its own block, as some exports write it
        text = text.replace(
            "      <UASC>1</UASC>\n      <DUC></DUC>\n    </HEADER>\n",
            "    </HEADER>\n    <UASC_DETAILS>\n      <DUC/>\n    </UASC_DETAILS>\n",
        )
        assert "<UASC_DETAILS>" in text
    result = load_data(write_data(tmp_path / "D", {2023: {"return.xml": text}}))
    errors = [p for p in result.problems if p.severity == "error"]
    assert [(p.code, p.file, p.column) for p in errors] == [
        ("bad_date", "ssda903/2023/return.xml", "DUC")
    ]
    assert errors[0].message == "DUC is blank: expected a date dd/mm/yyyy"
    assert result.dataset is None


def test_thousands_of_extra_columns_are_named_a_few_then_counted(tmp_path: Path) -> None:
    """A 3,000-column episodes file gave 3,000 warnings; other problems are capped."""
    from sufficiency.ingest.problems import LIMIT

    extra = [f"NOTE{i}" for i in range(3000)]
    rows = [[*row, *[""] * len(extra)] for row in GOOD_EPISODES]
    files = {**good_files(), "episodes.csv": csv_text([*EPISODE_COLUMNS, *extra], rows)}
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    found = [p for p in result.problems if p.code == "extra_column"]
    assert [p.column for p in found] == [*extra[:LIMIT], None]
    assert found[-1].message == f"{3000 - LIMIT} more row(s) like the above"
    assert result.ok


def test_an_xml_return_saved_as_utf16_is_read(tmp_path: Path) -> None:
    """It was refused as "not recognised as an SSDA903 table", pointing the wrong way."""
    text = xml_return()
    utf16 = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    as_utf8 = load_data(write_data(tmp_path / "A", {2023: {"return.xml": text}}))
    as_utf16 = load_data(write_data(tmp_path / "B", {2023: {"return.xml": utf16}}))
    assert as_utf16.problems == [] and as_utf16.dataset is not None
    assert as_utf8.dataset is not None
    assert as_utf16.dataset.episodes.equals(as_utf8.dataset.episodes)
    assert as_utf16.dataset.children.equals(as_utf8.dataset.children)
