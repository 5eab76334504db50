"""The synthetic council's wider-duty registers (issue 19) agree with its returns: every plan's
child is in the returns, an achieved plan ended the way the returns' episodes end, disabled
children on short breaks are the returns' V3/V4 children, and the folder loads without errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from sufficiency.ingest import load_data
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import Period
from sufficiency.synth import SynthCouncil

DUTY = (
    "disabled_children",
    "short_break_provision",
    "permanence_plans",
    "care_leavers_25",
    "interventions",
)
AT = dt.date(2024, 3, 31)


def _episodes(council: SynthCouncil) -> pl.DataFrame:
    eps = council.returns[2024]["episodes"]
    return eps.with_columns(pl.col("DEC").str.to_date("%d/%m/%Y", strict=False))


def test_every_duty_register_is_there_with_rows(small_council: SynthCouncil) -> None:
    assert {n: small_council.registers[n].height > 0 for n in DUTY} == dict.fromkeys(DUTY, True)


def test_achieved_plans_end_as_the_returns_show(small_council: SynthCouncil) -> None:
    plans = small_council.registers["permanence_plans"]
    eps = _episodes(small_council)
    assert set(plans["child_id"]) <= set(eps["CHILD"])
    ended = eps.filter(pl.col("DEC").is_not_null()).select(
        pl.col("CHILD").alias("child_id"), "DEC", "REC"
    )
    achieved = plans.filter(pl.col("status") == "achieved").join(
        ended, left_on=["child_id", "outcome_date"], right_on=["child_id", "DEC"]
    )
    assert achieved.height == plans.filter(pl.col("status") == "achieved").height > 0
    home = achieved.filter(pl.col("plan") == "reunification")
    assert set(home["REC"]) <= {"E4A", "E4B", "E13"}
    assert (plans["date_set"] <= AT).all()


def test_short_break_children_are_the_returns_v3_v4_children(small_council: SynthCouncil) -> None:
    eps = _episodes(small_council)
    breaks = set(eps.filter(pl.col("LS").is_in(["V3", "V4"]))["CHILD"])
    disabled = small_council.registers["disabled_children"]
    packaged = set(disabled.filter(pl.col("short_break_type").is_not_null())["child_id"])
    assert breaks and breaks <= packaged


def test_the_folder_loads_and_reunification_outcomes_cover_every_plan(small_folder: Path) -> None:
    loaded = load_data(small_folder)
    assert loaded.ok, [p.message for p in loaded.problems if p.severity == "error"]
    ds = loaded.dataset
    assert ds is not None
    assert all(ds.register(name) is not None for name in DUTY)
    got = load_catalogue()["reunification_outcomes"].compute(ds, Period.year_ending(AT)).to_json()
    assert got["not_in_returns"] == 0
    assert got["total"] == sum(v for k, v in got.items() if k != "total") > 0
