"""Harmless variations of a file read exactly as the clean file; damage found by trying one
damage at a time on a whole council is named (file, row, field, what was expected)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_data import (
    CARERS,
    GOOD_EPISODES,
    GOOD_HEADER,
    LA_TOML,
    good_files,
    many_children,
    return_files,
    where,
    write_data,
)
from polars.testing import assert_frame_equal

from sufficiency.ingest import load_data
from sufficiency.ingest.loader import LoadResult


def _data(root: Path, la_toml: str | bytes = LA_TOML, carers: str | bytes = CARERS) -> Path:
    """The good return, la.toml and a carers register, each given as text or bytes."""
    write_data(root, {2023: good_files()})
    if isinstance(la_toml, bytes):
        (root / "la.toml").write_bytes(la_toml)
    else:
        (root / "la.toml").write_text(la_toml)
    (root / "registers").mkdir()
    path = root / "registers" / "carers.csv"
    path.write_bytes(carers if isinstance(carers, bytes) else carers.encode())
    return root


def _same(result: LoadResult, clean: LoadResult) -> None:
    """Loaded with the clean folder's problems and exactly its frames."""
    assert [where(p) for p in result.problems] == [where(p) for p in clean.problems]
    assert result.dataset is not None and clean.dataset is not None
    assert result.dataset.profile == clean.dataset.profile
    assert_frame_equal(result.dataset.children, clean.dataset.children)
    assert_frame_equal(result.dataset.episodes, clean.dataset.episodes)
    assert_frame_equal(result.dataset.uasc, clean.dataset.uasc)
    assert set(result.dataset.registers) == {"carers"}
    assert_frame_equal(result.dataset.registers["carers"], clean.dataset.registers["carers"])


@pytest.fixture
def clean(tmp_path: Path) -> LoadResult:
    result = load_data(_data(tmp_path / "CLEAN"))
    assert result.ok and result.problems == []
    return result


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_old_mac_and_windows_line_ends_read_alike(
    tmp_path: Path, clean: LoadResult, ending: str
) -> None:
    """A file whose lines end with a bare CR (classic Mac, some exports) is not one long line."""
    root = _data(
        tmp_path / "D",
        la_toml=LA_TOML.replace("\n", ending),
        carers=CARERS.replace("\n", ending),
    )
    for name, text in good_files().items():
        (root / "ssda903" / "2023" / name).write_text(str(text).replace("\n", ending))
    _same(load_data(root), clean)


def test_a_folder_named_la_toml_is_named_not_raised(tmp_path: Path) -> None:
    root = _data(tmp_path / "D")
    (root / "la.toml").unlink()
    (root / "la.toml").mkdir()
    result = load_data(root)
    assert [(where(p), p.message) for p in result.problems] == [
        (
            ("error", "profile_unreadable", "la.toml", None, None),
            "cannot read la.toml: Is a directory",
        )
    ]
    assert result.dataset is None


@pytest.mark.parametrize("name", ["23", "2022-23", "2023 copy", "FY2023"])
def test_a_return_folder_not_named_by_its_year_is_an_error(tmp_path: Path, name: str) -> None:
    """Before, it was skipped with a warning and the load went on without that return."""
    root = write_data(tmp_path / "D", {2023: good_files()})
    (root / "ssda903" / "2023").rename(root / "ssda903" / name)
    result = load_data(root)
    assert [(where(p), p.message) for p in result.problems] == [
        (
            ("error", "return_folder_name", f"ssda903/{name}", None, None),
            "this folder holds return files (episodes.csv, header.csv, uasc.csv) but its name "
            "is not a year, so which return it is cannot be known and it is not read: name it "
            "by the year the return ends (e.g. 2023 for 2022-23), or move it out of ssda903/",
        ),
        (
            ("error", "no_returns", "ssda903", None, None),
            "no return folders found: expected ssda903/<year>/ (e.g. ssda903/2023/episodes.csv)",
        ),
    ]
    assert result.dataset is None


