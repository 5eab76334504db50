"""Regional forecast, gap and block contract (issue 21).

Each council's baseline forecast comes from ``forecast.sweep_councils`` (in this process, or on
a dask.distributed cluster with ``scheduler``: the same code); the region's need is the sum of
the councils' expected children by placement type at each 31 March (expectations add; bands do
not, so none is given for the region, and the councils' forecasts leave out the spread of their
fitted rates: ``parameter_uncertainty=False`` gives the same means to the bit, without the 64
draws of the rates that were most of a council's forecast time). The regional gap is
``supply.gap.compute_gap`` over the summed need and summed capacity (``supply.capacity``), priced by the councils' costs registers
together (``unit_costs``: rows of the same type and year averaged); a type's shortfall is bought
through a framework where every member buys the type through one (``regional_frameworks``). A
block contract of N places is priced against buying the same places spot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import year_end
from sufficiency.forecast import sweep_councils
from sufficiency.forecast.scenarios import Scenario
from sufficiency.measures.unit_costs import WEEKS_PER_YEAR, costs_by_type
from sufficiency.region.config import BlockContract
from sufficiency.supply.capacity import Framework, capacity_by_year, frameworks_on
from sufficiency.supply.gap import GapResult, compute_gap

Need = dict[int, dict[str, float]]


def need_from_forecast(doc: Mapping[str, Any], scenario: str = "baseline") -> Need:
    """Expected children per category at each 31 March of a ``forecast --json`` document."""
    yearly = doc["scenarios"][scenario]["yearly"]
    return {
        int(p["year"]): {c: float(b["mean"]) for c, b in p["by_category"].items()} for p in yearly
    }


def summed(needs: Sequence[Need]) -> Need:
    """Needs added year by year and type by type."""
    out: Need = {}
    for need in needs:
        for year, by_type in need.items():
            row = out.setdefault(year, {})
            for t, n in by_type.items():
                row[t] = round(row.get(t, 0.0) + n, 4)
    return out


def regional_costs(councils: Mapping[str, Dataset]) -> pl.DataFrame | None:
    """The councils' costs registers as one (``unit_costs`` averages rows of one key and year)."""
    frames = [f for ds in councils.values() if (f := ds.register("costs")) is not None]
    return pl.concat(frames, how="diagonal_relaxed") if frames else None


def regional_frameworks(
    councils: Mapping[str, Dataset], years: Sequence[int]
) -> tuple[dict[int, dict[str, Framework]], list[str]]:
    """The frameworks of the regional gap at each 31 March of ``years``: a type every member
    buys through a framework (``supply.capacity.frameworks_on``, as each council's own gap
    reads it), over the members' contracts registers together (the mean weekly price of their
    rows); and a warning for each type only some members buy through one (bought spot here)."""
    frames = [f for ds in councils.values() if (f := ds.register("contracts")) is not None]
    together = pl.concat(frames, how="diagonal_relaxed") if frames else None
    out: dict[int, dict[str, Framework]] = {}
    partly: dict[str, list[str]] = {}
    for y in years:
        day = year_end(y)
        members = {
            code: frameworks_on(ds.register("contracts"), day) for code, ds in councils.items()
        }
        out[y] = {}
        for t, deal in frameworks_on(together, day).items():
            buying = [code for code, deals in members.items() if t in deals]
            if len(buying) == len(members):
                out[y][t] = deal
            elif t not in partly:
                partly[t] = buying
    warnings = [
        f"{t}: only {', '.join(codes)} of the members buy through a framework; the regional "
        "gap counts its places short as bought spot"
        for t, codes in sorted(partly.items())
    ]
    return out, warnings


@dataclass(frozen=True)
class BlockSaving:
    """What a regional block contract of ``places`` would save against spot purchase."""

    placement_type: str
    places: int
    block_weekly: float | None
    by_year: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "placement_type": self.placement_type,
            "places": self.places,
            "block_weekly_price": self.block_weekly,
            "years": self.by_year,
        }


def block_price(councils: Mapping[str, Dataset], placement_type: str) -> float | None:
    """The mean weekly price of the councils' block contracts of a type (None if none)."""
    prices: list[float] = []
    for ds in councils.values():
        contracts = ds.register("contracts")
        if contracts is None:
            continue
        rows = contracts.filter(
            (pl.col("kind") == "block") & (pl.col("placement_type") == placement_type)
        )
        prices += [float(p) for p in rows.get_column("weekly_price").drop_nulls().to_list()]
    return round(sum(prices) / len(prices), 2) if prices else None


