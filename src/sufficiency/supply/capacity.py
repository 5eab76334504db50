"""Capacity projection: foster carers by month, in-house beds, contracted places. Pure functions.

Carers: approvals(t) = conversion * sum_k weight_k * enquiries(t - k) (the recruitment lag),
deregistrations(t) = monthly attrition * households(t - 1). Values are expected counts
(floats): "32 enquiries a month should lead to two approvals a month with a time lag of 6-8
months" (Herefordshire) is conversion 2/32 with the lag spread evenly over 6, 7 and 8 months.
In-house children's home beds come from the homes register (a future registered_date is a
planned opening; closed_date ends it); contracted places from the contracts active at the date
by kind: a block contract's places are reserved; a framework contract is a route to buy
placements at its price, whose places count only where its row gives them (``frameworks_on``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from sufficiency.codes import COMMISSIONED_TYPES
from sufficiency.dates import financial_year_expr, year_end
from sufficiency.supply.carers import approvals_between, approved_on, monthly_attrition_rate


def uniform_lag(low: int, high: int) -> dict[int, float]:
    """Lag weights spread evenly over ``low``..``high`` months inclusive ("6-8 months")."""
    n = high - low + 1
    return {k: 1.0 / n for k in range(low, high + 1)}


def parse_lag(text: str | int) -> dict[int, float]:
    """``"6-8"`` -> uniform over 6..8; ``7`` or ``"7"`` -> all at 7 months."""
    if isinstance(text, int):
        return {text: 1.0}
    parts = str(text).replace("–", "-").split("-")
    if len(parts) == 2:
        return uniform_lag(int(parts[0]), int(parts[1]))
    return {int(parts[0]): 1.0}


@dataclass(frozen=True)
class RecruitmentPlan:
    """Parameters of a carer projection.

    ``enquiries`` is a monthly figure, or a mapping from month (first day) to enquiries;
    ``history`` gives enquiries already made before the projection starts (they still turn
    into approvals after the lag).
    """

    enquiries: float | Mapping[dt.date, float] = 0.0
    conversion: float = 0.0
    lag: Mapping[int, float] = field(default_factory=lambda: {0: 1.0})
    attrition_monthly: float = 0.0
    places_per_household: float = 1.0
    history: Mapping[dt.date, float] = field(default_factory=dict)

    def enquiries_in(self, month: dt.date, start: dt.date) -> float:
        if month < start:
            return float(self.history.get(month, 0.0))
        if isinstance(self.enquiries, Mapping):
            return float(self.enquiries.get(month, 0.0))
        return float(self.enquiries)


def add_months(day: dt.date, n: int) -> dt.date:
    """First day of the month ``n`` months after ``day``'s month."""
    idx = day.year * 12 + day.month - 1 + n
    return dt.date(idx // 12, idx % 12 + 1, 1)


def project_carers(
    start: dt.date,
    months: int,
    households: float,
    places: float,
    plan: RecruitmentPlan,
) -> pl.DataFrame:
    """Month-by-month carer households and places from ``start`` (a month) for ``months``.

    ``households``/``places`` are the approved figures just before ``start``. Columns: month
    (first day), enquiries, approvals, deregistrations, households, places (month-end values).
    """
    first = dt.date(start.year, start.month, 1)
    rows: dict[str, list[object]] = {
        k: []
        for k in ("month", "enquiries", "approvals", "deregistrations", "households", "places")
    }
    h, p = float(households), float(places)
    for i in range(months):
        month = add_months(first, i)
        approvals = plan.conversion * sum(
            w * plan.enquiries_in(add_months(month, -k), first) for k, w in plan.lag.items()
        )
        deregs = plan.attrition_monthly * h
        per_leaver = p / h if h else plan.places_per_household
        h = h + approvals - deregs
        p = p + approvals * plan.places_per_household - deregs * per_leaver
        rows["month"].append(month)
        rows["enquiries"].append(plan.enquiries_in(month, first))
        rows["approvals"].append(approvals)
        rows["deregistrations"].append(deregs)
        rows["households"].append(h)
        rows["places"].append(p)
    return pl.DataFrame(
        rows,
        schema={
            "month": pl.Date,
            "enquiries": pl.Float64,
            "approvals": pl.Float64,
            "deregistrations": pl.Float64,
            "households": pl.Float64,
            "places": pl.Float64,
        },
    )


def yearly_from_monthly(projection: pl.DataFrame) -> pl.DataFrame:
    """Financial-year summary of a carer projection: approvals, deregistrations, year-end
    households and places (only years whose March is projected)."""
    with_year = projection.with_columns(financial_year_expr("month").alias("year"))
    return (
        with_year.group_by("year")
        .agg(
            pl.col("approvals").sum(),
            pl.col("deregistrations").sum(),
            pl.col("households").last(),
            pl.col("places").last(),
            (pl.col("month").dt.month() == 3).any().alias("has_march"),
        )
        .filter(pl.col("has_march"))
        .drop("has_march")
        .sort("year")
    )


def plan_from_history(
    carers: pl.DataFrame | None,
    recruitment: pl.DataFrame | None,
    at: dt.date,
    *,
    window_months: int = 24,
) -> RecruitmentPlan:
    """A 'carry on as now' plan from the registers' last ``window_months`` up to ``at``.

    With a recruitment register: mean monthly enquiries, conversion = approvals / enquiries,
    the best-fitting lag (``estimate_lag``) and the last 12 months' enquiries as history.
    Without one: approvals from the carers register at their historic monthly rate, no lag.
    Attrition and places per household come from the carers register.
    """
    from sufficiency.supply.carers import estimate_lag, places_per_household

    window_start = add_months(dt.date(at.year, at.month, 1), -window_months + 1)
    attrition = 0.0
    pph = 1.0
    if carers is not None and carers.height:
        attrition = monthly_attrition_rate(carers, window_start, at)
        pph = places_per_household(carers, at)
    if recruitment is not None and recruitment.height:
        recent = recruitment.filter((pl.col("month") >= window_start) & (pl.col("month") <= at))
        enq = float(recent.get_column("enquiries").fill_null(0).sum())
        app = float(recent.get_column("approvals").fill_null(0).sum())
        n = max(recent.height, 1)
        lag, _ = estimate_lag(recruitment.filter(pl.col("month") <= at))
        history = {
            m: float(e or 0)
            for m, e in recruitment.filter(pl.col("month") <= at)
            .select("month", "enquiries")
            .iter_rows()
        }
        return RecruitmentPlan(
            enquiries=enq / n,
            conversion=app / enq if enq else 0.0,
            lag={lag: 1.0},
            attrition_monthly=attrition,
            places_per_household=pph,
            history=history,
        )
    approvals = 0
    if carers is not None and carers.height:
        approvals = approvals_between(carers, window_start, at).height
    return RecruitmentPlan(
        enquiries=approvals / window_months,
        conversion=1.0,
        lag={0: 1.0},
        attrition_monthly=attrition,
        places_per_household=pph,
    )


# ------------------------------------------------------------------------------ homes, contracts
def homes_open_on(homes: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Homes open on ``day``: registered on or before it (a blank registered_date counts as
    long open; a future one is a planned opening) and not closed on or before it."""
    registered = pl.col("registered_date")
    return homes.filter(
        (registered.is_null() | (registered <= day))
        & (pl.col("closed_date").is_null() | (pl.col("closed_date") > day))
    )


def in_house_beds(homes: pl.DataFrame, day: dt.date) -> int:
    """Registered places of in-house children's homes open on ``day`` (``homes_open_on``)."""
    open_ = homes_open_on(homes, day).filter(pl.col("in_house").fill_null(False))
    return int(open_.get_column("places").fill_null(0).sum())


def contracts_active_on(contracts: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Contracts active on ``day``: start blank or on or before it, end blank or on or after it
    (a contract's end is its last day, unlike an episode's DEC)."""
    return contracts.filter(
        (pl.col("start").is_null() | (pl.col("start") <= day))
        & (pl.col("end").is_null() | (pl.col("end") >= day))
    )


def contract_places(
    contracts: pl.DataFrame, day: dt.date, kinds: Sequence[str] = ("block", "framework")
) -> dict[str, int]:
    """Places reserved by contracts of ``kinds`` active on ``day``, by placement type (a
    framework row with no places reserves none)."""
    active = contracts_active_on(contracts, day).filter(
        pl.col("kind").is_in(list(kinds)) & (pl.col("places").fill_null(0) > 0)
    )
    grouped = active.group_by("placement_type").agg(pl.col("places").sum())
    return {str(t): int(n) for t, n in grouped.sort("placement_type").iter_rows()}


@dataclass(frozen=True)
class Framework:
    """Placements of a type bought through framework contracts active on a day: the mean
    weekly price, and the places the rows give (None when no row gives any)."""

    weekly_price: float | None
    places: int | None


def frameworks_on(contracts: pl.DataFrame | None, day: dt.date) -> dict[str, Framework]:
    """Framework contracts active on ``day``, by placement type."""
    if contracts is None or not contracts.height:
        return {}
    active = contracts_active_on(contracts, day).filter(pl.col("kind") == "framework")
    grouped = active.group_by("placement_type").agg(
        pl.col("weekly_price").mean().alias("price"),
        pl.col("places").filter(pl.col("places") > 0).sum().alias("places"),
        (pl.col("places") > 0).any().alias("given"),
    )
    return {
        str(t): Framework(
            None if price is None else round(float(price), 2), int(places) if given else None
        )
        for t, price, places, given in grouped.sort("placement_type").iter_rows()
    }


#: Approval types whose places count as in-house fostering capacity (kinship is child-specific
#: and short breaks serve children not looked after full-time).
FOSTERING_APPROVALS = ("mainstream", "emergency", "parent_and_child", "supported_lodgings")


def fostering_households(carers: pl.DataFrame) -> pl.DataFrame:
    """Households whose approvals include a full-time fostering type (or that list none)."""
    types = pl.col("approval_types")
    return carers.filter(
        types.is_null()
        | (types.list.len() == 0)
        | types.list.eval(pl.element().is_in(list(FOSTERING_APPROVALS))).list.any()
    )


#: The registers ``capacity_by_year`` reads, and the placement types whose capacity each gives:
#: carer places, in-house home beds, contracted places of the other commissioned types. The same
#: three as the statement's check that any supply register is supplied (report.sources).
CAPACITY_REGISTERS: dict[str, tuple[str, ...]] = {
    "carers": ("in_house_fostering",),
    "homes": ("in_house_residential",),
    "contracts": tuple(
        t for t in COMMISSIONED_TYPES if t not in ("in_house_fostering", "in_house_residential")
    ),
}


def capacity_not_supplied(registers: Mapping[str, pl.DataFrame]) -> dict[str, str]:
    """Placement type -> the capacity register giving it that was not supplied: its capacity is
    not known, and ``capacity_by_year`` reads it as 0 (a register with no rows is supplied: the
    council has none)."""
    return {
        t: name
        for name, types in CAPACITY_REGISTERS.items()
        if registers.get(name) is None
        for t in types
    }


def capacity_by_year(
    registers: Mapping[str, pl.DataFrame],
    years: Sequence[int],
    at: dt.date,
    plan: RecruitmentPlan | None = None,
    *,
    contract_kinds: Sequence[str] = ("block", "framework"),
) -> dict[int, dict[str, float]]:
    """Projected capacity at 31 March of each year, by placement type.

    in_house_fostering = carer places from the projection (``plan`` or one from history);
    in_house_residential = in-house home beds; every type also gets the places of contracts of
    ``contract_kinds`` active at year end (block places; framework places only where the row
    gives them).
    """
    carers = registers.get("carers")
    homes = registers.get("homes")
    contracts = registers.get("contracts")
    out: dict[int, dict[str, float]] = {y: {} for y in years}
    if carers is not None and carers.height and years:
        fostering = fostering_households(carers)
        on = approved_on(fostering, at)
        h0, p0 = on.height, float(on.get_column("places").fill_null(0).sum())
        use = plan or plan_from_history(fostering, registers.get("recruitment"), at)
        first = add_months(dt.date(at.year, at.month, 1), 1)
        months = (max(years) - first.year) * 12 + 3 - first.month + 1
        if months > 0:
            proj = yearly_from_monthly(project_carers(first, months, h0, p0, use))
            by_year = dict(
                zip(
                    proj.get_column("year").to_list(),
                    proj.get_column("places").to_list(),
                    strict=True,
                )
            )
        else:
            by_year = {}
        for y in years:
            out[y]["in_house_fostering"] = float(by_year.get(y, p0))
    for y in years:
        day = year_end(y)
        if homes is not None and homes.height:
            out[y]["in_house_residential"] = float(in_house_beds(homes, day))
        if contracts is not None and contracts.height:
            for t, n in contract_places(contracts, day, contract_kinds).items():
                out[y][t] = out[y].get(t, 0.0) + n
    return out