def test_a_copy_of_a_return_beside_it_is_an_error(tmp_path: Path) -> None:
    root = write_data(tmp_path / "D", {2023: good_files()})
    copy = root / "ssda903" / "2023 - Copy"
    copy.mkdir()
    (copy / "episodes.csv").write_text(str(good_files()["episodes.csv"]))
    result = load_data(root)
    assert [where(p) for p in result.problems] == [
        ("error", "return_folder_name", "ssda903/2023 - Copy", None, None)
    ]
    assert "holds return files (episodes.csv)" in result.problems[0].message
    assert result.dataset is None


@pytest.mark.parametrize(
    ("line", "field", "value", "message"),
    [
        (
            'name = "  "',
            "name",
            "  ",
            "name: '  ' is blank: expected the council's name, as the statement shows it, "
            'e.g. name = "Herefordshire"',
        ),
        (
            '[population_under_18]\n"2023" = true',
            "population_under_18.2023",
            "True",
            "population_under_18.2023: Value error, true is not a number of children (expected "
            "a year of 31 March from 1990 to 2100 = the children under 18 then, a whole number "
            "from 1 to 100,000,000)",
        ),
    ],
)
def test_a_blank_name_or_a_true_population_in_la_toml_is_an_error(
    tmp_path: Path, line: str, field: str, value: str, message: str
) -> None:
    """Before, both loaded: a blank title on the statement; ``true`` read as 1 child."""
    toml = LA_TOML.replace('name = "Testshire"', 'name = "Testshire"' if field != "name" else line)
    if field != "name":
        toml += line + "\n"
    result = load_data(_data(tmp_path / "D", la_toml=toml))
    assert [(where(p), p.value, p.message) for p in result.problems] == [
        (("error", "profile_invalid", "la.toml", None, field), value, message)
    ]
    assert result.dataset is None


def test_folder_and_file_names_in_other_case_read_alike(tmp_path: Path, clean: LoadResult) -> None:
    """A data folder copied from Windows (where case does not matter): before, ``Registers``
    was skipped without a word and ``SSDA903`` stopped the load (no returns)."""
    root = _data(tmp_path / "D")
    for old, new in (("registers", "Registers"), ("ssda903", "SSDA903"), ("la.toml", "LA.TOML")):
        (root / old).rename(root / new)
    result = load_data(root)
    _same(result, clean)


def test_a_file_named_registers_is_an_error(tmp_path: Path) -> None:
    root = _data(tmp_path / "D")
    (root / "registers" / "carers.csv").unlink()
    (root / "registers").rmdir()
    (root / "registers").write_text("carers.csv\n")
    result = load_data(root)
    assert [(where(p), p.message) for p in result.problems] == [
        (
            ("error", "register_unreadable", "registers", None, None),
            "not a folder, so no register can be read: registers are the files directly in the "
            "registers/ folder (e.g. registers/costs.csv)",
        )
    ]
    assert result.dataset is None


def test_a_register_that_is_not_a_file_is_an_error(tmp_path: Path) -> None:
    """Before, a folder (or a link to nothing) named carers.csv was a warning and the carers
    register was left out."""
    root = _data(tmp_path / "D")
    (root / "registers" / "carers.csv").unlink()
    (root / "registers" / "carers.csv").mkdir()
    (root / "registers" / "homes.csv").symlink_to(tmp_path / "nowhere.csv")
    result = load_data(root)
    assert [(where(p), p.message) for p in result.problems] == [
        (
            ("error", "register_unreadable", "registers/carers.csv", None, None),
            "not a file (a folder, or a link to nothing), so the carers register cannot be "
            "read: put the register's file here",
        ),
        (
            ("error", "register_unreadable", "registers/homes.csv", None, None),
            "not a file (a folder, or a link to nothing), so the homes register cannot be "
            "read: put the register's file here",
        ),
    ]
    assert result.dataset is None


def test_a_file_named_narrative_is_named(tmp_path: Path) -> None:
    root = _data(tmp_path / "D")
    (root / "narrative").write_text("# Sign-off\n")
    result = load_data(root)
    assert [(where(p), p.message) for p in result.problems] == [
        (
            ("warning", "narrative_unknown_file", "narrative", None, None),
            "not a folder: the narrative is a folder of Markdown files, such as "
            "narrative/sign_off.md; no section text is read",
        )
    ]
    assert result.ok


