"""Register loading and validation: exact problem records, typing, XLSX, Ofsted import, docs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import xlsxwriter

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import REGISTERS, homes_from_ofsted, load_registers
from sufficiency.ingest.registers.docs import register_docs
from sufficiency.schema import conform_register

CARERS_BAD = """household_id,status,approval_types,approved_date,places,occupied,colour
H1,Approved,mainstream;Short breaks,01/04/2020,2,2,red
H2,approved,mainstream;bogus,2020-13-01,x,1,
H1,in assessment,,,1.5,,
H4,retired,,,1,,
"""


def test_bad_carers_register_reports_every_problem_exactly(
    write: Callable[[str, str], Path],
) -> None:
    path = write("carers.csv", CARERS_BAD)
    frames, problems = load_registers(path.parent)
    f = "registers/carers.csv"
    approval = (
        "';'-separated values from mainstream, kinship, short_breaks, parent_and_child, "
        "supported_lodgings, emergency"
    )
    known = ", ".join(REGISTERS["carers"].column_names)
    assert problems == [
        Problem(
            "warning",
            "register_extra_column",
            f,
            1,
            "colour",
            None,
            f"column 'colour' is not part of the carers register; kept as text. "
            f"Known columns: {known}",
        ),
        Problem(
            "error",
            "register_unknown_value",
            f,
            5,
            "status",
            "retired",
            "status: unknown value 'retired' (expected one of approved, in_assessment, "
            "reg24, deregistered)",
        ),
        Problem(
            "error",
            "register_unknown_value",
            f,
            3,
            "approval_types",
            "bogus",
            f"approval_types: unknown value 'bogus' (expected {approval})",
        ),
        Problem(
            "error",
            "register_bad_date",
            f,
            3,
            "approved_date",
            "2020-13-01",
            "approved_date: not a date '2020-13-01' (expected a date, dd/mm/yyyy or yyyy-mm-dd)",
        ),
        Problem(
            "error",
            "register_bad_number",
            f,
            3,
            "places",
            "x",
            "places: not a whole number 'x' (expected a whole number from 0 to 50)",
        ),
        Problem(
            "error",
            "register_bad_number",
            f,
            4,
            "places",
            "1.5",
            "places: not a whole number '1.5' (expected a whole number from 0 to 50)",
        ),
        Problem(
            "error",
            "register_duplicate_id",
            f,
            4,
            "household_id",
            "H1",
            "household_id 'H1' appears more than once (expected one row per household_id)",
        ),
    ]
    assert "carers" not in frames  # a register with errors is not half-loaded


def test_missing_required_column_unknown_file_and_blank_file(
    write: Callable[[str, str], Path],
) -> None:
    write("contracts.csv", "contract_id,provider,placement_type,places\nC1,Acme,ifa,3\n")
    write("wishlist.csv", "a\n1\n")
    write("homes.csv", "")
    frames, problems = load_registers(write("notes.txt", "x").parent)
    assert problems == [
        Problem(
            "warning",
            "register_unknown",
            "registers/notes.txt",
            None,
            None,
            None,
            "not a register file (expected .csv or .xlsx); ignored",
        ),
        Problem(
            "error",
            "register_missing_column",
            "registers/contracts.csv",
            None,
            "kind",
            None,
            "required column 'kind' is missing (expected one of block, framework, spot)",
        ),
        Problem(
            "warning",
            "register_blank",
            "registers/homes.csv",
            None,
            None,
            None,
            "file is blank; register treated as not supplied",
        ),
        Problem(
            "warning",
            "register_unknown",
            "registers/wishlist.csv",
            None,
            None,
            None,
            "unknown register 'wishlist'; expected one of " + ", ".join(REGISTERS) + "; ignored",
        ),
    ]
    assert frames == {}


def test_valid_register_is_typed_with_every_schema_column(
    write: Callable[[str, str], Path],
) -> None:
    write(
        "carers.csv",
        "Household ID,Status,Approval Types,Approved Date,Places,Occupied\n"
        "H1,Approved,Mainstream; parent-and-child,01/04/2020,2,1\n"
        "H2,reg24,kinship,,1,1\n",
    )
    frames, problems = load_registers(write("x.md", "").parent)
    carers = frames["carers"]
    assert carers.columns == list(REGISTERS["carers"].column_names)
    assert carers.schema["approved_date"] == pl.Date
    assert carers.schema["approval_types"] == pl.List(pl.Utf8)
    assert carers.row(0, named=True) | {} == {
        **dict.fromkeys(REGISTERS["carers"].column_names),
        "household_id": "H1",
        "status": "approved",
        "approval_types": ["mainstream", "parent_and_child"],
        "approved_date": dt.date(2020, 4, 1),
        "places": 2,
        "occupied": 1,
    }
    assert [p.code for p in problems] == ["register_unknown"]


def test_xlsx_register_reads_like_csv(tmp_path: Path) -> None:
    folder = tmp_path / "registers"
    folder.mkdir()
    book = xlsxwriter.Workbook(folder / "population.xlsx")
    sheet = book.add_worksheet()
    for r, row in enumerate([["year", "population_under_18"], [2023, 40000], [2024, "lots"]]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    book.close()
    frames, problems = load_registers(folder)
    assert problems == [
        Problem(
            "error",
            "register_bad_number",
            "registers/population.xlsx",
            3,
            "population_under_18",
            "lots",
            "population_under_18: not a whole number 'lots' "
            "(expected a whole number from 1 to 100,000,000)",
        )
    ]
    assert frames == {}


def test_referrals_are_checked_typed_and_kept_as_canonical_text_in_the_dataset(
    write: Callable[[str, str], Path],
) -> None:
    write("referrals.csv", "id,age,needs,urgency\nR1,14,self_harm; cse,Today\n")
    frames, problems = load_registers(write("x.md", "").parent)
    assert [p.code for p in problems] == ["register_unknown"]  # x.md; "id" is an alias
    ref = frames["referrals"]
    assert ref.schema["needs"] == pl.List(pl.Utf8)
    assert ref.select("referral_id", "age", "needs", "urgency").row(0) == (
        "R1",
        14,
        ["self_harm", "cse"],
        "today",
    )
    text = conform_register("referrals", ref)  # what the matching engine reads
    assert text.schema["needs"] == pl.Utf8
    assert text.select("referral_id", "age", "needs", "urgency").row(0) == (
        "R1",
        "14",
        "self_harm;cse",
        "today",
    )


def test_homes_from_ofsted_provider_information_sheet(tmp_path: Path) -> None:
    path = tmp_path / "ofsted_childrens_homes.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Provider information")
    rows = [
        [
            "URN",
            "Setting Name",
            "Local Authority",
            "Provider Code",
            "Provider Placement Code",
            "Closed Date",
            "Setting Postcode",
            "Max Users",
            "Overall Effectiveness",
            "Registration Date",
        ],
        [
            "SC111111",
            "Oak House",
            "Staffordshire",
            "PR1",
            "K2",
            "",
            "st16 2ab",
            4,
            "Good",
            "2015-06-01",
        ],
        [
            "SC222222",
            "Elm Lodge",
            "Hertfordshire",
            "PR4",
            "K2/R1",
            "",
            "AL1 1AA",
            3,
            "Requires improvement to be good",
            "2020-01-01",
        ],
        ["SC333333", "Ash View", "Atlantis", "PR5", "K2", "2022-01-31", "XX1 1XX", 2, "", ""],
    ]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    book.close()
    homes, problems = homes_from_ofsted(path, own_la="E10000028")
    assert problems == [
        Problem(
            "warning",
            "ofsted_unknown_la",
            path.name,
            4,
            "Local Authority",
            "Atlantis",
            "local authority 'Atlantis' is not a known council's or district's name; "
            "local_authority left blank",
        )
    ]
    got = homes.select(
        "urn",
        "name",
        "sector",
        "local_authority",
        "postcode",
        "places",
        "rating",
        "in_house",
        "closed_date",
    ).rows()
    assert got == [
        (
            "SC111111",
            "Oak House",
            "local_authority",
            "E10000028",
            "ST16 2AB",
            4,
            "good",
            True,
            None,
        ),
        (
            "SC222222",
            "Elm Lodge",
            "private",
            "E10000015",
            "AL1 1AA",
            3,
            "requires_improvement",
            False,
            None,
        ),
        (
            "SC333333",
            "Ash View",
            "voluntary",
            None,
            "XX1 1XX",
            2,
            None,
            False,
            dt.date(2022, 1, 31),
        ),
    ]


def test_homes_from_ofsted_missing_validator_columns(tmp_path: Path) -> None:
    path = tmp_path / "ch.csv"
    path.write_text("URN,Local Authority\nSC1,Staffordshire\n", encoding="utf-8")
    _, problems = homes_from_ofsted(path)
    assert [(p.code, p.column) for p in problems] == [
        ("register_missing_column", "Provider Code"),
        ("register_missing_column", "Provider Placement Code"),
        ("register_missing_column", "Closed Date"),
        ("register_missing_column", "Setting Postcode"),
    ]


def test_docs_registers_md_is_generated_from_the_schemas() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "registers.md"
    assert doc.read_text(encoding="utf-8") == register_docs() + "\n"


def test_a_reversed_age_range_is_an_error(tmp_path: Path) -> None:
    from sufficiency.ingest.registers import load_registers

    (tmp_path / "vacancies.csv").write_text(
        "vacancy_id,provider_kind,provider_id,placement_type,places,available_from,age_min,age_max\n"
        "V1,ifa,P1,ifa,1,2024-04-01,0,17\n"
        "V2,ifa,P1,ifa,1,2024-04-01,11,10\n"
    )
    frames, problems = load_registers(tmp_path)
    (p,) = problems
    assert (p.severity, p.code, p.row, p.column, p.value) == (
        "error",
        "register_age_range",
        3,
        "age_min",
        "11",
    )
    assert p.file.endswith("vacancies.csv")
    assert "vacancies" not in frames  # a register with an error is not loaded at all
    assert p.message == "age_min 11 is above age_max 10 (expected age_min <= age_max)"


def test_a_cp1252_register_keeps_its_pound_signs_and_a_binary_one_is_refused(
    tmp_path: Path,
) -> None:
    from sufficiency.ingest.registers import load_registers

    (tmp_path / "actions.csv").write_bytes(
        "action_id,area,activity\nA1,fostering,Raise the fee to £450 a week\n".encode("cp1252")
    )
    (tmp_path / "costs.csv").write_bytes(b"\x00\x01\x02binary")
    frames, problems = load_registers(tmp_path)
    assert frames["actions"].get_column("activity").to_list() == ["Raise the fee to £450 a week"]
    (p,) = problems
    assert (p.severity, p.code, p.row) == ("error", "register_unreadable", None)
    assert p.file.endswith("costs.csv") and "not a text file (binary)" in p.message


def test_homes_from_ofsted_knows_the_councils_created_since_2021(tmp_path: Path) -> None:
    """Before, Ofsted's "Cumberland" and "Westmorland and Furness" were unknown (blank), and
    "North Yorkshire" became the county's old code, so the council's own home was not in-house
    and the register gave 0 homes in the area."""
    path = tmp_path / "ofsted.csv"
    path.write_text(
        "URN,Setting Name,Local Authority,Provider Code,Provider Placement Code,Closed Date,"
        "Setting Postcode,Max Users\n"
        "SC100001,One,North Yorkshire,PR1,K2,,YO7 1AA,4\n"
        "SC100002,Two,Cumberland,PR4,K2,,CA1 1AA,3\n"
        "SC100003,Three,Westmorland and Furness,PR4,K2,,LA9 4AA,2\n"
        "SC100004,Four,St Albans,PR4,K2,,AL1 1AA,2\n"
    )
    homes, problems = homes_from_ofsted(path, own_la="E10000023")
    assert problems == []
    assert homes.select("urn", "local_authority", "in_house").rows() == [
        ("SC100001", "E06000065", True),
        ("SC100002", "E06000063", False),
        ("SC100003", "E06000064", False),
        ("SC100004", "E10000015", False),
    ]
