"""Free-text cells read as what they hold. A postcode written inside other text ("HR4 0AY.",
"hr7 4nx (home)") is taken from it with a warning; before, it read as blank with only a
bad_postcode warning (the demo's children placed over 20 miles fell from 137 to 16 of 431, exit
0). Text holding two postcodes, or none, still reads as blank, named. A URN Excel showed in
scientific notation is an error, as a CHILD is."""

from __future__ import annotations

from pathlib import Path

from ingest_data import GOOD_EPISODES, good_files, write_data

from sufficiency import geo
from sufficiency.ingest import load_data


def test_a_postcode_inside_other_text_is_read(tmp_path: Path) -> None:
    rows = [list(r) for r in GOOD_EPISODES]
    rows[0][11] = "HR2 6AD."  # PL_POST
    rows[1][11] = "b11aa (home)"
    rows[2][11] = "HR4 9QQ or WR1 1AA"
    rows[3][11] = "unknown"
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=rows)}))
    assert result.dataset is not None
    placed = result.dataset.episodes.get_column("PL_POST").to_list()
    assert placed == ["HR2 6AD", "B1 1AA", None, None]
    found = [(p.code, p.row, p.value) for p in result.problems if p.column == "PL_POST"]
    assert found == [
        ("bad_postcode", 4, "HR4 9QQ or WR1 1AA"),
        ("bad_postcode", 5, "unknown"),
        ("non_canonical_value", 2, "HR2 6AD."),
        ("non_canonical_value", 3, "b11aa (home)"),
    ]
    taken = next(p for p in result.problems if p.value == "HR2 6AD.")
    assert taken.message == (
        "PL_POST 'HR2 6AD.' is read in canonical form (postcodes are upper case with one space; "
        "one inside other text is taken from it)"
    )


def test_a_postcode_with_its_space_misplaced_is_read_as_geo_reads_it(tmp_path: Path) -> None:
    """Ingest's canonical postcode is the geo lookup's (``normalise_postcode``), one rule: a
    space in the wrong place ("B11 AA", "HR 26AD") was read as blank with bad_postcode, the
    placement's distance unknown, while every lookup read it as B1 1AA."""
    rows = [list(r) for r in GOOD_EPISODES]
    rows[0][11] = "B11 AA"
    rows[1][11] = "hr 26ad"
    rows[2][11] = "HR2  6AD"
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=rows)}))
    assert result.dataset is not None
    placed = result.dataset.episodes.get_column("PL_POST").to_list()
    assert placed[:3] == ["B1 1AA", "HR2 6AD", "HR2 6AD"]
    assert [(p.code, p.row) for p in result.problems if p.column == "PL_POST"] == [
        ("non_canonical_value", 2),
        ("non_canonical_value", 3),
        ("non_canonical_value", 4),
    ]


def test_a_urn_excel_showed_in_scientific_notation_is_an_error(tmp_path: Path) -> None:
    """Before, URN '1.23457E+06' loaded without a word: the placement matched no home."""
    rows = [list(r) for r in GOOD_EPISODES]
    rows[1][12] = "1.23457E+06"
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=rows)}))
    assert result.dataset is None
    assert [
        (p.code, p.row, p.column, p.value) for p in result.problems if p.severity == "error"
    ] == [("excel_scientific_id", 3, "URN", "1.23457E+06")]


def test_the_postcode_directory_is_read_once_for_a_folder_of_returns(
    demo_dir: Path, directory_reads: list[list[str]]
) -> None:
    """Every return's postcodes are looked up in one read of the directory, before the tables
    are checked; each table's unknown-postcode check and the Dataset's locations find them read
    (the peer's sample x10: 0.6 of 1.2 s was the directory read again for each table)."""
    geo.clear_cache()
    result = load_data(demo_dir)
    assert result.dataset is not None
    assert len(result.dataset.returns) == 5
    assert result.dataset.placements.get_column("distance_miles").is_not_null().sum() > 0
    assert len(directory_reads) == 1


def test_a_urn_that_is_not_one_is_named_and_dropped(tmp_path: Path) -> None:
    """Before, a URN of '=1+1' (or any text) was read as a URN: it matched no home, and went
    into a region share as a formula."""
    rows = [list(r) for r in GOOD_EPISODES]
    rows[0][12] = "=1+1"
    rows[1][12] = "sc123456"
    result = load_data(write_data(tmp_path / "D", {2023: good_files(episodes=rows)}))
    assert result.dataset is not None
    assert result.dataset.episodes.get_column("URN").to_list()[:2] == [None, "SC123456"]
    assert [(p.code, p.row, p.value) for p in result.problems if p.column == "URN"] == [
        ("bad_value", 2, "=1+1"),
        ("non_canonical_value", 3, "sc123456"),
    ]
