"""Adopters: the households of the simulation's adoptive placements, plus approved adopters
still waiting (a few withdraw)."""

from __future__ import annotations

import numpy as np
import polars as pl

from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import iso_date
from sufficiency.synth.parameters import ADOPTION
from sufficiency.synth.simulate import Simulation


def build_adopters(sim: Simulation, end: int, rng: np.random.Generator) -> pl.DataFrame:
    """Adopter households: one per adoptive placement by ``end``, plus some still waiting."""
    plc = sim.placements.filter((pl.col("kind") == ADOPTION) & (pl.col("start") <= end))
    rows = []
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
    return register_frame("adopters", rows)