def block_saving(
    contract: BlockContract, gap: GapResult, costs: pl.DataFrame | None, price: float | None
) -> BlockSaving:
    """Each year: the places the gap would fill from the block (at most N), their spot cost,
    the block's cost (all N places, used or not) and the saving (spot minus block)."""
    t = contract.placement_type
    weekly = contract.weekly_price if contract.weekly_price is not None else price
    years = []
    for y in gap.years:
        cell = y.by_type.get(t)
        shortfall = 0.0 if cell is None else cell.shortfall
        used = min(float(contract.places), shortfall)
        spot = costs_by_type(costs, y.year).get(t)
        spot_cost = None if spot is None else used * spot * WEEKS_PER_YEAR
        block_cost = None if weekly is None else contract.places * weekly * WEEKS_PER_YEAR
        saving = None if spot_cost is None or block_cost is None else spot_cost - block_cost
        years.append(
            {
                "year": y.year,
                "shortfall": round(shortfall, 1),
                "places_used": round(used, 1),
                "spot_weekly_price": spot,
                "spot_cost": None if spot_cost is None else round(spot_cost),
                "block_cost": None if block_cost is None else round(block_cost),
                "saving": None if saving is None else round(saving),
            }
        )
    return BlockSaving(t, contract.places, weekly, years)


@dataclass(frozen=True)
class Outlook:
    """Forecast need per council and for the region, the regional gap and a block's saving."""

    needs: dict[str, Need]
    region_need: Need
    gap: GapResult
    block: BlockSaving | None
    #: The region's need under each scenario of the sweep beside the baseline (summed means).
    scenarios: dict[str, Need] = field(default_factory=dict)
    #: The scenarios swept (what each changes: a published run withholds one that acts on a
    #: count no output publishes, ``Scenario.acts_on_counts``).
    plans: tuple[Scenario, ...] = ()

    def to_json(self) -> dict[str, Any]:
        def need_json(need: Need) -> dict[str, Any]:
            return {
                str(y): {t: round(n, 1) for t, n in sorted(v.items())}
                for y, v in sorted(need.items())
            }

        return {
            "need": {
                "region": need_json(self.region_need),
                "councils": {c: need_json(n) for c, n in self.needs.items()},
            },
            "gap": self.gap.to_json(),
            "block_contract": None if self.block is None else self.block.to_json(),
            "scenarios": {name: need_json(n) for name, n in self.scenarios.items()},
        }


def regional_outlook(
    councils: Mapping[str, Dataset],
    *,
    horizon_months: int = 36,
    scheduler: str | None = None,
    block: BlockContract | None = None,
    scenarios: Sequence[Scenario] = (),
    as_at: dt.date | None = None,
) -> Outlook:
    """Forecast every council (on ``scheduler`` when given) under the baseline and each of
    ``scenarios`` (the sweep), as made on ``as_at`` (the region's day: from there, not from
    later returns, as its figures are protected by that day's counts), the regional gap
    (baseline), the block."""
    docs = sweep_councils(
        dict(councils),
        scheduler=scheduler,
        horizon_months=horizon_months,
        scenarios=list(scenarios),
        parameter_uncertainty=False,  # only the means are read: the same without the draws
        as_at=as_at,
    )
    needs = {code: need_from_forecast(doc) for code, doc in docs.items()}
    swept = {
        s.name: summed([need_from_forecast(doc, s.name) for doc in docs.values()])
        for s in scenarios
        if s.name != "baseline"
    }
    region_need = summed(list(needs.values()))
    years = sorted(region_need)
    capacity = summed(
        [capacity_by_year(ds.registers, years, ds.last_date) for ds in councils.values()]
    )
    costs = regional_costs(councils)
    frameworks, notes = regional_frameworks(councils, years)
    gap = compute_gap(
        region_need, capacity, costs=costs, need_source="forecast", frameworks=frameworks
    )
    gap.warnings.extend(notes)
    saving = None
    if block is not None:
        saving = block_saving(block, gap, costs, block_price(councils, block.placement_type))
    return Outlook(needs, region_need, gap, saving, swept, tuple(scenarios))
