"""Damaged inputs found by the fourth fuzzing pass: a register cut to its header line loaded
with every count from it 0 and no word, and a header line repeated mid-file in another case or
padded was named as a dozen bad values. Each is now one named warning."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from ingest_data import CARERS, EPISODE_COLUMNS, LA_TOML, good_files, where, write_data, xml_return
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult
from sufficiency.ingest.registers import load_register, load_registers, xlsx_bytes
from sufficiency.schema import REGISTERS

CARERS_HEADER = CARERS.splitlines(keepends=True)[0]
NO_ROWS = (
    "the file has its header line but no rows: read as the council having none, so every "
    "count from the carers register is 0 (a blank or absent file is read as not supplied). "
    "If the council has any, the file has lost its rows: export it again"
)


def _data(root: Path, files: dict[str, str] | None = None, carers: str | None = CARERS) -> Path:
    """The good 2022-23 return (``files`` replaced), la.toml and a carers register (None:
    no carers file)."""
    write_data(root, {2023: {**good_files(), **(files or {})}}, la_toml=LA_TOML)
    (root / "registers").mkdir()
    if carers is not None:
        (root / "registers" / "carers.csv").write_text(carers, encoding="utf-8")
    return root


@pytest.fixture
def clean(tmp_path: Path) -> LoadResult:
    result = load_data(_data(tmp_path / "CLEAN"))
    assert result.ok and result.problems == []
    return result


# ------------------------------------------------------ A: a register cut to its header line
@pytest.mark.parametrize(
    "text", [CARERS_HEADER, CARERS_HEADER.rstrip("\n"), CARERS_HEADER + "\n\n"]
)
def test_a_register_with_only_its_header_line_is_read_as_none_and_said(
    tmp_path: Path, text: str
) -> None:
    """An export that lost its rows read as "the council has no carers" (carer households
    162 -> 0) with no problem at all: it is still read so, with a warning naming the file."""
    result = load_data(_data(tmp_path / "D", carers=text))
    assert [(where(p), p.value, p.message) for p in result.problems] == [
        (("warning", "register_no_rows", "registers/carers.csv", None, None), None, NO_ROWS)
    ]
    assert result.ok and result.dataset is not None
    assert result.dataset.registers["carers"].height == 0


def test_a_header_only_register_workbook_is_said_too(tmp_path: Path) -> None:
    root = _data(tmp_path / "D", carers=None)
    empty = REGISTERS["carers"].empty()
    (root / "registers" / "carers.xlsx").write_bytes(xlsx_bytes("carers", empty))
    frames, problems = load_registers(root / "registers")
    assert [where(p) for p in problems] == [
        ("warning", "register_no_rows", "registers/carers.xlsx", None, None)
    ]
    assert frames["carers"].height == 0


def test_validate_shows_a_header_only_register(tmp_path: Path) -> None:
    """``sufficiency validate`` names it (a warning: exit 0)."""
    root = _data(tmp_path / "D", carers=CARERS_HEADER)
    out = CliRunner().invoke(app, ["validate", str(root), "--json"])
    assert out.exit_code == 0
    problems = json.loads(out.stdout)["problems"]
    assert [(p["severity"], p["code"], p["file"], p["row"]) for p in problems] == [
        ("warning", "register_no_rows", "registers/carers.csv", None)
    ]


def test_a_blank_or_absent_register_is_still_not_supplied(tmp_path: Path) -> None:
    """A blank file stays ``register_blank`` (not supplied) and an absent one says nothing."""
    blank = load_data(_data(tmp_path / "B", carers=""))
    assert [where(p) for p in blank.problems] == [
        ("warning", "register_blank", "registers/carers.csv", None, None)
    ]
    absent = load_data(_data(tmp_path / "A", carers=None))
    assert absent.problems == []
    for result in (blank, absent):
        assert result.dataset is not None and "carers" not in result.dataset.registers


@pytest.mark.parametrize("text", ["\n", "  \r\n\r\n", "\ufeff", "\ufeff\r\n", "\t \n"])
def test_a_register_of_only_line_ends_and_spaces_is_blank(tmp_path: Path, text: str) -> None:
    """As a spreadsheet saves an empty sheet (a byte-order mark, a line end): blank, not the
    register's required columns named missing one by one."""
    result = load_data(_data(tmp_path / "W", carers=text))
    assert [where(p) for p in result.problems] == [
        ("warning", "register_blank", "registers/carers.csv", None, None)
    ]
    assert result.dataset is not None and "carers" not in result.dataset.registers


