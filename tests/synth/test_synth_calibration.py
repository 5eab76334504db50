"""The calibration snapshot counts with the shared date rules (DESIGN.md "Dates")."""

from __future__ import annotations

import polars as pl

from sufficiency.synth.calibration import snapshot


def _tables(episodes: list[tuple[str, str, str, str, str]], dob: str) -> dict[str, pl.DataFrame]:
    eps = pl.DataFrame(
        episodes, schema=["DECOM", "RNE", "LS", "PLACE", "DEC"], orient="row"
    ).with_columns(pl.lit("1").alias("CHILD"), pl.lit("HR1 2HX").alias("PL_POST"))
    return {"episodes": eps, "header": pl.DataFrame({"CHILD": ["1"], "DOB": [dob]})}


def test_a_placement_ending_on_1_april_is_not_the_one_open_that_day() -> None:
    tables = _tables(
        [
            ("13/10/2023", "P", "C2", "U6", "01/04/2024"),
            ("01/04/2024", "P", "C2", "U6", "29/10/2024"),
            ("29/10/2024", "P", "C2", "U4", ""),
        ],
        "01/01/2010",
    )
    s = snapshot(tables, 2025)
    assert s["cla"] == 1.0
    assert s["three_plus_pct"] == 0.0  # two placements in 2024-25, not three


def test_age_is_completed_years_on_31_march() -> None:
    open_episode = [("01/01/2024", "S", "C2", "U6", "")]
    assert snapshot(_tables(open_episode, "31/03/2009"), 2025)["age_16_17_pct"] == 100.0
    assert snapshot(_tables(open_episode, "01/04/2009"), 2025)["age_16_17_pct"] == 0.0
