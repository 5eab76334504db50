"""The one register codec: every demo register round-trips losslessly through CSV and XLSX, and
file -> Dataset -> file gives back the same register."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from sufficiency.ingest import load_data
from sufficiency.ingest.registers import csv_text, load_registers, write_register
from sufficiency.schema import REGISTERS, conform_register, typed_register


@pytest.fixture(scope="module")
def demo_registers(demo_dir: Path) -> dict[str, pl.DataFrame]:
    frames, problems = load_registers(demo_dir / "registers")
    assert [p for p in problems if p.severity == "error"] == []
    return frames


def _reload(frames: dict[str, pl.DataFrame], folder: Path, suffix: str) -> dict[str, pl.DataFrame]:
    folder.mkdir()
    for name, frame in frames.items():
        write_register(name, frame, folder / f"{name}{suffix}")
    again, problems = load_registers(folder)
    assert problems == []
    return again


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_demo_register_round_trips_through_a_file(
    demo_registers: dict[str, pl.DataFrame], tmp_path: Path, suffix: str
) -> None:
    # the demo has every register but benchmarks (the published comparators are built in) and
    # finance (a council's budget and outturn; tests/report writes one by hand)
    assert set(demo_registers) == set(REGISTERS) - {"benchmarks", "finance"}
    again = _reload(demo_registers, tmp_path / "registers", suffix)
    for name, frame in demo_registers.items():
        assert_frame_equal(again[name], frame)


def test_the_written_form_is_canonical_and_stable(
    demo_registers: dict[str, pl.DataFrame], tmp_path: Path
) -> None:
    again = _reload(demo_registers, tmp_path / "registers", ".csv")
    for name, frame in demo_registers.items():
        assert csv_text(name, again[name]) == csv_text(name, frame), name
    header, first = csv_text("vacancies", demo_registers["vacancies"]).splitlines()[:2]
    assert header.split(",") == list(REGISTERS["vacancies"].column_names)
    assert first.startswith("V00001,in_house_carer,FC00052,in_house_fostering,1,2026-03-31,")


@pytest.mark.slow
def test_file_to_dataset_to_file_gives_the_same_registers(tmp_path: Path, demo_dir: Path) -> None:
    ds = load_data(demo_dir).dataset
    assert ds is not None
    files, _ = load_registers(demo_dir / "registers")
    again = _reload(dict(ds.registers), tmp_path / "registers", ".csv")
    for name, frame in files.items():
        assert_frame_equal(again[name], frame)
        assert_frame_equal(conform_register(name, again[name]), ds.registers[name])


def test_formula_like_text_is_guarded_in_csv_and_read_back_unchanged(tmp_path: Path) -> None:
    frame = typed_register(
        "contracts",
        pl.DataFrame(
            {
                "contract_id": ["C1"],
                "provider": ['=HYPERLINK("http://evil","x")'],
                "kind": ["spot"],
                "placement_type": ["ifa"],
                "places": [0],
                "weekly_price": [-0.5],  # a number: written as it is, never guarded
            }
        ),
    )
    text = csv_text("contracts", frame)
    assert text.splitlines()[1] == ('C1,"\'=HYPERLINK(""http://evil"",""x"")",spot,ifa,0,-0.5,,')
    path = write_register("contracts", frame, tmp_path / "contracts.csv")
    again, problems = load_registers(path.parent)
    assert [p.code for p in problems] == ["register_out_of_range"]  # a negative price
    assert again == {}
    fine = frame.with_columns(pl.lit(600.0).alias("weekly_price"))
    write_register("contracts", fine, path)
    again, problems = load_registers(path.parent)
    assert problems == []
    assert_frame_equal(again["contracts"], fine)
