"""Damaged registers, la.toml and narrative files found by the third fuzzing pass: each used to
load silently with a wrong number, or was named in words that did not say what was wrong. Now
each is a named problem (file, row, column, value, what was expected) and no wrong number loads.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from ingest_data import LA_TOML, where
from typer.testing import CliRunner

from sufficiency.cli import app
from sufficiency.ingest import load_data
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.profile_file import load_profile
from sufficiency.ingest.registers import load_registers

POPULATION_TOML = LA_TOML + '\n[population_under_18]\n"2025" = 36590\n"2026" = 36736\n'


def _population(root: Path, rows: str) -> None:
    (root / "registers").mkdir(exist_ok=True)
    (root / "registers" / "population.csv").write_text("year,population_under_18\n" + rows)


# ------------------------------------------------------------------ D1: two populations
def test_a_population_the_register_and_la_toml_give_differently_is_an_error(
    good_data: Path,
) -> None:
    """A dropped digit in the register (3673 for 36736) made the rate per 10,000 ten times too
    high, and validate said OK: the register silently overrode la.toml."""
    (good_data / "la.toml").write_text(POPULATION_TOML)
    _population(good_data, "2025,36590\n2026,3673\n")
    result = load_data(good_data)
    assert result.dataset is None
    assert [(where(p), p.value, p.message) for p in result.problems] == [
        (
            ("warning", "population_jump", "registers/population.csv", 3, "population_under_18"),
            "3673",
            "population_under_18 goes from 36,590 in 2025 to 3,673 in 2026, more than 20% up "
            "or down on the year before (a digit lost or added?)",
        ),
        (
            (
                "error",
                "population_disagrees",
                "registers/population.csv",
                None,
                "population_under_18",
            ),
            "3673",
            "population_under_18 for 31 March 2026 is 3,673 in registers/population.csv but "
            "36,736 in la.toml: one number with two values; correct the wrong one, or give the "
            "year in one file only (registers/population.csv is read first)",
        ),
    ]


def test_agreeing_populations_and_years_in_one_file_only_load(good_data: Path) -> None:
    (good_data / "la.toml").write_text(POPULATION_TOML)
    _population(good_data, "2024,36445\n2025,36590\n")
    result = load_data(good_data)
    assert result.problems == []
    assert result.dataset is not None
    assert result.dataset.population_under_18(2026) == 36736  # la.toml's own year


def test_a_jump_in_la_toml_population_is_a_warning(good_data: Path) -> None:
    (good_data / "la.toml").write_text(
        LA_TOML + '\n[population_under_18]\n"2024" = 36445\n"2025" = 365900\n'
    )
    result = load_data(good_data)
    assert result.dataset is not None
    assert [(where(p), p.message) for p in result.problems] == [
        (
            ("warning", "population_jump", "la.toml", None, "population_under_18"),
            "population_under_18 goes from 36,445 in 2024 to 365,900 in 2025, more than 20% up "
            "or down on the year before (a digit lost or added?)",
        )
    ]


# ------------------------------------------------------------------ D2: a thousands dot
def _register(
    tmp_path: Path, name: str, text: str
) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / name / "registers"
    folder.mkdir(parents=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    frames, problems = load_registers(folder)
    return dict(frames), list(problems)


@pytest.mark.parametrize("cell", ["7.078", "6.100", "1.222", "12.500", "£7.078", '"1.234.567"'])
def test_money_with_a_thousands_dot_is_an_error(tmp_path: Path, cell: str) -> None:
    """`7.078` (seven thousand, European-style) read as £7.08 a week: the spend fell by £14m."""
    frames, problems = _register(
        tmp_path, "costs", f"placement_type,year,weekly_cost\nifa,2024,{cell}\n"
    )
    value = cell.strip('"')
    assert [(p.code, p.row, p.column, p.value, p.message) for p in problems] == [
        (
            "register_bad_number",
            2,
            "weekly_cost",
            value,
            f"weekly_cost: a dot before three digits (a thousands separator?) '{value}' "
            "(expected pounds with at most two decimals, e.g. 7078 or 7078.00 for £7,078; a "
            "number from 0 to 1,000,000)",
        )
    ]
    assert frames == {}


@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        (
            "contracts",
            "contract_id,provider,kind,placement_type,places,weekly_price\n"
            "C1,Framework,framework,external_residential,0,6.100\n",
            "weekly_price",
        ),
        (
            "vacancies",
            "vacancy_id,provider_kind,placement_type,places,available_from,weekly_cost\n"
            "V1,ifa,ifa,1,today,1.222\n",
            "weekly_cost",
        ),
    ],
)
def test_every_money_column_refuses_a_thousands_dot(
    tmp_path: Path, name: str, text: str, column: str
) -> None:
    import datetime as dt

    text = text.replace("today", dt.date.today().isoformat())
    frames, problems = _register(tmp_path, name, text)
    assert [(p.code, p.row, p.column) for p in problems] == [("register_bad_number", 2, column)]
    assert frames == {}


def test_pounds_and_pence_and_other_decimals_still_read(tmp_path: Path) -> None:
    frames, problems = _register(
        tmp_path,
        "costs",
        'placement_type,year,weekly_cost\nifa,2024,7078\nifa,2025,"£7,078.50"\nifa,2026,7200.5\n',
    )
    assert problems == []
    assert frames["costs"].get_column("weekly_cost").to_list() == [7078.0, 7078.5, 7200.5]
    frames, problems = _register(  # a target is not money: 0.125 reads
        tmp_path / "t", "targets", "measure_id,target\nstability_short,0.125\n"
    )
    assert problems == []


def test_a_weekly_cost_ten_times_the_year_before_is_a_warning(tmp_path: Path) -> None:
    frames, problems = _register(
        tmp_path,
        "costs",
        "placement_type,year,weekly_cost\nifa,2024,900\nsecure,2024,7000\nifa,2025,46800\n"
        "secure,2025,7300\nifa,2026,960\n",
    )
    assert "costs" in frames  # a warning: the costs still load
    assert [(p.severity, p.code, p.row, p.column, p.message) for p in problems] == [
        (
            "warning",
            "register_cost_jump",
            row,
            "weekly_cost",
            message + " (entered annual, or in pence?)",
        )
        for row, message in [
            (4, "weekly_cost for ifa goes from 900 in 2024 to 46,800 in 2025, more than 10 "
             "times, or under 1/10 of, the year before"),
            (6, "weekly_cost for ifa goes from 46,800 in 2025 to 960 in 2026, more than 10 "
             "times, or under 1/10 of, the year before"),
        ]
    ]  # fmt: skip


def test_a_weekly_cost_of_nothing_after_a_year_of_some_is_a_warning(tmp_path: Path) -> None:
    """Before, 0 after £6,678 was not judged (a tenth of the year before is): the type's spend
    fell to nothing (the council's, £10.1m to £5.8m) without a word. 0 after 0 is not."""
    frames, problems = _register(
        tmp_path,
        "costs",
        "placement_type,year,weekly_cost\nsecure,2025,6678\nsecure,2026,0\n"
        "ifa,2025,0\nifa,2026,0\n",
    )
    assert "costs" in frames
    assert [(p.code, p.row, p.message) for p in problems] == [
        (
            "register_cost_jump",
            3,
            "weekly_cost for secure goes from 6,678 in 2025 to 0 in 2026, more than 10 times, "
            "or under 1/10 of, the year before (entered annual, or in pence?)",
        )
    ]


# ------------------------------------------------------------------ D9: la.toml messages
@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'code = "E06000019"\n',
            [
                (
                    "name",
                    None,
                    "name: missing from la.toml; expected the council's name, as the statement "
                    'shows it, e.g. name = "Herefordshire"',
                )
            ],
        ),
        (
            "",
            [
                (
                    "name",
                    None,
                    "name: missing from la.toml; expected the council's name, as the statement "
                    'shows it, e.g. name = "Herefordshire"',
                ),
                (
                    "code",
                    None,
                    "code: missing from la.toml; expected the council's ONS upper-tier code (E06, "
                    'E08, E09 or E10 and six digits), e.g. code = "E06000019"',
                ),
            ],
        ),
        (
            'name = "Testshire"\ncode = "E06000019"\nneighbours = "E06000051"\n',
            [
                (
                    "neighbours",
                    "E06000051",
                    "neighbours: la.toml has 'E06000051'; expected a list of council codes, "
                    'e.g. neighbours = ["E06000051", "E06000020"]',
                )
            ],
        ),
        (
            'name = "Testshire"\ncode = "E06000019"\npopulation_under_18 = 36000\n',
            [
                (
                    "population_under_18",
                    "36000",
                    "population_under_18: la.toml has '36000'; expected a table of the children "
                    'under 18 at 31 March of each year, e.g. [population_under_18] "2026" = 36736',
                )
            ],
        ),
    ],
)
def test_la_toml_messages_say_the_file_the_key_and_what_was_expected(
    tmp_path: Path, toml: str, expected: list[tuple[str, str | None, str]]
) -> None:
    """Before: the whole table dumped (`name: '{'code': ...' is blank`), `name: '{}' is
    blank` for an empty file, pydantic's `Input should be a valid tuple`, `Field required`."""
    path = tmp_path / "la.toml"
    path.write_text(toml)
    profile, problems = load_profile(path)
    assert profile is None
    assert [(p.code, p.column, p.value, p.message) for p in problems] == [
        ("profile_invalid", *e) for e in expected
    ]


