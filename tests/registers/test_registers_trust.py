"""Register input you can trust (issue 13): every damaged value is a named problem from the
declaration's kinds, ranges and rules, never a traceback and never a silent wrong number."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from sufficiency.ingest import load_data
from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers

F = "registers/{}.csv"


def _load(
    tmp_path: Path, name: str, text: str | bytes
) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / name / "registers"  # one register per folder
    folder.mkdir(parents=True)
    path = folder / f"{name}.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_registers(folder)


def test_an_integer_too_big_for_any_column_is_out_of_range(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path,
        "carers",
        "household_id,status,approval_types,places\nH1,approved,,99999999999999999999\n",
    )
    assert problems == [
        Problem(
            "error",
            "register_out_of_range",
            F.format("carers"),
            2,
            "places",
            "99999999999999999999",
            "places: outside the allowed range '99999999999999999999' "
            "(expected a whole number from 0 to 50)",
        )
    ]
    assert frames == {}


def test_nan_inf_and_negative_costs_are_named(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path,
        "costs",
        "placement_type,year,weekly_cost\n"
        'ifa,2024,NaN\nifa,2025,inf\nifa,2026,-5\nifa,2027,"£1,050"\n',
    )
    expected = "(expected a number from 0 to 1,000,000)"
    assert [(p.code, p.row, p.value, p.message) for p in problems] == [
        ("register_bad_number", 2, "NaN", f"weekly_cost: not a finite number 'NaN' {expected}"),
        ("register_bad_number", 3, "inf", f"weekly_cost: not a finite number 'inf' {expected}"),
        (
            "register_out_of_range",
            4,
            "-5",
            f"weekly_cost: outside the allowed range '-5' {expected}",
        ),
    ]
    assert frames == {}


def test_negative_places_and_more_occupied_than_places_are_errors(tmp_path: Path) -> None:
    _, homes = _load(tmp_path, "homes", "urn,places\nSC111111,-1\n")
    assert [(p.code, p.row, p.column, p.value) for p in homes] == [
        ("register_out_of_range", 2, "places", "-1")
    ]
    _, carers = _load(
        tmp_path, "carers", "household_id,status,approval_types,places,occupied\nH1,approved,,2,3\n"
    )
    assert carers == [
        Problem(
            "error",
            "register_over_capacity",
            F.format("carers"),
            2,
            "occupied",
            "3",
            "occupied 3 is above places 2 (expected occupied <= places)",
        )
    ]
    _, settings = _load(tmp_path, "supported_accommodation", "provider,units,occupied\nA,4,5\n")
    assert [(p.code, p.column, p.message) for p in settings] == [
        (
            "register_over_capacity",
            "occupied",
            "occupied 5 is above units 4 (expected occupied <= units)",
        )
    ]


def test_dates_out_of_order_are_named(tmp_path: Path) -> None:
    _, problems = _load(
        tmp_path,
        "carers",
        "household_id,status,approval_types,places,approved_date,deregistered_date\n"
        "H1,deregistered,,1,2024-05-01,01/01/2024\n",
    )
    assert problems == [
        Problem(
            "error",
            "register_date_order",
            F.format("carers"),
            2,
            "approved_date",
            "2024-05-01",
            "approved_date 2024-05-01 is after deregistered_date 2024-01-01 "
            "(expected approved_date on or before deregistered_date)",
        )
    ]


def test_a_cp1252_file_separated_by_semicolons_reads_with_a_warning(tmp_path: Path) -> None:
    text = "placement_type;year;weekly_cost;provider\nifa;2024;£1,050.50;Acme, Ltd\n"
    frames, problems = _load(tmp_path, "costs", text.encode("cp1252"))
    assert problems == [
        Problem.whole_file(
            "warning",
            "register_delimiter",
            F.format("costs"),
            "columns are separated by semicolons, not commas (cp1252 text); read that way",
        )
    ]
    assert frames["costs"].select("placement_type", "year", "weekly_cost", "provider").row(0) == (
        "ifa",
        2024,
        1050.5,
        "Acme, Ltd",
    )


def test_a_row_with_more_cells_than_the_header_is_named(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path, "population", "year,population_under_18\n2024,40000,,\n2025,41000,x\n"
    )
    assert problems == [
        Problem(
            "error",
            "long_row",  # named as a return's long row is (ingest.csv_shape)
            F.format("population"),
            3,
            None,
            "x",
            "row has 3 fields; the header has 2: the cells beyond the last column would be lost "
            "(is there a separator inside a value that is not quoted?)",
        )
    ]
    assert frames == {}


def test_excel_damage_and_shapeless_values_are_named(tmp_path: Path) -> None:
    _, problems = _load(
        tmp_path,
        "carers",
        "household_id,status,approval_types,places,postcode\n"
        "1.00E+06,approved,,1,HR1 2HX\n"
        "H2,approved,,1,NOT KNOWN\n",
    )
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("register_bad_id", 2, "household_id", "1.00E+06"),
        ("register_bad_postcode", 3, "postcode", "NOT KNOWN"),
    ]
    assert problems[0].message == (
        "household_id: a number Excel has turned into scientific notation '1.00E+06' "
        "(expected an identifier of up to 40 characters)"
    )


def test_text_longer_than_its_column_is_named(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "actions", f"action_id,activity\nA1,{'x' * 1001}\n")
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [
        ("register_too_long", 2, "activity", "x" * 30 + "...")
    ]


def test_canonical_values_are_what_the_dataset_holds(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path,
        "vacancies",
        "Vacancy ID,provider-kind,placement_type,places,available_from,postcode,sex,registered\n"
        "V1,In House Carer,IFA,1,01/04/2024,hr12hx,m,Y\n",
    )
    assert problems == []
    row = frames["vacancies"].row(0, named=True)
    assert (row["provider_kind"], row["placement_type"], row["postcode"], row["sex"]) == (
        "in_house_carer",
        "ifa",
        "HR1 2HX",
        "M",
    )
    assert row["registered"] is True


@pytest.mark.slow
def test_a_bad_register_stops_the_load_with_no_traceback(tmp_path: Path, demo_dir: Path) -> None:
    """The whole folder: `validate` and `measures` get problems, never a half-loaded Dataset."""
    folder = tmp_path / "DATA"
    shutil.copytree(demo_dir, folder)
    (folder / "registers" / "costs.csv").write_text(
        "placement_type,year,weekly_cost\nifa,2024,nan\nifa,99999999999999999999,1\n",
        encoding="utf-8",
    )
    result = load_data(folder)
    assert result.dataset is None
    assert [(p.code, p.row) for p in result.problems if p.severity == "error"] == [
        ("register_out_of_range", 3),  # year, then weekly_cost: columns in declared order
        ("register_bad_number", 2),
    ]
