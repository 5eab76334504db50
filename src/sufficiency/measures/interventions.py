"""Early help and edge-of-care programmes (issue 19): children diverted from care and returned
home, and cost, by programme, from the interventions register."""

from __future__ import annotations

from typing import Any

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.catalogue import Period, Value, measure
from sufficiency.measures.nested import rows

THEME = "early_help"
CHILD_KEYS = ("diverted", "returned")
DERIVED_KEYS = ("cost_per_child",)


def quarters_in(ds: Dataset, period: Period) -> pl.DataFrame | None:
    """The register's rows whose quarter begins within ``period``; None without it."""
    register = ds.register("interventions")
    if register is None:
        return None
    return register.filter(pl.col("quarter").is_between(period.start, period.end))


@measure(
    "intervention_outcomes",
    title="Early help and edge-of-care programmes: children diverted and returned home",
    theme=THEME,
    unit="number",
    definition=(
        "For each programme in the interventions register, over the quarters beginning in the "
        "year: children prevented from entering care (diverted), children returned home from "
        "care (returned), quarters reported, what the programme cost and the cost per child "
        "diverted or returned (cost / (diverted + returned))."
    ),
    source="interventions register",
    child_keys=CHILD_KEYS,
    derived_keys=DERIVED_KEYS,
)
def intervention_outcomes(ds: Dataset, period: Period) -> Value:
    frame = quarters_in(ds, period)
    if frame is None:
        return None
    figures: dict[str, dict[str, Any]] = {}
    names = sorted(frame.get_column("programme").unique().to_list())
    for name in names:
        part = frame.filter(pl.col("programme") == name)
        diverted = int(part.get_column("diverted").fill_null(0).sum())
        returned = int(part.get_column("returned").fill_null(0).sum())
        cost = float(part.get_column("cost").fill_null(0).sum())
        figures[name] = {
            "diverted": diverted,
            "returned": returned,
            "quarters": part.get_column("quarter").n_unique(),
            "cost": round(cost, 2),
            "cost_per_child": round(cost / (diverted + returned), 2)
            if diverted + returned
            else None,
        }
    return rows(figures, CHILD_KEYS, DERIVED_KEYS)