def test_one_register_file_checked_alone_is_not_warned(tmp_path: Path) -> None:
    """``load_register`` (a web import's check, which refuses a file with no rows itself as the
    error ``register_no_rows``) gives the empty frame with no problem: the warning is the data
    folder's reading."""
    path = tmp_path / "carers.csv"
    path.write_text(CARERS_HEADER, encoding="utf-8")
    frame, problems = load_register(path, "carers.csv")
    assert problems == [] and frame is not None and frame.height == 0


def test_a_synthetic_council_has_no_header_only_register(demo_dir: Path) -> None:
    """Every register ``sufficiency synth`` writes has rows: none is warned about."""
    frames, problems = load_registers(demo_dir / "registers")
    assert [p for p in problems if p.code == "register_no_rows"] == []
    assert all(frame.height > 0 for frame in frames.values())


# ------------------------------------------- B: a header line repeated in another case or padded
@pytest.mark.parametrize(
    "spell", [str.lower, lambda c: f" {c} ", lambda c: f" {c.lower()} ", str.title]
)
def test_a_repeated_header_in_another_case_or_padded_is_skipped_and_said(
    tmp_path: Path, clean: LoadResult, spell: Callable[[str], str]
) -> None:
    """`` child , decom ,...`` inside a file whose header is ``CHILD,DECOM,...`` was 13 errors
    at its row (DECOM ' decom ' a bad date, LS ' ls ' an unknown code, ...); the header itself
    is read so, and the repeat is now skipped with one warning, as an exact repeat is."""
    repeat = ",".join(spell(c) for c in EPISODE_COLUMNS) + "\n"
    lines = str(good_files()["episodes.csv"]).splitlines(keepends=True)
    result = load_data(
        _data(tmp_path / "D", {"episodes.csv": "".join([*lines[:3], repeat, *lines[3:]])})
    )
    assert [where(p) for p in result.problems] == [
        ("warning", "repeated_header", "ssda903/2023/episodes.csv", 4, None)
    ]
    assert result.dataset is not None and clean.dataset is not None
    assert_frame_equal(result.dataset.episodes, clean.dataset.episodes)
    assert_frame_equal(result.dataset.children, clean.dataset.children)


def test_a_row_naming_only_some_columns_is_not_a_repeated_header(tmp_path: Path) -> None:
    """Only a row naming every column is a header: one whose first cell alone reads ``child``
    is a data row, judged as one."""
    row = ["child", *["x"] * (len(EPISODE_COLUMNS) - 1)]
    lines = str(good_files()["episodes.csv"]).splitlines(keepends=True)
    text = "".join([*lines, ",".join(row) + "\n"])
    result = load_data(_data(tmp_path / "D", {"episodes.csv": text}))
    assert "repeated_header" not in {p.code for p in result.problems}
    assert any(p.code == "bad_date" and p.row == 6 for p in result.problems)


# ------------------------------------------- an XML child's field given again, differently
def test_an_xml_childs_date_of_birth_given_again_differently_is_an_error(tmp_path: Path) -> None:
    """A UASC block after the HEADER carrying the child's DOB a year earlier replaced the
    header's without a word (20 figures of the demo changed: children moved to 18 and over)."""
    text = xml_return().replace(
        "    </HEADER>\n",
        "    </HEADER>\n    <UASC_DETAILS>\n      <DOB>03/09/2005</DOB>\n    </UASC_DETAILS>\n",
    )
    assert text.count("<UASC_DETAILS>") == 3
    result = load_data(write_data(tmp_path / "D", {2023: {"return.xml": text}}))
    found = [(where(p), p.value) for p in result.problems]
    assert found == [
        (("error", "xml_conflicting_value", "ssda903/2023/return.xml", line, "DOB"), "03/09/2005")
        for line in (14, 56, 86)
    ]
    assert result.problems[0].message == (
        "DOB is given again for this child as '03/09/2005' after '01/06/2010': a child has one "
        "DOB, and which is right cannot be known; give it once"
    )
    assert result.dataset is None


def test_an_xml_childs_field_given_again_alike_is_read(tmp_path: Path) -> None:
    text = xml_return().replace(
        "      <DOB>01/06/2010</DOB>\n",
        "      <DOB>01/06/2010</DOB>\n      <DOB>01/06/2010</DOB>\n",
    )
    result = load_data(write_data(tmp_path / "D", {2023: {"return.xml": text}}))
    assert result.ok and result.problems == []
