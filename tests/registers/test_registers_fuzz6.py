"""Fuzz round 6 (registers): inputs that loaded silently with wrong figures.

* ``homes.local_authority`` was free text: lower case, a mistyped code or another council's code
  than the postcode's loaded without a word and took homes out of "in the area";
* a costs register typed as annual costs (52 times) in every row loaded without a word, as the
  year-on-year check sees only a jump;
* two costs rows for one placement type and year were averaged and reported, if at all, as a
  jump from "the year before" (the same year).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers, parse_register
from sufficiency.synth.registers.costs import build_costs

HOMES = "urn,places,local_authority,postcode\n"
COUNCIL_EXPECTED = (
    "expected an English council's ONS code, current or former: E06, E08, E09 or E10 and six "
    "digits, e.g. E06000019 (blank: the council of the home's postcode)"
)


def _load(tmp_path: Path, name: str, text: str) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / "registers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return load_registers(folder)


# ------------------------------------------------------------------ homes.local_authority
def test_a_council_code_in_lower_case_or_with_spaces_is_read_upper_case(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path, "homes", HOMES + "SC000001,3,e06000019,HR1 2HX\nSC000002,2, e06000019 ,HR4 9AB\n"
    )
    assert problems == []
    assert frames["homes"].get_column("local_authority").to_list() == ["E06000019"] * 2


def test_a_code_that_is_no_councils_is_an_error_naming_file_row_and_column(
    tmp_path: Path,
) -> None:
    """E6000019 (a digit lost), E06000091 (two digits swapped: the code shape, no council),
    E07000235 (a district's, not the upper tier's) and a council's name."""
    frames, problems = _load(
        tmp_path,
        "homes",
        HOMES
        + "SC000001,3,E6000019,HR1 2HX\nSC000002,3,E06000091,HR1 2HX\n"
        + "SC000003,3,E07000235,HR1 2HX\nSC000004,3,Hereford,HR1 2HX\n"
        + "SC000005,3,E06000019,HR1 2HX\n",
    )
    assert frames == {}
    assert [
        (p.severity, p.code, p.file, p.row, p.column, p.value, p.message) for p in problems
    ] == [
        (
            "error",
            "register_unknown_council",
            "registers/homes.csv",
            row,
            "local_authority",
            value,
            f"local_authority: not a council's code '{value}' ({COUNCIL_EXPECTED})",
        )
        for row, value in [(2, "E6000019"), (3, "E06000091"), (4, "E07000235"), (5, "Hereford")]
    ]


def test_a_former_council_code_is_accepted(tmp_path: Path) -> None:
    """Somerset's county code (E10000027), as la.toml accepts it: it names Somerset today."""
    frames, problems = _load(tmp_path, "homes", HOMES + "SC000001,3,E10000027,\n")
    assert problems == []
    assert frames["homes"].get_column("local_authority").to_list() == ["E10000027"]


def test_a_blank_council_is_no_problem(tmp_path: Path) -> None:
    frames, problems = _load(tmp_path, "homes", HOMES + "SC000001,3,,HR1 2HX\n")
    assert problems == []
    assert frames["homes"].get_column("local_authority").to_list() == [None]


def test_a_council_the_postcode_is_not_in_is_a_warning(tmp_path: Path) -> None:
    """Herefordshire's code on a Worcester postcode: which is right cannot be told, so the
    home is counted by its local_authority, and the pair named. A former code of the
    postcode's council (Somerset's) and a postcode the directory does not hold agree."""
    frames, problems = _load(
        tmp_path,
        "homes",
        HOMES
        + "SC000001,3,E06000019,HR1 2HX\nSC000002,3,E06000019,WR1 2HB\n"
        + "SC000003,3,E06000019,ZZ99 9ZZ\nSC000004,3,E10000034,\n",
    )
    assert "homes" in frames
    assert [
        (p.severity, p.code, p.file, p.row, p.column, p.value, p.message) for p in problems
    ] == [
        (
            "warning",
            "register_council_postcode",
            "registers/homes.csv",
            3,
            "local_authority",
            "E06000019",
            "local_authority E06000019 (Herefordshire, County of) is not the council of the home's "
            "postcode WR1 2HB (E10000034, Worcestershire): one of them is mistyped; the home "
            "is counted in E06000019 (give the right code, or leave local_authority blank to "
            "take the postcode's)",
        )
    ]


def test_the_web_form_check_reads_the_code_as_a_file_does() -> None:
    raw = pl.DataFrame({"urn": ["SC000001"], "places": ["3"], "local_authority": ["e06000019"]})
    typed, problems = parse_register("homes", raw, "form")
    assert problems == []
    assert typed.get_column("local_authority").to_list() == ["E06000019"]


# ------------------------------------------------------------------ costs: plausible amounts
def _costs_text(rows: list[tuple[str, int, float]]) -> str:
    return "placement_type,year,weekly_cost\n" + "".join(f"{t},{y},{c}\n" for t, y, c in rows)


