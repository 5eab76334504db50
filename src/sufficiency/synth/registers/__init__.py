"""Registers for the synthetic council, consistent with its simulated placements.

Foster carers are the households the simulation placed children with (occupancy on the as-of date
is the count of their open placements), children's homes and supported accommodation are the
settings it used (plus unused homes inside the council), adopters are the adoptive placements,
recruitment counts the carers' approvals and resignations by month. Costs, contracts, vacancies,
referrals, actions, targets and population complete the DATA folder (DESIGN.md "Registers").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sufficiency.schema import register_frame
from sufficiency.synth.daynumbers import days
from sufficiency.synth.registers.adopters import build_adopters
from sufficiency.synth.registers.carers import build_carers, build_recruitment
from sufficiency.synth.registers.costs import build_contracts, build_costs
from sufficiency.synth.registers.homes import build_homes, build_supported
from sufficiency.synth.registers.plans import build_actions, build_targets
from sufficiency.synth.registers.referrals import build_referrals
from sufficiency.synth.registers.vacancies import build_vacancies
from sufficiency.synth.simulate import Simulation

__all__ = ["build_registers"]


def build_registers(
    sim: Simulation,
    as_of: dt.date,
    years: list[int],
    population: dict[int, int],
    seed: int,
    la_code: str,
    la_name: str,
) -> dict[str, pl.DataFrame]:
    """Every register as its typed frame (``schema.register_frame``), ready for a Dataset or
    ``ingest.registers.write_register``."""
    rng = np.random.default_rng(seed + 7919)
    end = days(as_of)
    carers = build_carers(sim, end, rng)
    homes = build_homes(sim, end, rng, la_code, la_name)
    settings = build_supported(sim, end, rng)
    referrals, outcomes = build_referrals(sim, end, rng)
    return {
        "carers": carers,
        "homes": homes,
        "supported_accommodation": settings,
        "vacancies": build_vacancies(sim, carers, homes, settings, end, rng),
        "contracts": build_contracts(years, _region(la_code), settings),
        "costs": build_costs(years),
        "recruitment": build_recruitment(carers, end, rng),
        "adopters": build_adopters(sim, end, rng),
        "referrals": referrals,
        "outcomes": outcomes,
        "actions": build_actions(as_of),
        "targets": build_targets(as_of),
        "population": register_frame(
            "population",
            [{"year": y, "population_under_18": n} for y, n in population.items()],
        ),
    }


def _region(la_code: str) -> str:
    """The council's region by name ("Regional" for a code no council has)."""
    from sufficiency import published

    try:
        return published.resolve_la(la_code).region_name
    except published.UnknownArea:
        return "Regional"
