"""Overnight short breaks for disabled children (issue 19): assessed demand against agreed and
available nights by type, unmet need, unit cost and cost; the provision itself.

Demand is the disabled children register (each child's assessed package); supply the
short-break provision register. Children on short breaks in the returns (V3/V4) stay counted by
``short_breaks_count`` and ``short_break_nights``.
"""

from __future__ import annotations

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.catalogue import Period, Value, measure
from sufficiency.measures.nested import rows
from sufficiency.schema.duty import SHORT_BREAK_TYPES

THEME = "short_breaks"
CHILD_KEYS = ("children_assessed", "children_agreed", "children_unmet")
DERIVED_KEYS = ("nights_assessed", "nights_agreed", "nights_unmet", "cost_of_agreed")


def _unit_costs(provision: pl.DataFrame | None) -> dict[str, tuple[int, float | None]]:
    """Nights available and the night's unit cost (weighted by nights available) by type."""
    if provision is None:
        return {}
    out: dict[str, tuple[int, float | None]] = {}
    for kind, part in provision.partition_by(
        "short_break_type", as_dict=True, include_key=False
    ).items():
        nights = int(part.get_column("nights_available").sum())
        costed = part.filter(pl.col("unit_cost").is_not_null())
        weight = float(costed.get_column("nights_available").sum())
        cost = (
            round(float((costed["unit_cost"] * costed["nights_available"]).sum()) / weight, 2)
            if weight
            else (float(costed["unit_cost"].mean()) if costed.height else None)  # type: ignore[arg-type]
        )
        out[str(kind[0])] = (nights, cost)
    return out


def assessed(disabled: pl.DataFrame) -> pl.DataFrame:
    """The disabled children register's children assessed for overnight short breaks."""
    return disabled.filter(pl.col("nights_assessed").fill_null(0) > 0)


def nights_agreed() -> pl.Expr:
    """A package's nights agreed (blank: none; 0: the need is unmet)."""
    return pl.col("nights_agreed").fill_null(0)


def _packages(disabled: pl.DataFrame, kind: str) -> dict[str, int]:
    """Children and nights assessed, agreed and unmet for short breaks of ``kind``."""
    part = assessed(disabled).filter(pl.col("short_break_type") == kind)
    agreed = nights_agreed()
    return {
        "children_assessed": part.height,
        "nights_assessed": int(part.get_column("nights_assessed").sum()),
        "children_agreed": part.filter(agreed > 0).height,
        "nights_agreed": int(part.select(agreed.sum()).item()),
        "children_unmet": part.filter(agreed == 0).height,
        "nights_unmet": int(
            part.select((pl.col("nights_assessed") - agreed).clip(lower_bound=0).sum()).item()
        ),
    }


@measure(
    "short_breaks_demand_supply",
    title="Overnight short breaks: nights assessed, agreed and available by type",
    theme=THEME,
    unit="number",
    definition=(
        "For each kind of overnight short break (foster, residential): children in the disabled "
        "children register with an assessed package of that kind and their nights a year "
        "(children_assessed, nights_assessed); those a provider has agreed to deliver "
        "(children_agreed, nights_agreed: agreed nights above 0); those whose need is unmet "
        "(children_unmet: no nights agreed; nights_unmet: assessed less agreed nights, "
        "partly met packages included); nights a year the short-break provision register "
        "offers (nights_available); the unit cost of a night (the provision's unit costs "
        "weighted by the nights each offers) and the cost of the agreed nights at it "
        "(cost_of_agreed = nights_agreed x unit_cost). Nights and cost are hidden with the "
        "children they belong to."
    ),
    source="disabled children and short-break provision registers",
    keys=SHORT_BREAK_TYPES,
    child_keys=CHILD_KEYS,
    derived_keys=DERIVED_KEYS,
)
def short_breaks_demand_supply(ds: Dataset, period: Period) -> Value:
    disabled = ds.register("disabled_children")
    provision = ds.register("short_break_provision")
    if disabled is None and provision is None:
        return None
    costs = _unit_costs(provision)
    figures = {}
    for kind in SHORT_BREAK_TYPES:
        row: dict[str, int | float | None] = dict(
            _packages(disabled, kind) if disabled is not None else dict.fromkeys(CHILD_KEYS)
        )
        available, unit_cost = costs.get(kind, (0, None))
        row["nights_available"] = available if provision is not None else None
        row["unit_cost"] = unit_cost
        agreed = row.get("nights_agreed")
        row["cost_of_agreed"] = (
            round(float(agreed) * unit_cost, 2)
            if isinstance(agreed, int) and unit_cost is not None
            else None
        )
        figures[kind] = row
    return rows(figures, CHILD_KEYS, DERIVED_KEYS)