def test_a_table_that_is_not_a_file_is_an_error(tmp_path: Path) -> None:
    """Before, a folder named uasc.csv was skipped without a word: the UASC count became 0."""
    root = write_data(tmp_path / "D", {2023: good_files()})
    folder = root / "ssda903" / "2023"
    (folder / "uasc.csv").unlink()
    (folder / "uasc.csv").mkdir()
    (folder / "old").mkdir()
    result = load_data(root)
    assert [(where(p), p.message) for p in result.problems] == [
        (
            ("warning", "unexpected_entry", "ssda903/2023/old", None, None),
            "ignored: a folder inside a return folder is not read (a return's tables are the "
            "files directly in ssda903/<year>/)",
        ),
        (
            ("error", "file_unreadable", "ssda903/2023/uasc.csv", None, None),
            "not a file (a folder, or a link to nothing), so this table cannot be read: put the "
            "table's file here",
        ),
    ]
    assert result.dataset is None


def _episode_lines() -> list[str]:
    return str(good_files()["episodes.csv"]).splitlines()


def test_a_stray_quote_closed_lines_later_is_an_error(tmp_path: Path) -> None:
    """Before, the lines between the quotes were read into one HOME_POST cell: two episodes
    were lost with only a bad_postcode warning, exit 0."""
    lines = _episode_lines()
    lines[1] = lines[1].replace(",HR1 2AB,", ',"HR1 2AB,')  # row 2 opens a quote ...
    lines[3] = lines[3].replace(",HR4 9QQ,", ',HR4 9QQ",')  # ... that row 4 closes
    files = {**good_files(), "episodes.csv": "\n".join(lines) + "\n"}
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    errors = [(where(p), p.value, p.message) for p in result.problems if p.severity == "error"]
    assert errors[0] == (
        ("error", "unclosed_quote", "ssda903/2023/episodes.csv", 2, "HOME_POST"),
        "HR1 2AB,HR2 6AD,SC123456\nC1,20/08/2022,P,C2,N1,K2,PR4,,,,...",
        'the HOME_POST cell of this row opens a quote (") that is not closed on the same '
        "line, so the lines after it are read as part of that cell and their rows are lost: "
        "remove the stray quote, or close it",
    )
    assert result.dataset is None


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (3, "U1,PR1,01/03/2023,E13,,HR4 9QQ,HR4 9QQ,\nC3,15/11/2021,S,C..."),
        (4, "H5,PR5,,,,HR1 1AA,WR1 1AA,\n"),  # the last line: the quote runs to the end
    ],
)
def test_a_quote_never_closed_names_its_row_and_column(
    tmp_path: Path, line: int, value: str
) -> None:
    """Before: file_unreadable with Polars' parser message and no row or column."""
    lines = _episode_lines()
    lines[line] = lines[line].replace(",U1,", ',"U1,').replace(",H5,", ',"H5,')
    files = {**good_files(), "episodes.csv": "\n".join(lines) + "\n"}
    result = load_data(write_data(tmp_path / "D", {2023: files}))
    assert [(where(p), p.value) for p in result.problems] == [
        (("error", "unclosed_quote", "ssda903/2023/episodes.csv", line + 1, "PLACE"), value)
    ]
    assert result.dataset is None


def test_a_date_of_birth_making_the_child_an_adult_in_care_is_an_error(tmp_path: Path) -> None:
    """Before, DOB 01/06/1901 loaded: the child counted in the 16 and over band, exit 0."""
    header = [list(r) for r in GOOD_HEADER]
    header[0][2] = "01/06/1901"
    header[1][2] = "11/05/1997"  # C2 turns 25 the day after its episode starts: left to DfE
    episodes = [list(r) for r in GOOD_EPISODES]
    episodes[2][1] = "10/05/2022"
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header, episodes)}))
    assert [(where(p), p.value, p.message) for p in result.problems] == [
        (
            ("error", "dob_too_early", "ssda903/2023/header.csv", 2, "DOB"),
            "01/06/1901",
            "DOB 01/06/1901 makes the child 25 or older on their first DECOM (10/05/2022) in "
            "this return: a child is looked after only before their 18th birthday, so one of the "
            "dates is mistyped; check both",
        )
    ]
    assert result.dataset is None


