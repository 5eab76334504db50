"""Synthetic registers hold no date a council's register could not: a home the simulation first
uses after the last return was written with its registration years ahead (Barnsley, seed 2:
2034-05-08), which ingest now refuses as implausible (a planned opening is at most five years
ahead)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sufficiency.ingest.registers import load_registers
from sufficiency.synth import generate, write_data_folder


def test_homes_are_registered_by_the_end_of_the_last_return(tmp_path: Path) -> None:
    write_data_folder(generate(seed=2, children=120, years=[2026], la_code="E08000016"), tmp_path)
    frames, problems = load_registers(tmp_path / "registers")
    assert [p.message for p in problems if p.severity == "error"] == []
    for name in ("homes", "supported_accommodation"):
        latest = frames[name].get_column("registered_date").max()
        assert isinstance(latest, dt.date) and latest <= dt.date(2026, 3, 31), name