def test_a_council_abolished_without_a_mapped_successor_is_not_the_councils_code(
    tmp_path: Path,
) -> None:
    """Before, code = "E10000009" (Dorset County Council, 2019) loaded with a warning, and
    every placement read as outside the council (its postcodes name Dorset and BCP). A former
    code whose successor the location bands know (Somerset's county code) still loads."""
    path = tmp_path / "la.toml"
    path.write_text('name = "Dorset"\ncode = "E10000009"\n')
    profile, problems = load_profile(path)
    assert profile is None
    assert [(p.code, p.column, p.value) for p in problems] == [
        ("profile_invalid", "code", "E10000009")
    ]
    assert "its area is now Dorset (E06000059) and Bournemouth" in problems[0].message
    path.write_text('name = "Somerset"\ncode = "E10000027"\nneighbours = ["E06000066"]\n')
    profile, problems = load_profile(path)
    assert profile is not None and problems == []


def test_a_neighbour_twice_or_the_council_its_own_neighbour_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "la.toml"
    path.write_text(
        'name = "Herefordshire"\ncode = "E06000019"\n'
        'neighbours = ["E10000034", "E06000019", "E10000034"]\n'
    )
    profile, problems = load_profile(path)
    assert profile is None
    assert [(p.column, p.value, p.message) for p in problems] == [
        (
            "neighbours.1",
            "E06000019",
            "neighbours.1: E06000019 is the council itself (code) already: each neighbour once, "
            "and not the council itself",
        ),
        (
            "neighbours.2",
            "E10000034",
            "neighbours.2: E10000034 is listed as neighbours.0 already: each neighbour once, "
            "and not the council itself",
        ),
    ]


