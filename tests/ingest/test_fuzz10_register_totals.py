"""Fuzz round 10 #3: a totals row under a register was caught only when a cell said exactly
Total, Totals, Grand total or Subtotal; "Sum", "Total units", "Sub total", "All providers" and
"Overall total" were read as one more provider (supported accommodation units 60 -> 120)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers

HEADER = "provider,urn,postcode,units,occupied,uasc_only,registered_date\n"
ROWS = (
    "Provider 1,SC805111,B98 8YR,3,0,no,2023-10-28\n"
    "Total Care Ltd,SC675869,HR1 1FD,4,3,no,2023-10-28\n"
    "Oak House,SC675870,HR1 1FD,5,2,no,2023-10-28\n"
)


def _load(tmp_path: Path, name: str, text: str) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    folder = tmp_path / name / "registers"
    folder.mkdir(parents=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return load_registers(folder)


@pytest.mark.parametrize(
    ("label", "why"),
    [
        ("Sum", "'Sum' says so"),
        ("Sub total", "'Sub total' says so"),
        ("Overall total", "'Overall total' says so"),
        ("Total units", "its units and occupied are the sums of the other 3 rows'"),
        ("All providers", "its units and occupied are the sums of the other 3 rows'"),
        (
            "TOTAL SUPPORTED ACCOMMODATION",
            "its units and occupied are the sums of the other 3 rows'",
        ),
        # fuzz round 11: labels with no numbers needed
        ("In-area subtotal", "'In-area subtotal' says so"),
        ("All", "its units and occupied are the sums of the other 3 rows'"),
        ("Overall", "its units and occupied are the sums of the other 3 rows'"),
        ("Summary", "its units and occupied are the sums of the other 3 rows'"),
        ("Subtotal (Herefordshire providers)", "'Subtotal (Herefordshire providers)' says so"),
    ],
)
def test_a_totals_row_labelled_otherwise_is_not_read_as_one_more_provider(
    tmp_path: Path, label: str, why: str
) -> None:
    frames, problems = _load(
        tmp_path, "supported_accommodation", HEADER + ROWS + f"{label},,,12,5,,\n"
    )
    sa = frames["supported_accommodation"]
    assert sa.get_column("units").sum() == 12
    assert sa.get_column("provider").to_list() == ["Provider 1", "Total Care Ltd", "Oak House"]
    assert [(p.severity, p.code, p.row, p.message) for p in problems] == [
        (
            "warning",
            "register_totals_row",
            5,
            f"a totals row ({why}): not read, as the rows it sums are (it would count as one "
            "more); delete it from the register",
        )
    ]


def test_a_totals_row_at_the_top_is_found_too(tmp_path: Path) -> None:
    frames, problems = _load(
        tmp_path, "supported_accommodation", HEADER + "Sum of units,,,12,5,,\n" + ROWS
    )
    assert frames["supported_accommodation"].get_column("units").sum() == 12
    assert [(p.code, p.row) for p in problems] == [("register_totals_row", 2)]


def test_a_provider_whose_numbers_happen_to_sum_the_others_is_a_provider(tmp_path: Path) -> None:
    """The sums mark a row a total only with a cell starting as a totals label does."""
    text = HEADER + ROWS + "Riverside Care,SC675871,HR1 1FD,12,5,no,2023-10-28\n"
    frames, problems = _load(tmp_path, "supported_accommodation", text)
    assert frames["supported_accommodation"].get_column("units").sum() == 24
    assert problems == []


def test_an_unlabelled_totals_row_is_refused_for_its_blank_name(tmp_path: Path) -> None:
    frames, problems = _load(tmp_path, "supported_accommodation", HEADER + ROWS + ",,,12,5,,\n")
    assert frames == {}
    assert [(p.severity, p.code, p.row, p.column) for p in problems] == [
        ("error", "register_blank_value", 5, "provider")
    ]


def test_numbers_that_sum_only_two_rows_are_not_enough(tmp_path: Path) -> None:
    """With one other row, a provider of the same size would read as its total."""
    text = HEADER + "Oak,SC805111,B98 8YR,3,1,no,2023-10-28\nTotal Care,SC805112,B98 8YR,3,1,no,\n"
    frames, problems = _load(tmp_path, "supported_accommodation", text)
    assert frames["supported_accommodation"].get_column("units").sum() == 6
    assert [p.code for p in problems] == []


def test_a_row_summing_some_columns_but_not_all_is_read(tmp_path: Path) -> None:
    text = HEADER + ROWS + "All providers,,,12,4,,\n"
    frames, problems = _load(tmp_path, "supported_accommodation", text)
    assert frames["supported_accommodation"].get_column("units").sum() == 24
    assert [p.code for p in problems] == []


def test_a_provider_whose_places_are_two_others_sum_is_a_provider(tmp_path: Path) -> None:
    """Fuzz round 11: in a register of three, "Total Care Ltd" with 5 places beside providers of
    2 and 3 was dropped as their total (units 10 -> 5); a sum of two rows proves nothing."""
    text = (
        HEADER + "Provider 1,SC805111,B98 8YR,2,1,no,2023-10-28\n"
        "Oak House,SC675870,HR1 1FD,3,2,no,2023-10-28\n"
        "Total Care Ltd,SC675869,HR1 1FD,5,3,no,2023-10-28\n"
    )
    frames, problems = _load(tmp_path, "supported_accommodation", text)
    assert frames["supported_accommodation"].get_column("units").sum() == 10
    assert [p.code for p in problems] == []


def test_all_is_a_totals_label_only_with_the_numbers_of_one(tmp_path: Path) -> None:
    """A cell saying "All" may be any column's value (an area, an age range): its row is dropped only
    when its numbers are the other rows' sums."""
    frames, problems = _load(
        tmp_path, "supported_accommodation", HEADER + ROWS + "All,SC675871,HR1 1FD,7,1,no,\n"
    )
    assert frames["supported_accommodation"].get_column("units").sum() == 19
    assert [p.code for p in problems] == []