def test_costs_entered_annual_in_every_row_are_named_once_per_type(tmp_path: Path) -> None:
    """Every weekly cost x52: no year jumps from the one before, so the jump check said nothing
    and spend was 52 times what it is. Each type is named once, at its first row."""
    rows = [
        ("family_and_friends", 2024, 19292.0),
        ("family_and_friends", 2025, 20449.52),
        ("external_residential", 2024, 368108.0),
        ("external_residential", 2025, 390194.48),
        ("ifa", 2025, 1050.0),
    ]
    frames, problems = _load(tmp_path, "costs", _costs_text(rows))
    assert "costs" in frames  # a warning: the costs still load
    assert [(p.severity, p.code, p.row, p.column, p.value, p.message) for p in problems] == [
        (
            "warning",
            "register_cost_implausible",
            2,
            "weekly_cost",
            "19292.0",
            "weekly_cost for family_and_friends is 19,292 in 2024 (and above it in 1 more row, "
            "up to 20,449.52), above 5,000 a week, the top of the typical range for "
            "family_and_friends (entered annual, or in pence?)",
        ),
        (
            "warning",
            "register_cost_implausible",
            4,
            "weekly_cost",
            "368108.0",
            "weekly_cost for external_residential is 368,108 in 2024 (and above it in 1 more "
            "row, up to 390,194.48), above 60,000 a week, the top of the typical range for "
            "external_residential (entered annual, or in pence?)",
        ),
    ]


def test_costs_in_pence_are_named_and_per_home_rows_are_judged_by_their_type(
    tmp_path: Path,
) -> None:
    text = (
        "placement_type,year,weekly_cost,urn,provider\n"
        "in_house_fostering,2025,52000,,\n"
        "external_residential,2025,650000,SC123456,\n"
        "external_residential,2025,6500,,\n"
    )
    _, problems = _load(tmp_path, "costs", text)
    assert [(p.code, p.row, p.message) for p in problems] == [
        (
            "register_cost_implausible",
            2,
            "weekly_cost for in_house_fostering is 52,000 in 2025, above 10,000 a week, the top "
            "of the typical range for in_house_fostering (entered annual, or in pence?)",
        ),
        (
            "register_cost_implausible",
            3,
            "weekly_cost for external_residential, SC123456 is 650,000 in 2025, above 60,000 a "
            "week, the top of the typical range for external_residential (entered annual, or "
            "in pence?)",
        ),
    ]


def test_a_row_the_jump_check_names_is_not_named_again(tmp_path: Path) -> None:
    rows = [("ifa", 2024, 900.0), ("ifa", 2025, 46800.0), ("ifa", 2026, 960.0)]
    _, problems = _load(tmp_path, "costs", _costs_text(rows))
    assert [(p.code, p.row) for p in problems] == [
        ("register_cost_jump", 3),
        ("register_cost_jump", 4),
    ]


def test_synthetic_and_benchmark_costs_are_plausible(tmp_path: Path) -> None:
    """The synthetic councils' costs (every type, grown 6% a year, over a long window) and
    the benchmarks' (IFA, residential, supported accommodation from 900 to 7,000) pass."""
    synth = build_costs(list(range(2012, 2041)))
    rows = [
        (str(t), int(y), float(c))
        for t, y, c in synth.select("placement_type", "year", "weekly_cost").iter_rows()
    ]
    _, problems = _load(tmp_path, "costs", _costs_text(rows))
    assert problems == []
    bench = [
        (t, y, c)
        for y in range(2018, 2028)
        for t in ("ifa", "external_residential", "supported_accommodation")
        for c in (900.0, 6999.0)
    ]
    _, problems = _load(tmp_path / "b", "costs", _costs_text(bench))
    assert [p for p in problems if p.code == "register_cost_implausible"] == []


# ------------------------------------------------------------------ costs: same type and year
def test_two_general_rows_for_one_type_and_year_are_named_as_averaged(tmp_path: Path) -> None:
    """A corrected price added below the old one: the pair is averaged (unit_costs.RULE). The
    warning names both rows; the jump check compares 2026 with 2025, never 2026 with itself."""
    rows = [
        ("placed_for_adoption", 2025, 424.0),
        ("placed_for_adoption", 2026, 449.44),
        ("ifa", 2026, 1000.0),
        ("placed_for_adoption", 2026, 9999.0),
    ]
    frames, problems = _load(tmp_path, "costs", _costs_text(rows))
    assert "costs" in frames
    assert [(p.severity, p.code, p.row, p.column, p.value, p.message) for p in problems] == [
        (
            "warning",
            "register_cost_jump",
            5,
            "weekly_cost",
            "9999.0",
            "weekly_cost for placed_for_adoption goes from 424 in 2025 to 9,999 in 2026, more "
            "than 10 times, or under 1/10 of, the year before (entered annual, or in pence?)",
        ),
        (
            "warning",
            "register_cost_same_year",
            5,
            "weekly_cost",
            "9999.0",
            "weekly_cost for placed_for_adoption in 2026 is given by rows 3 and 5 (449.44 and "
            "9,999): they are averaged (5,224.22); keep one row per placement type and year "
            "(a corrected price replacing the old one)",
        ),
    ]


def test_a_close_pair_in_one_year_is_named_too(tmp_path: Path) -> None:
    rows = [("placed_for_adoption", 2026, 449.44), ("placed_for_adoption", 2026, 470.0)]
    _, problems = _load(tmp_path, "costs", _costs_text(rows))
    assert [(p.code, p.row, p.message) for p in problems] == [
        (
            "register_cost_same_year",
            3,
            "weekly_cost for placed_for_adoption in 2026 is given by rows 2 and 3 (449.44 and "
            "470): they are averaged (459.72); keep one row per placement type and year (a "
            "corrected price replacing the old one)",
        )
    ]


def test_rows_of_different_homes_or_providers_in_one_year_are_not_a_pair(tmp_path: Path) -> None:
    text = (
        "placement_type,year,weekly_cost,urn,provider\n"
        "external_residential,2026,6000,,\n"
        "external_residential,2026,5000,SC000001,\n"
        "external_residential,2026,5500,SC000002,\n"
        "external_residential,2026,5200,,Acme\n"
    )
    _, problems = _load(tmp_path, "costs", text)
    assert problems == []
