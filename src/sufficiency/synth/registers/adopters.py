"""Adopters: the households of the simulation's adoptive placements, plus approved adopters
still waiting (a few withdraw), with the stages each went through before approval (enquiry,
registration of interest and Stage 1, Stage 2; a quarter are fast-tracked straight into Stage 2),
and the prospective adopters still in the process on the as-of date: enquiries, households in
Stage 1 or Stage 2, some withdrawing on the way.

The approved households are drawn first and exactly as before the earlier stages were recorded
(their dates do not move); the earlier stages and the prospective households are drawn after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl

from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import days, iso_date
from sufficiency.synth.parameters import ADOPTION
from sufficiency.synth.simulate import Simulation

#: Share of approved households fast-tracked into Stage 2 (previous adopters, foster carers).
FAST_TRACK = 0.25
#: Days each step takes (low, high): Stage 1 (the DfE expects two months), the break between
#: the stages (up to six months at the household's choice), Stage 2 (four months expected) and
#: enquiry to registration of interest.
STAGE1_DAYS = (35, 80)
BREAK_DAYS = (0, 120)
STAGE2_DAYS = (80, 150)
ENQUIRY_DAYS = (7, 90)


def _days(rng: np.random.Generator, span: tuple[int, int]) -> int:
    return int(rng.integers(span[0], span[1] + 1))


def build_adopters(sim: Simulation, end: int, rng: np.random.Generator) -> pl.DataFrame:
    """Adopter households: one per adoptive placement by ``end``, plus some still waiting, with
    their stages before approval, plus prospective adopters still in the process."""
    plc = sim.placements.filter((pl.col("kind") == ADOPTION) & (pl.col("start") <= end))
    rows: list[dict[str, Any]] = []
    for i, s in enumerate(plc["start"].to_list()):
        matched = int(s) - int(rng.integers(20, 70))
        rows.append(
            {
                "household_id": f"AD{i + 1:05d}",
                "approved_date": iso_date(matched - int(rng.integers(60, 420))),
                "matched_date": iso_date(matched),
                "placed_date": iso_date(int(s)),
                "withdrawn_date": None,
                "children_sought": int(rng.choice([1, 2], p=[0.8, 0.2])),
            }
        )
    n = len(rows)
    for j in range(max(2, n // 5)):
        approved = end - int(rng.integers(20, 500))
        rows.append(
            {
                "household_id": f"AW{j + 1:05d}",
                "approved_date": iso_date(approved),
                "matched_date": None,
                "placed_date": None,
                "withdrawn_date": iso_date(approved + int(rng.integers(60, 300)))
                if rng.random() < 0.2 and approved + 300 < end
                else None,
                "children_sought": int(rng.choice([1, 2], p=[0.75, 0.25])),
            }
        )
    for row in rows:
        row.update(_before_approval(row["approved_date"], rng))
    rows += _prospective(end, max(4, n // 3), rng)
    return register_frame("adopters", rows)


def _before_approval(approved: str | None, rng: np.random.Generator) -> dict[str, str | None]:
    """Enquiry, registration, Stage 1 end and Stage 2 start of a household approved on
    ``approved`` (ISO): worked back from the approval, a fast-track household from Stage 2."""
    if approved is None:
        return {}
    day = days(dt.date.fromisoformat(approved))
    stage2 = day - _days(rng, STAGE2_DAYS)
    if rng.random() < FAST_TRACK:
        return {"stage2_start_date": iso_date(stage2)}
    stage1_end = stage2 - _days(rng, BREAK_DAYS)
    registered = stage1_end - _days(rng, STAGE1_DAYS)
    return {
        "enquiry_date": iso_date(registered - _days(rng, ENQUIRY_DAYS)),
        "registration_date": iso_date(registered),
        "stage1_end_date": iso_date(stage1_end),
        "stage2_start_date": iso_date(stage2),
    }


def _prospective(end: int, count: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Households not yet approved on ``end``: ``count`` registered in the last 200 days (in
    Stage 1, between the stages or in Stage 2; one in eight withdrew), and twice as many
    enquiries of the last year that have not registered (a third of them withdrew)."""
    rows: list[dict[str, Any]] = []
    for k in range(count):
        registered = end - _days(rng, (5, 200))
        stage1_end = registered + _days(rng, STAGE1_DAYS)
        stage2 = stage1_end + _days(rng, BREAK_DAYS)
        reached = {
            "registration_date": registered,
            "stage1_end_date": stage1_end,
            "stage2_start_date": stage2,
        }
        reached = {c: d for c, d in reached.items() if d <= end}
        row: dict[str, Any] = {
            "household_id": f"AP{k + 1:05d}",
            "enquiry_date": iso_date(registered - _days(rng, ENQUIRY_DAYS)),
            **{c: iso_date(d) for c, d in reached.items()},
            "children_sought": int(rng.choice([1, 2], p=[0.75, 0.25])),
        }
        if rng.random() < 0.125:  # withdrew lately, after the last stage it reached
            row["withdrawn_date"] = iso_date(max(max(reached.values()), end - _days(rng, (0, 60))))
        rows.append(row)
    for k in range(2 * count):
        enquired = end - _days(rng, (1, 360))
        rows.append(
            {
                "household_id": f"AE{k + 1:05d}",
                "enquiry_date": iso_date(enquired),
                "withdrawn_date": iso_date(min(end, enquired + _days(rng, (7, 90))))
                if rng.random() < 1 / 3
                else None,
            }
        )
    return rows