def test_a_key_written_after_the_population_table_is_named_as_misplaced(tmp_path: Path) -> None:
    """Before: pydantic's integer message about the table, not the key the council wrote."""
    path = tmp_path / "la.toml"
    path.write_text(
        'name = "Herefordshire"\ncode = "E06000019"\n[population_under_18]\n"2026" = 36736\n'
        "small_count_max = 10\n"
    )
    profile, problems = load_profile(path)
    assert profile is None
    assert [(p.code, p.column, p.message) for p in problems] == [
        (
            "profile_invalid",
            "small_count_max",
            "small_count_max is written after the [population_under_18] table, so TOML reads it "
            "as part of that table: move the line 'small_count_max = ...' above "
            "[population_under_18]",
        )
    ]


# ------------------------------------------------------------------ D12: narrative unreadable
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("binary", "cannot be read: not text (binary data, not UTF-8 or other text): save the "
         "narrative as Markdown text"),
        ("folder", "cannot be read: a folder (or a link to nothing), not a file; the section's "
         "narrative is a Markdown text file of this name"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("name", ["sign_off.md", "foreword.md"])
def test_a_narrative_file_that_cannot_be_read_stops_the_statement(
    good_data: Path, tmp_path: Path, damage: str, message: str, name: str
) -> None:
    """Before, the statement said "add narrative/sign_off.md" though the file was there."""
    folder = good_data / "narrative"
    folder.mkdir()
    if damage == "binary":
        (folder / name).write_bytes(bytes(range(256)))
    else:
        (folder / name).mkdir()
    result = load_data(good_data)
    assert result.dataset is None
    assert [(where(p), p.message) for p in result.problems] == [
        (("error", "narrative_unreadable", f"narrative/{name}", None, None), message)
    ]
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["statement", str(good_data), "--year", "2023", "--out", str(out), "--no-pdf"]
    )
    assert res.exit_code == 1
    assert f"narrative/{name}" in res.stderr and "cannot be read" in res.stderr
    assert "add narrative" not in res.stderr
    assert not out.exists()
