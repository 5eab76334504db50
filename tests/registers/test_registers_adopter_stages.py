"""The adopters register records a household at whichever stage it has reached (issue 19: seed
003 reports adopters by stage from enquiry and registration of interest): only the household id
is required, and stage dates that go backwards are named by file, row and field."""

from __future__ import annotations

from pathlib import Path

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import load_registers

HEADER = (
    "household_id,enquiry_date,registration_date,stage1_end_date,stage2_start_date,"
    "approved_date,matched_date,placed_date,withdrawn_date\n"
)


def _load(tmp_path: Path, rows: str) -> tuple[list[tuple[object, ...]] | None, list[Problem]]:
    """The register's (household_id, approved_date) rows (None when refused) and problems."""
    folder = tmp_path / "registers"
    folder.mkdir()
    (folder / "adopters.csv").write_text(HEADER + rows, encoding="utf-8")
    frames, problems = load_registers(folder)
    frame = frames.get("adopters")
    if frame is None:
        return None, problems
    return list(frame.select("household_id", "approved_date").iter_rows()), problems


def test_a_household_is_valid_at_every_stage_before_approval(tmp_path: Path) -> None:
    rows, problems = _load(
        tmp_path,
        "E1,2025-01-06,,,,,,,\n"  # an enquiry only
        "S1,2025-01-06,2025-02-01,,,,,,\n"  # in Stage 1
        "S2,,2025-01-10,2025-03-01,2025-04-01,,,,\n"  # in Stage 2
        "FT,,,,2025-05-01,,,,\n"  # fast track: straight into Stage 2
        "W1,2025-01-06,2025-02-01,,,,,,2025-02-20\n",  # withdrew in Stage 1
    )
    assert problems == []
    assert rows == [("E1", None), ("S1", None), ("S2", None), ("FT", None), ("W1", None)]


def test_stage_dates_that_go_backwards_are_named(tmp_path: Path) -> None:
    rows, problems = _load(
        tmp_path,
        "OK,2024-01-01,2024-02-01,2024-03-20,2024-04-01,2024-07-15,2024-10-01,2024-11-01,\n"
        # Stage 2 begins before the registration of interest (Stage 1 skipped in between).
        "B1,,2024-05-01,,2024-03-01,2024-08-01,,,\n"
        # withdrawn before the household was approved
        "B2,,,,2024-01-10,2024-05-01,,,2024-04-01\n",
    )
    assert problems == [
        Problem(
            "error",
            "register_date_order",
            "registers/adopters.csv",
            3,
            "registration_date",
            "2024-05-01",
            "registration_date 2024-05-01 is after stage2_start_date 2024-03-01 "
            "(expected registration_date on or before stage2_start_date)",
        ),
        Problem(
            "error",
            "register_date_order",
            "registers/adopters.csv",
            4,
            "approved_date",
            "2024-05-01",
            "approved_date 2024-05-01 is after withdrawn_date 2024-04-01 "
            "(expected approved_date on or before withdrawn_date)",
        ),
    ]
    assert rows is None  # refused whole: nothing half-read
