"""la.toml damage that used to load as a different council without a word: a misspelt key read
as absent, a neighbour that is not a council code, a population that is no population. Each is
now an error naming the field, its value and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_data import write_data

from sufficiency.ingest import load_data
from sufficiency.ingest.profile_file import load_profile

HEAD = 'name = "Testshire"\ncode = "E06000019"\nregion = "West Midlands"\n'


def _profile_errors(tmp_path: Path, text: str) -> list[tuple[str, str | None, str | None]]:
    path = tmp_path / "la.toml"
    path.write_text(text, encoding="utf-8")
    profile, problems = load_profile(path)
    assert profile is None
    assert {p.severity for p in problems} == {"error"}
    return [(p.code, p.column, p.value) for p in problems]


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('neighbors = ["E06000051"]\n', "neighbors"),  # the neighbours silently none
        ('[population]\n"2024" = 36000\n', "population"),  # the rates silently published ones
        ("small_count = 10\n", "small_count"),  # suppression silently the DfE's 5
    ],
)
def test_a_key_la_toml_does_not_know_is_an_error(tmp_path: Path, extra: str, key: str) -> None:
    errors = _profile_errors(tmp_path, HEAD + extra)
    assert errors == [("profile_unknown_key", key, None)]
    path = tmp_path / "la.toml"
    _, problems = load_profile(path)
    assert problems[0].message == (
        f"la.toml has a key '{key}' it does not know (a misspelling is read as if the key were "
        "absent): expected name, code, region, neighbours, population_under_18, small_count_max"
    )


@pytest.mark.parametrize("code", ["E0600005", "e06000051", "Shropshire", "E06 000051", ""])
def test_a_neighbour_that_is_not_a_council_code_is_an_error(tmp_path: Path, code: str) -> None:
    errors = _profile_errors(tmp_path, HEAD + f'neighbours = ["E06000051", "{code}"]\n')
    assert errors == [("profile_invalid", "neighbours.1", code)]


@pytest.mark.parametrize(
    ("entry", "field", "value"),
    [
        ('"2024" = -36000', "population_under_18.2024", "-36000"),
        ('"2024" = 0', "population_under_18.2024", "0"),
        ('"2024" = 36000.7', "population_under_18.2024", "36000.7"),
        ('"2024" = "36,000"', "population_under_18.2024", "36,000"),
        ('"24" = 36000', "population_under_18", "24"),
        ('"2024-25" = 36000', "population_under_18", "2024-25"),
    ],
)
def test_a_population_that_is_no_population_is_an_error(
    tmp_path: Path, entry: str, field: str, value: str
) -> None:
    errors = _profile_errors(tmp_path, HEAD + f"[population_under_18]\n{entry}\n")
    assert errors == [("profile_invalid", field, value)]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('code = "E06000091"', "code"),  # Herefordshire's E06000019 mistyped
        ('code = "E06000019"\nneighbours = ["E10000099"]', "neighbours.0"),
    ],
)
def test_a_code_no_council_has_is_an_error(tmp_path: Path, line: str, field: str) -> None:
    """Every placement would read as outside the council, with no comparators, silently."""
    path = tmp_path / "la.toml"
    path.write_text(f'name = "Testshire"\n{line}\n', encoding="utf-8")
    _, problems = load_profile(path)
    code = line.split('"')[-2]
    assert [(p.code, p.column, p.value, p.message) for p in problems] == [
        (
            "profile_invalid",
            field,
            code,
            f"{field}: no English council has the code '{code}' (the DfE's list of councils, "
            "current and former): check the code, e.g. E06000019 for Herefordshire",
        )
    ]


def test_a_neighbour_code_message_says_what_a_code_is(tmp_path: Path) -> None:
    path = tmp_path / "la.toml"
    path.write_text(HEAD + 'neighbours = ["Shropshire"]\n', encoding="utf-8")
    _, problems = load_profile(path)
    assert [p.message for p in problems] == [
        "neighbours.0: 'Shropshire' is not an ONS upper-tier council code (expected E06, E08, "
        "E09 or E10, or W06, S12 or N09 for one across the border, and six digits, e.g. "
        "E06000019)"
    ]


def test_a_good_profile_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "la.toml"
    path.write_text(
        HEAD + 'neighbours = ["E06000051", "E10000013", "W06000023"]\nsmall_count_max = 10\n'
        '[population_under_18]\n"2024" = 36445\n2025 = "36590"\n',
        encoding="utf-8",
    )
    profile, problems = load_profile(path)
    assert problems == []
    assert profile is not None
    assert profile.population_under_18 == {2024: 36445, 2025: 36590}
    assert profile.neighbours == ("E06000051", "E10000013", "W06000023")  # Powys, in Wales


def test_a_damaged_profile_stops_the_load(tmp_path: Path) -> None:
    root = write_data(tmp_path / "D")
    (root / "la.toml").write_text(HEAD + 'neighbors = ["E06000051"]\n', encoding="utf-8")
    result = load_data(root)
    assert result.dataset is None
    assert [(p.severity, p.code, p.file, p.column) for p in result.problems] == [
        ("error", "profile_unknown_key", "la.toml", "neighbors")
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_la_toml_saved_by_notepad_reads(tmp_path: Path, encoding: str) -> None:
    """A byte-order mark (Notepad's UTF-8), UTF-16 or Windows-1252 is read as the returns are,
    not refused as 'Invalid statement (at line 1, column 1)'."""
    path = tmp_path / "la.toml"
    path.write_bytes(
        (HEAD.replace("Testshire", "Testshire £") + "neighbours = []\n").encode(encoding)
    )
    profile, problems = load_profile(path)
    assert [p.code for p in problems] == ["profile_no_neighbours"]  # read, and named
    assert profile is not None and profile.name == "Testshire £"


def test_a_region_the_council_is_not_in_is_an_error(tmp_path: Path) -> None:
    """``region = "London"`` for Herefordshire (or a code one digit off, E06000018 for
    E06000019: Nottingham, in the East Midlands) was accepted without a word."""
    text = 'name = "Testshire"\ncode = "E06000018"\nregion = "West Midlands"\n'
    assert _profile_errors(tmp_path, text) == [("profile_invalid", "region", "West Midlands")]
    _, problems = load_profile(tmp_path / "la.toml")
    assert problems[0].message == (
        "region: 'West Midlands', but E06000018 is Nottingham, in the East Midlands: check the "
        "code (comparators and placements follow it), or write the region as the DfE does"
    )


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("E06000019", "west midlands"),
        ("E08000035", "Yorkshire & the Humber"),  # Leeds
        ("E10000015", "East of England"),
        ("E06000019", ""),  # not given: nothing to check
    ],
)
def test_a_region_written_another_way_is_read(tmp_path: Path, code: str, region: str) -> None:
    path = tmp_path / "la.toml"
    path.write_text(
        f'name = "Testshire"\ncode = "{code}"\nregion = "{region}"\nneighbours = ["E06000051"]\n'
    )
    profile, problems = load_profile(path)
    assert problems == [] and profile is not None
