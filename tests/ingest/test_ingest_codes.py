"""Code lists per collection year, as the DfE rules of each year define them."""

from __future__ import annotations

import pytest

from sufficiency.codes import CODED_FIELDS, code_lists, ruleset_year, sex_is_numeric


def test_years_before_2022_23_use_its_lists_and_later_years_the_latest() -> None:
    assert code_lists(2018) == code_lists(2023)
    assert code_lists(2031) == code_lists(2027)
    assert [ruleset_year(y) for y in (2017, 2023, 2025, 2027, 2040)] == [
        2023,
        2023,
        2025,
        2027,
        2027,
    ]


@pytest.mark.parametrize(
    ("year", "sex"),
    [(2023, {"1", "2"}), (2024, {"1", "2"}), (2025, {"M", "F", "U"}), (2027, {"M", "F", "U"})],
)
def test_sex_coding_by_year(year: int, sex: set[str]) -> None:
    assert code_lists(year)["SEX"] == sex
    assert sex_is_numeric(year) == (sex == {"1", "2"})


def test_placement_codes_by_year() -> None:
    place = {y: code_lists(y)["PLACE"] for y in (2023, 2024, 2025, 2026, 2027)}
    assert "K3" not in place[2023] and "K3" not in place[2024]
    assert {"K3", "H5", "P2", "Z1"} <= place[2025]
    assert {"Z11", "Z12", "Z13", "Z14", "K3"} <= place[2026]
    assert not {"H5", "P2", "Z1"} & place[2026]
    assert place[2027] == place[2026]
    assert len(place[2023]) == 27 and len(place[2026]) == 29


def test_other_lists() -> None:
    lists = code_lists(2024)
    assert set(lists) == set(CODED_FIELDS)
    assert lists["PLACE_PROVIDER"] == {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
    assert lists["RNE"] == {"S", "P", "L", "T", "U", "B"}
    assert "V3" in lists["LS"] and len(lists["LS"]) == 13
    assert len(lists["REC"]) == 22 and "E4A" in lists["REC"]
    assert len(lists["ETHNIC"]) == 20 and "NOBT" in lists["ETHNIC"]
    assert "CUSTOD" in lists["REASON_PLACE_CHANGE"] and len(lists["REASON_PLACE_CHANGE"]) == 12
    assert lists["CIN"] == {f"N{i}" for i in range(1, 9)}