@measure(
    "short_break_provision",
    title="Overnight short-break provision",
    theme=THEME,
    unit="number",
    suppress=False,
    definition=(
        "The short-break provision register: providers, those inside and outside the council's "
        "area, emergency beds (for stays of up to six weeks), foster carer households and "
        "residential beds, and nights a year available by type."
    ),
    source="short-break provision register",
)
def short_break_provision(ds: Dataset, period: Period) -> Value:
    provision = ds.register("short_break_provision")
    if provision is None:
        return None
    in_area = pl.col("in_area").fill_null(False)
    nights = _unit_costs(provision)
    return {
        "providers": provision.get_column("provider").n_unique(),
        "in_area": provision.filter(in_area).height,
        "out_of_area": provision.filter(~in_area).height,
        "emergency_beds": provision.filter(pl.col("emergency_bed").fill_null(False)).height,
        "households": int(provision.get_column("households").fill_null(0).sum()),
        "beds": int(provision.get_column("beds").fill_null(0).sum()),
        **{f"nights_available_{k}": nights.get(k, (0, None))[0] for k in SHORT_BREAK_TYPES},
    }


#: Years ahead the short-break forecast shows (the forecast's default horizon, 36 months).
FORECAST_YEARS = 3


def population_factor(ds: Dataset, base_year: int, year: int) -> float:
    """The under-18 population of ``year`` over that of ``base_year`` (1 when either is
    unknown: demand is then held at today's)."""
    base, later = ds.population_under_18(base_year), ds.population_under_18(year)
    return later / base if base and later else 1.0


def nights_forecast(
    ds: Dataset, period: Period, years: int = FORECAST_YEARS, growth: float = 0.0
) -> dict[str, dict[str, int | float | None]] | None:
    """Short-break nights by type at each of the next ``years`` 31 Marches: demand (nights
    assessed today, scaled by the under-18 population and ``growth`` a year), supply (nights
    available) and the shortfall; None without either register."""
    disabled = ds.register("disabled_children")
    provision = ds.register("short_break_provision")
    if disabled is None and provision is None:
        return None
    available = _unit_costs(provision)
    out: dict[str, dict[str, int | float | None]] = {}
    for kind in SHORT_BREAK_TYPES:
        package = _packages(disabled, kind) if disabled is not None else None
        supply = available.get(kind, (0, None))[0] if provision is not None else None
        row: dict[str, int | float | None] = {
            "children_assessed": None if package is None else package["children_assessed"],
            "nights_assessed": None if package is None else package["nights_assessed"],
            "nights_available": supply,
        }
        for k in range(1, years + 1):
            year = period.end.year + k
            demand = None
            if package is not None:
                scale = population_factor(ds, period.end.year, year) * (1 + growth) ** k
                demand = round(package["nights_assessed"] * scale, 1)
            row[f"demand_{year}"] = demand
            row[f"shortfall_{year}"] = (
                None if demand is None or supply is None else round(max(demand - supply, 0.0), 1)
            )
        out[kind] = row
    return out


@measure(
    "short_break_nights_forecast",
    title="Overnight short breaks: nights needed and available by type, the next three years",
    theme=THEME,
    unit="number",
    definition=(
        "For each kind of overnight short break (foster, residential) and each of the next "
        "three 31 Marches: nights a year needed (demand_YEAR: the nights assessed in the "
        "disabled children register today, nights_assessed, scaled by the under-18 "
        "population of that year over this year's; held level when the population is not "
        "known), nights a year the short-break provision register offers (nights_available, "
        "held at today's) and the shortfall (shortfall_YEAR: demand less supply, 0 when "
        "supply covers it). A forecast scenario's population_growth scales demand further "
        "(the forecast JSON's short_breaks). Nights are hidden with the children they "
        "belong to."
    ),
    source="disabled children and short-break provision registers, under-18 population",
    keys=SHORT_BREAK_TYPES,
    child_keys=("children_assessed",),
)
def short_break_nights_forecast(ds: Dataset, period: Period) -> Value:
    figures = nights_forecast(ds, period)
    if figures is None:
        return None
    derived = tuple(k for row in figures.values() for k in row if k != "children_assessed")
    return rows(
        figures,
        ("children_assessed",),
        tuple(k for k in dict.fromkeys(derived) if k != "nights_available"),
    )
