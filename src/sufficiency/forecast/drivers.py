"""A scenario built from the council's own registers of what drives its trajectory (issue 19):
the interventions register's children diverted a quarter, and the permanence plans register's
children looked after with a plan that takes them out of care.

- Each programme keeps from care, every quarter of the scenario, the children it diverted a
  quarter over the year ending on the reference date (its diverted total over the quarters it
  reported).
- The children looked after on the reference date with a plan for adoption, special
  guardianship, a child arrangements order or reunification leave care evenly over the
  scenario's period, a ``leaving`` per plan. Their returns home through the programmes are in
  the reunification plans, so the programmes' ``returned`` figures are not added again.

The scenario is a starting point to read and adjust: the baseline's own exits already include
some plans achieved at the past rate.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.forecast.scenarios import Diversion, Leaving, Scenario, quarters
from sufficiency.measures.catalogue import Period
from sufficiency.measures.common import cla_on
from sufficiency.measures.interventions import quarters_in
from sufficiency.measures.permanence_plans import plans_on

#: Plans whose achievement ends a child's care (long-term fostering keeps the child in it).
LEAVING_PLANS = ("adoption", "sgo", "cao", "reunification")


def drivers_scenario(
    ds: Dataset,
    reference_end: dt.date,
    end: dt.date,
    name: str = "registered_drivers",
    year_in_days: float = 365.24,
) -> Scenario:
    """Diversions and leavings from ``reference_end`` + 1 day to ``end`` (see the module)."""
    start = reference_end + dt.timedelta(days=1)
    span = quarters(start, end, year_in_days)
    diversions = []
    frame = quarters_in(ds, Period.year_ending(reference_end))
    if frame is not None:
        per_programme = (
            frame.group_by("programme")
            .agg(
                pl.col("diverted").fill_null(0).sum().alias("diverted"),
                pl.col("quarter").n_unique().alias("quarters"),
            )
            .sort("programme")
        )
        for programme, diverted, reported in per_programme.iter_rows():
            if diverted > 0:
                diversions.append(
                    Diversion(
                        programme=str(programme),
                        per_quarter=diverted / reported,
                        start=start,
                        end=end,
                    )
                )
    leaving = []
    plans = plans_on(ds, reference_end)
    if plans is not None:
        looked_after = plans.join(cla_on(ds, reference_end).select("CHILD"), on="CHILD")
        for plan in LEAVING_PLANS:
            children = looked_after.filter(pl.col("plan") == plan)["CHILD"].n_unique()
            if children:
                leaving.append(
                    Leaving.model_validate(
                        {"plan": plan, "per_quarter": children / span, "start": start, "end": end}
                    )
                )
    return Scenario(
        name=name,
        description=(
            "From the registers: "
            + (
                ", ".join(
                    f"{d.programme} keeps {d.per_quarter:g} a quarter from care" for d in diversions
                )
                or "no programme diverting children"
            )
            + "; "
            + (
                ", ".join(
                    f"{g.per_quarter * span:g} children with {g.plan} plans leave" for g in leaving
                )
                if leaving
                else "no plan taking children out of care"
            )
            + f" by {end.isoformat()}."
        ),
        diversions=tuple(diversions),
        leaving=tuple(leaving),
    )