def test_a_stray_quote_in_a_register_is_named(tmp_path: Path) -> None:
    """Before, the notes cell swallowed the next row: one carer household fewer, with only a
    warning for the extra column, exit 0."""
    lines = [line + ",x" for line in CARERS.splitlines()]
    lines[0] = lines[0].replace(",x", ",notes")
    lines[1] = lines[1].replace(",x", ',"x')
    lines.append('H3,approved,mainstream,01/04/2020,2,1,HR1 2AB,x"')
    result = load_data(_data(tmp_path / "D", carers="\n".join(lines) + "\n"))
    assert [(where(p), p.value) for p in result.problems] == [
        (
            ("error", "unclosed_quote", "registers/carers.csv", 2, "notes"),
            "x\nH2,approved,kinship;short_breaks,15/06/2021,1,0,HR4 9QQ...",
        )
    ]
    assert result.dataset is None


def test_a_note_over_two_lines_in_a_register_is_fine(tmp_path: Path) -> None:
    carers = CARERS.replace("household_id,", "notes,household_id,").replace(
        "H1,", '"placed, then\nmoved",H1,'
    )
    result = load_data(_data(tmp_path / "D", carers=carers.replace("H2,", ",H2,")))
    assert [where(p) for p in result.problems] == [
        ("warning", "register_extra_column", "registers/carers.csv", 1, "notes")
    ]
    assert result.ok


def test_a_workbook_saved_under_a_csv_name_reads_as_a_workbook(
    tmp_path: Path, clean: LoadResult
) -> None:
    """Returns were read by their content already; a register said 'not a text file'."""
    import io

    import polars as pl

    root = _data(tmp_path / "D")
    path = root / "registers" / "carers.csv"
    buffer = io.BytesIO()
    pl.read_csv(path, infer_schema=False).write_excel(buffer)
    path.write_bytes(buffer.getvalue())
    _same(load_data(root), clean)


def test_child_ids_differing_only_by_leading_zeros_between_returns_are_an_error(
    tmp_path: Path,
) -> None:
    """Before, 2023-24's children '01', '02', ... and 2022-23's '1', '2', ... were read as
    different children: each one left care and another started (two warnings, exit 0)."""
    returns = {
        2023: return_files(*many_children(3, prefix="1")),
        2024: return_files(*many_children(3, prefix="01")),
    }
    result = load_data(write_data(tmp_path / "D", returns))
    assert [(where(p), p.message) for p in result.problems if p.severity == "error"] == [
        (
            ("error", "child_id_zeros", "ssda903/2023, ssda903/2024", None, None),
            "3 children's CHILD is written in ways that differ only by leading zeros (10 in "
            "ssda903/2023 and 010 in ssda903/2024; 11 in ssda903/2023 and 011 in ssda903/2024; "
            "12 in ssda903/2023 and 012 in ssda903/2024), so each would be read as two "
            "children, one leaving care and another starting: a spreadsheet drops the zeros "
            "when it opens a CSV file; export the returns again with CHILD kept as text",
        )
    ]
    assert result.dataset is None


def test_a_file_cut_off_in_its_last_row_is_an_error(tmp_path: Path, clean: LoadResult) -> None:
    """A carers register cut off after H2's approval date read H2 with no places and no postcode
    (a short_row warning, exit 0); a file whose last row is whole but has no line end is fine."""
    cut = CARERS.rstrip("\n")[: CARERS.rstrip("\n").rindex(",1,0,")]
    result = load_data(_data(tmp_path / "cut", carers=cut))
    assert [where(p) for p in result.problems] == [
        ("error", "truncated_row", "registers/carers.csv", 3, None)
    ]
    assert "looks cut off" in result.problems[0].message and result.dataset is None
    whole = load_data(_data(tmp_path / "whole", carers=CARERS.rstrip("\n")))
    _same(whole, clean)
    lines = _episode_lines()
    episodes = "\n".join(lines)[: -len(lines[-1]) // 2]  # half of the last episode's line
    files = {**good_files(), "episodes.csv": episodes}
    result = load_data(write_data(tmp_path / "returns", {2023: files}))
    errors = [where(p) for p in result.problems if p.severity == "error"]
    assert ("error", "truncated_row", "ssda903/2023/episodes.csv", len(lines), None) in errors
    assert {e[3] for e in errors} == {len(lines)} and result.dataset is None  # that row alone
