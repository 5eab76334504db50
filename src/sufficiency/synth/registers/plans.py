"""The council's sufficiency action plan and its targets."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.schema import REGISTERS, register_frame


def build_actions(as_of: dt.date) -> pl.DataFrame:
    """Five actions of a sufficiency action plan, due in the year after ``as_of``."""
    y = as_of.year
    rows = [
        (
            "A01",
            "fostering",
            "Grow in-house foster carers by 10 households a year through targeted recruitment",
            "15 more in-house places a year; fewer IFA placements",
            "Head of Fostering",
            f"{y + 1}-03-31",
            "in_progress",
        ),
        (
            "A02",
            "residential",
            "Open a small council children's home for children returning from distant placements",
            "4 local residential places",
            "Commissioning Manager",
            f"{y + 1}-09-30",
            "planned",
        ),
        (
            "A03",
            "permanence",
            "Targeted special guardianship support for children in long-term IFA placements",
            "6 SGOs a year",
            "Service Manager, Permanence",
            f"{y + 1}-03-31",
            "in_progress",
        ),
        (
            "A04",
            "supported_accommodation",
            "Block contract for registered supported accommodation in county for 16-17s",
            "More 16-17s housed locally",
            "Commissioning Manager",
            f"{y}-12-31",
            "in_progress",
        ),
        (
            "A05",
            "short_breaks",
            "Recommission foster care short breaks for disabled children",
            "288 nights a year met locally",
            "Disabled Children's Team Manager",
            f"{y + 1}-06-30",
            "planned",
        ),
    ]
    columns = REGISTERS["actions"].column_names
    return register_frame("actions", [dict(zip(columns, row, strict=True)) for row in rows])


def build_targets(as_of: dt.date) -> pl.DataFrame:
    """Targets for three headline measures, set on the as-of date."""
    rows = [
        {
            "measure_id": "cla_rate_per_10k",
            "baseline_date": as_of.isoformat(),
            "baseline": None,
            "target": 90.0,
            "target_date": f"{as_of.year + 3}-03-31",
            "direction": "down",
        },
        {
            "measure_id": "stability_three_plus",
            "baseline_date": as_of.isoformat(),
            "baseline": None,
            "target": 7.0,
            "target_date": f"{as_of.year + 2}-03-31",
            "direction": "down",
        },
        {
            "measure_id": "placed_over_20_miles",
            "baseline_date": as_of.isoformat(),
            "baseline": None,
            "target": 20.0,
            "target_date": f"{as_of.year + 3}-03-31",
            "direction": "down",
        },
    ]
    return register_frame("targets", rows)
