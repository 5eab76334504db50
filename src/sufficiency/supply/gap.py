"""The sufficiency gap: need minus capacity per year and placement type, and its cost.

need (children expected in each placement type at 31 March of each year: from the forecast
when given, else a plain mapping or the trend of the council's own returns), adjusted by a
scenario's planned moves, minus projected capacity (in-house carers and homes, block contract
places, framework places where a contract row gives them, scenario capacity changes) =
shortfall, the places that must be bought: through a framework where one is active for the type
at the year end (``framework``, at its ``framework_weekly_price``), else spot-purchased. ``spare``
is capacity beyond need: in in-house types, a chance to bring children home from external
placements.
shortfall_cost = shortfall x the price it is bought at x 52 weeks: the framework's weekly price
where the shortfall is bought through a framework that gives one, else the weekly cost of the type
in that year (``unit_costs.RULE``; in-house types are priced at their external alternative:
in-house fostering at IFA, in-house homes at external residential); ``priced_at`` names which.
Where a scenario moves more children into a type than it has spare places, the cell is flagged
``moves_exceed_capacity``.
``gap_with_need`` takes a year the returns cover (its 31 March is a return's last day) from the
children counted that day (``cla_by_placement_type``), never a forecast or trend of it; each
year's ``need_source`` says where its need came from ("counted", "forecast", "trend", ...).
A scenario's gap (``scenario_gap``: the statement's and ``sufficiency gap --scenario``'s one rule)
takes need from that scenario's forecast, its capacity and recruitment changes on top.
``gap_with_need`` (``sufficiency gap``) adds the two demand streams inside the placement types,
unaccompanied children and children under a deprivation-of-liberty order, projected to each
31 March of the gap under the scenario's ``uasc`` and ``dolo`` assumptions as the forecast
projects them (``forecast.streams``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sufficiency.codes import COMMISSIONED_TYPES, PLACEMENT_TYPES
from sufficiency.dates import financial_year, year_end
from sufficiency.forecast.scenarios import AnnualRate, DoloAssumption, UascAssumption
from sufficiency.measures.common import cla_on
from sufficiency.measures.unit_costs import WEEKS_PER_YEAR, costs_by_type
from sufficiency.supply.capacity import (
    Framework,
    RecruitmentPlan,
    capacity_by_year,
    capacity_not_supplied,
    frameworks_on,
    parse_lag,
)

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.forecast.scenarios import Scenario

Need = Mapping[int, Mapping[str, float]]

#: A shortfall of an in-house type is bought as its external alternative.
EXTERNAL_EQUIVALENT: dict[str, str] = {
    "in_house_fostering": "ifa",
    "in_house_residential": "external_residential",
}


# ------------------------------------------------------------------------------ scenario
class Move(BaseModel):
    """Children moved from one placement type to another during a year (permanent).

    Also accepts the forecast's move syntax ``{from, to, number, start, end}``: the move lands
    in the financial year of ``end``.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)
    year: int
    from_type: str = Field(alias="from")
    to_type: str = Field(alias="to")
    children: float = Field(gt=0)

    @model_validator(mode="before")
    @classmethod
    def _forecast_syntax(cls, data: Any) -> Any:
        if isinstance(data, dict) and "number" in data and "children" not in data:
            out = {k: v for k, v in data.items() if k not in ("number", "start", "end", "age")}
            out["children"] = data["number"]
            end = data.get("end") or data.get("start")
            if "year" not in out and end is not None:
                day = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end))
                out["year"] = financial_year(day)
            return out
        return data

    @field_validator("from_type", "to_type")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in PLACEMENT_TYPES:
            raise ValueError(f"unknown placement type '{v}'")
        return v


class CapacityChange(BaseModel):
    """Places added (or removed, negative) to a type from a year onwards."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    year: int
    type: str
    places: float
    households: float | None = None
    note: str = ""

    @field_validator("type")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in PLACEMENT_TYPES:
            raise ValueError(f"unknown placement type '{v}'")
        return v


class RecruitmentSettings(BaseModel):
    """Carer recruitment assumptions replacing the history-based plan."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    enquiries_per_month: float = Field(ge=0)
    conversion: float = Field(ge=0, le=1)
    lag_months: str | int = "6-8"
    attrition_monthly: float | None = Field(default=None, ge=0, le=1)
    places_per_household: float | None = Field(default=None, gt=0)


class GapScenario(BaseModel):
    """A gap scenario (YAML or JSON). The forecast's own keys are accepted and not applied
    here (one file serves both commands); any other key is a mistake and is refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str = "baseline"
    description: str = ""
    entry_rate_target: dict[str, Any] | None = None
    population_growth: AnnualRate = 0.0
    moves: list[Move] = Field(default_factory=list)
    capacity: list[CapacityChange] = Field(default_factory=list)
    recruitment: RecruitmentSettings | None = None
    need: dict[int, dict[str, float]] | None = None
    #: Forecast-only adjustments seen in the file (not applied to the gap's need).
    rates: list[Any] = Field(default_factory=list)
    entries: list[Any] = Field(default_factory=list)
    diversions: list[Any] = Field(default_factory=list)
    leaving: list[Any] = Field(default_factory=list)
    #: The demand streams' assumptions (``forecast.streams``), applied to the gap's streams.
    uasc: UascAssumption | None = None
    dolo: DoloAssumption | None = None


def _scenario_mapping(path: Path) -> dict[str, Any]:
    """The mapping a scenario file (.yaml/.yml/.json) holds, named by the file's stem when it
    names itself nothing; raises ValueError with a clear message."""
    import json

    import yaml

    from sufficiency.strict_load import DuplicateKeyError, load_text

    try:
        text = path.read_text(encoding="utf-8")
        data = load_text(text, path.suffix.lower() == ".json")
    except DuplicateKeyError as exc:
        raise ValueError(f"{path}: {exc}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read scenario: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a scenario is a mapping with name, moves, capacity, ...")
    data.setdefault("name", path.stem)
    return data


def load_scenario(path: Path) -> GapScenario:
    """Read a scenario file (.yaml/.yml/.json); raises ValueError with a clear message."""
    from pydantic import ValidationError

    data = _scenario_mapping(path)
    try:
        return GapScenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        if err["type"] == "extra_forbidden" and len(err["loc"]) == 1:
            known = ", ".join(GapScenario.model_fields)
            raise ValueError(f"{path}: unknown key '{where}' (expected some of: {known})") from exc
        raise ValueError(f"{path}: {where}: {err['msg']}") from exc


def forecast_plan(path: Path, settings: GapScenario) -> Scenario | None:
    """The forecast scenario the file of ``settings`` holds (as the statement reads it), or
    None for a gap-only file the forecast cannot read (moves by year, need given) that changes
    nothing a forecast would. Raises ValueError (the forecast's message) for a file whose
    rate, entry, diversion or leaving changes the forecast refuses: never silently dropped."""
    from sufficiency.forecast.scenarios import ScenarioError, scenario_from_mapping

    try:
        return scenario_from_mapping(_scenario_mapping(path), str(path))
    except ScenarioError as exc:
        changes = (settings.rates, settings.entries, settings.diversions, settings.leaving)
        if any(changes) or settings.entry_rate_target or settings.population_growth:
            raise ValueError(str(exc)) from exc
        return None


# ------------------------------------------------------------------------------ results
@dataclass
class GapCell:
    """Gap of one placement type in one year."""

    need: float
    capacity: float
    shortfall: float
    shortfall_cost: float | None
    weekly_cost: float | None = None
    spare: float = 0.0
    moves_in: float = 0.0
    moves_out: float = 0.0
    spare_before_moves: float | None = None
    moves_exceed_capacity: bool = False
    #: A framework contract for the type is active at the year end: the shortfall is bought
    #: through it, at its mean weekly price.
    framework: bool = False
    framework_weekly_price: float | None = None
    #: The field whose weekly price ``shortfall_cost`` is at: "framework_weekly_price" (bought
    #: through a framework that gives a price) or "weekly_cost"; None when it has no cost.
    priced_at: str | None = None
    #: Why the type's capacity is not known (its register not supplied, so read as 0), e.g.
    #: "registers/carers.csv not supplied"; None when it is.
    capacity_unknown: str | None = None

    @property
    def capacity_note(self) -> str | None:
        """The note "capacity not known: <why>" when the capacity was read as 0 for want of a
        register (None when it is known)."""
        return (
            None
            if self.capacity_unknown is None
            else f"capacity not known: {self.capacity_unknown}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "need": _num(self.need),
            "capacity": _num(self.capacity),
            "shortfall": _num(self.shortfall),
            "shortfall_cost": None if self.shortfall_cost is None else round(self.shortfall_cost),
            "weekly_cost": self.weekly_cost,
            "spare": _num(self.spare),
            "moves_in": _num(self.moves_in),
            "moves_out": _num(self.moves_out),
            "spare_before_moves": None
            if self.spare_before_moves is None
            else _num(self.spare_before_moves),
            "moves_exceed_capacity": self.moves_exceed_capacity,
            "framework": self.framework,
            "framework_weekly_price": self.framework_weekly_price,
            "priced_at": self.priced_at,
            "capacity_known": self.capacity_unknown is None,
            "capacity_note": self.capacity_note,
        }


def _num(x: float) -> float | int:
    r = round(x, 1)
    return int(r) if r == int(r) else r


@dataclass
class GapYear:
    year: int
    by_type: dict[str, GapCell] = field(default_factory=dict)
    #: Where this year's need came from when it differs from the result's ``need_source``
    #: (e.g. "counted" for a year the returns cover).
    need_source: str | None = None

    @property
    def total_shortfall_cost(self) -> float:
        return sum(c.shortfall_cost or 0.0 for c in self.by_type.values())


@dataclass
class GapResult:
    """The gap for one scenario (DESIGN.md ``gap --json``)."""

    scenario: str
    years: list[GapYear]
    need_source: str = "mapping"
    warnings: list[str] = field(default_factory=list)
    #: The two demand streams inside the placement types (unaccompanied children, children
    #: under a deprivation-of-liberty order) at each year's 31 March (``gap_streams``).
    streams: dict[str, Any] | None = None

    def cell(self, year: int, type_: str) -> GapCell:
        for y in self.years:
            if y.year == year:
                return y.by_type[type_]
        raise KeyError(year)

    def headlines(self) -> list[str]:
        """One sentence per year and type with a shortfall, e.g. "2023-24: shortfall of 8
        places in in_house_fostering (planned moves exceed capacity)". A type whose capacity is
        not known gives its need and why instead (no shortfall claimed against unknown capacity)."""
        out = []
        for y in self.years:
            for t, c in y.by_type.items():
                if c.shortfall <= 0:
                    continue
                label = f"{y.year - 1}-{y.year % 100:02d}"
                if c.capacity_note is not None:
                    wanted = _num(c.need)
                    out.append(
                        f"{label}: need of {wanted} place{'s' if wanted != 1 else ''} in {t}; "
                        f"{c.capacity_note}"
                    )
                    continue
                n = _num(c.shortfall)
                text = f"{label}: shortfall of {n} place{'s' if n != 1 else ''} in {t}"
                if c.shortfall_cost is not None:
                    how = "through the framework" if c.framework else "to spot-purchase"
                    text += f" (£{c.shortfall_cost:,.0f} a year {how})"
                if c.moves_exceed_capacity:
                    text += "; planned moves exceed capacity"
                out.append(text)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "years": [
                {
                    "year": y.year,
                    "need_source": y.need_source or self.need_source,
                    "by_type": {t: c.to_json() for t, c in y.by_type.items()},
                    "total_shortfall": _num(sum(c.shortfall for c in y.by_type.values())),
                    "total_shortfall_cost": round(y.total_shortfall_cost),
                    "moves_exceed_capacity": [
                        t for t, c in y.by_type.items() if c.moves_exceed_capacity
                    ],
                    "capacity_not_known": [
                        t for t, c in y.by_type.items() if c.capacity_unknown is not None
                    ],
                }
                for y in self.years
            ],
            "need_source": self.need_source,
            "headlines": self.headlines(),
            "warnings": self.warnings,
            "streams": self.streams,
        }


# ------------------------------------------------------------------------------ arithmetic
def apply_moves(
    need: Need, moves: Sequence[Move]
) -> tuple[
    dict[int, dict[str, float]], dict[int, dict[str, float]], dict[int, dict[str, float]], list[str]
]:
    """Need after planned moves (moves last: a move in year Y counts in Y and later years).

    Returns (need, moved in that year by type, moved out that year by type, warnings).
    """
    years = sorted(need)
    out = {y: dict(need[y]) for y in years}
    moved_in: dict[int, dict[str, float]] = {y: {} for y in years}
    moved_out: dict[int, dict[str, float]] = {y: {} for y in years}
    warnings: list[str] = []
    for m in sorted(moves, key=lambda m: m.year):
        if m.year in moved_in:
            moved_in[m.year][m.to_type] = moved_in[m.year].get(m.to_type, 0.0) + m.children
            moved_out[m.year][m.from_type] = moved_out[m.year].get(m.from_type, 0.0) + m.children
        for y in years:
            if y < m.year:
                continue
            have = out[y].get(m.from_type, 0.0)
            if have < m.children and y == max(m.year, years[0]):
                warnings.append(
                    f"{y}: moving {_num(m.children)} children out of {m.from_type} "
                    f"but need there is only {_num(have)}; clamped at 0"
                )
            out[y][m.from_type] = max(have - m.children, 0.0)
            out[y][m.to_type] = out[y].get(m.to_type, 0.0) + m.children
    return out, moved_in, moved_out, warnings


def compute_gap(
    need: Need,
    capacity: Need,
    *,
    costs: pl.DataFrame | None = None,
    scenario: GapScenario | None = None,
    types: Sequence[str] = COMMISSIONED_TYPES,
    need_source: str = "mapping",
    frameworks: Mapping[int, Mapping[str, Framework]] | None = None,
) -> GapResult:
    """Gap per year and type: pure arithmetic over need, capacity and the costs register (each
    type priced by ``unit_costs.costs_by_type`` for the year); ``frameworks`` (by year and
    type) mark the types whose shortfall is bought through a framework."""
    sc = scenario or GapScenario()
    base_need = {y: dict(v) for y, v in need.items()}
    adjusted, moved_in, moved_out, warnings = apply_moves(base_need, sc.moves)
    cap: dict[int, dict[str, float]] = {y: dict(capacity.get(y, {})) for y in adjusted}
    for change in sc.capacity:
        for y in cap:
            if y >= change.year:
                cap[y][change.type] = cap[y].get(change.type, 0.0) + change.places
    # Need before this year's moves (earlier years' moves already landed).
    before_moves: dict[int, dict[str, float]] = {}
    for y in adjusted:
        before_moves[y] = {
            t: adjusted[y].get(t, 0.0) - moved_in[y].get(t, 0.0) + moved_out[y].get(t, 0.0)
            for t in types
        }
    years: list[GapYear] = []
    for y in sorted(adjusted):
        gy = GapYear(y)
        weekly_by_type = costs_by_type(costs, y)
        for t in types:
            n = float(adjusted[y].get(t, 0.0))
            c = float(cap[y].get(t, 0.0))
            if n == 0 and c == 0 and t not in moved_in[y] and t not in moved_out[y]:
                continue
            short = max(n - c, 0.0)
            weekly = weekly_by_type.get(EXTERNAL_EQUIVALENT.get(t, t))
            deal = (frameworks or {}).get(y, {}).get(t)
            price, priced_at = _price(weekly, deal)
            cost = None if price is None else short * price * WEEKS_PER_YEAR
            m_in = moved_in[y].get(t, 0.0)
            spare_before = c - before_moves[y][t] if m_in else None
            exceed = bool(m_in and spare_before is not None and m_in > max(spare_before, 0.0))
            gy.by_type[t] = GapCell(
                n,
                c,
                short,
                cost,
                weekly,
                max(c - n, 0.0),
                m_in,
                moved_out[y].get(t, 0.0),
                spare_before,
                exceed,
                priced_at=priced_at,
            )
            if deal is not None:
                gy.by_type[t].framework = True
                gy.by_type[t].framework_weekly_price = deal.weekly_price
        years.append(gy)
    return GapResult(sc.name, years, need_source, warnings)


def _price(weekly: float | None, deal: Framework | None) -> tuple[float | None, str | None]:
    """The weekly price a shortfall is bought at, and the cell field holding it: the framework's
    where it is bought through one that gives a price (the statement says so), else the weekly
    cost of the type."""
    if deal is not None and deal.weekly_price is not None:
        return deal.weekly_price, "framework_weekly_price"
    return weekly, None if weekly is None else "weekly_cost"


# ------------------------------------------------------------------------------ need sources
def looked_after_by_type(ds: Dataset, day: dt.date) -> dict[str, int]:
    """Children looked after on ``day`` (``measures.common.cla_on``) by placement type."""
    grouped = cla_on(ds, day).group_by("placement_type").agg(pl.col("CHILD").n_unique())
    return {str(t): int(n) for t, n in grouped.iter_rows()}


def counted_need(ds: Dataset, years: Sequence[int]) -> dict[int, dict[str, float]]:
    """The children counted at each 31 March of ``years`` that a loaded return ends on, by
    placement type (the measure ``cla_by_placement_type``): what a year the returns cover
    needed, which no forecast or trend should stand in for."""
    from sufficiency.measures.catalogue import Period
    from sufficiency.measures.placements import cla_by_placement_type

    out: dict[int, dict[str, float]] = {}
    for y in years:
        if y in ds.returns:
            counted = cla_by_placement_type(ds, Period.year_ending(year_end(y)))
            if isinstance(counted, dict):  # the measure's Counts, by placement type
                out[y] = {str(t): float(n) for t, n in counted.items() if isinstance(n, int)}
    return out


def trend_need(
    ds: Dataset, years: Sequence[int], *, history: int = 3
) -> dict[int, dict[str, float]]:
    """Need from the council's own returns: a straight-line trend through the last ``history``
    31 March counts per type (flat with one year), floored at 0, one decimal."""
    import numpy as np

    past = [y for y in ds.returns][-history:] or [ds.last_date.year]
    counts = {y: looked_after_by_type(ds, year_end(y)) for y in past}
    types = sorted({t for c in counts.values() for t in c})
    out: dict[int, dict[str, float]] = {y: {} for y in years}
    xs = np.array(past, dtype=float)
    for t in types:
        ys = np.array([counts[y].get(t, 0) for y in past], dtype=float)
        slope, intercept = np.polyfit(xs, ys, 1) if len(past) > 1 else (0.0, float(ys[0]))
        for y in years:
            out[y][t] = max(round(float(slope * y + intercept), 1), 0.0)
    return out


def forecast_need(
    forecast: Any, years: Sequence[int], scenario: str = "baseline"
) -> tuple[Need | None, str | None]:
    """Need per placement type at each 31 March of ``years`` from a ``ForecastResult``, or
    None and the reason it cannot serve (categories not placement types, too short)."""
    from sufficiency.codes import PLACEMENT_TYPES

    if not set(forecast.categories) <= set(PLACEMENT_TYPES):
        return None, "forecast categories are not placement types; need from trend"
    by_year = forecast.need_by_year(scenario)
    missing = [y for y in years if y not in by_year]
    if missing:
        return None, f"forecast does not reach {missing[0]}; need from trend"
    return {y: by_year[y] for y in years}, None


def gap_for_dataset(
    ds: Dataset,
    years: Sequence[int],
    *,
    scenario: GapScenario | None = None,
    need: Need | None = None,
    need_source: str | None = None,
) -> GapResult:
    """The gap for a Dataset: need (given, scenario's, or trend) vs capacity from its registers."""
    sc = scenario or GapScenario()
    source = need_source or "mapping"
    if need is None and sc.need is not None:
        need, source = sc.need, "scenario"
    if need is None:
        need, source = trend_need(ds, years), "trend"
    plan: RecruitmentPlan | None = None
    if sc.recruitment is not None:
        r = sc.recruitment
        from sufficiency.supply.capacity import plan_from_history

        hist = plan_from_history(ds.register("carers"), ds.register("recruitment"), ds.last_date)
        plan = RecruitmentPlan(
            enquiries=r.enquiries_per_month,
            conversion=r.conversion,
            lag=parse_lag(r.lag_months),
            attrition_monthly=hist.attrition_monthly
            if r.attrition_monthly is None
            else r.attrition_monthly,
            places_per_household=hist.places_per_household
            if r.places_per_household is None
            else r.places_per_household,
        )
    capacity = capacity_by_year(ds.registers, years, ds.last_date, plan)
    contracts = ds.register("contracts")
    result = compute_gap(
        {y: need.get(y, {}) for y in years},
        capacity,
        costs=ds.register("costs"),
        scenario=sc,
        need_source=source,
        frameworks={y: frameworks_on(contracts, year_end(y)) for y in years},
    )
    mark_unknown_capacity(result, capacity_not_supplied(ds.registers))
    return result


def mark_unknown_capacity(result: GapResult, missing: Mapping[str, str]) -> None:
    """Mark the cells whose capacity register (``missing``: type -> register) was not supplied
    and warn once a register, naming the types of the gap it leaves unknown: read as 0, their
    shortfall is all their need, which is not a shortfall the data shows. The warning holds no
    figure: beside a type's name, the statement's disclosure audit would read it as that type's."""
    shown: dict[str, list[str]] = {}
    for y in result.years:
        for t, cell in y.by_type.items():
            name = missing.get(t)
            if name is None:
                continue
            cell.capacity_unknown = f"registers/{name}.csv not supplied"
            if t not in shown.setdefault(name, []):
                shown[name].append(t)
    for name, types in shown.items():
        its = "its" if len(types) == 1 else "their"
        result.warnings.append(
            f"registers/{name}.csv not supplied: the capacity of {', '.join(types)} is not "
            f"known (read as none, so all {its} need is counted as shortfall)"
        )


def gap_with_need(
    ds: Dataset,
    years: Sequence[int],
    *,
    scenario: GapScenario | None = None,
    need: str = "forecast",
    plan: Scenario | None = None,
) -> GapResult:
    """The gap of ``years`` (``sufficiency gap``): a year the returns cover from the children
    counted on its 31 March (``counted_need``); the later years from the forecast by placement
    type (``need="forecast"``; it falls back to the trend, saying why, when the forecast cannot
    serve) or from the trend through the returns' 31 March counts (``need="trend"``).

    With ``plan`` (the scenario file's forecast scenario, ``forecast_plan``) and a forecast,
    the gap is the statement's scenario gap (``scenario_gap``): need from that scenario's
    forecast. Otherwise the scenario's planned moves land on the baseline need."""
    sc = scenario or GapScenario()
    counted = {} if sc.need is not None else counted_need(ds, years)
    notes: list[str] = []
    fc: Any = None
    if need == "forecast" and sc.need is None and any(y not in counted for y in years):
        from sufficiency.forecast.api import run_forecast
        from sufficiency.forecast.scenarios import ScenarioError

        months = (max(years) - ds.last_date.year) * 12
        try:
            fc = run_forecast(
                ds, horizon_months=max(months, 12), scenarios=[plan] if plan is not None else []
            )
        except ScenarioError:
            raise  # the scenario file is wrong: say so, never a gap without it
        except ValueError as exc:  # e.g. no episodes in the reference period
            notes.append(f"forecast unavailable ({exc}); need from trend")
    if plan is not None and fc is not None:
        result, note = scenario_gap(ds, years, fc, plan.name, sc, counted=counted)
        result.warnings[:0] = notes + ([note] if note else [])
        return result
    if sc.rates or sc.entries or sc.diversions or sc.leaving:
        notes.append(
            "the scenario's rate, entry, diversion and leaving adjustments are forecast "
            "settings; the gap applies its planned moves and capacity changes to baseline need"
        )
    if sc.need is not None:  # the file gives need itself
        result = gap_for_dataset(ds, years, scenario=sc)
    else:
        result, note = _gap_of(ds, years, fc, "baseline", sc, counted)
        notes += [note] if note else []
    result.warnings[:0] = notes
    result.streams = gap_streams(ds, years, sc)
    return result


def scenario_gap(
    ds: Dataset,
    years: Sequence[int],
    forecast: Any,
    scenario: str = "baseline",
    settings: GapScenario | None = None,
    *,
    counted: Need | None = None,
) -> tuple[GapResult, str | None]:
    """The gap of one scenario of a ``ForecastResult`` (None: none could be made): the one rule
    of the statement's gaps and ``sufficiency gap --scenario``. Need from that scenario's
    forecast by placement type (the trend where it cannot serve; ``counted`` years as given),
    capacity from the registers plus ``settings``' capacity and recruitment changes; its planned
    moves are in the forecast's need already, so not applied twice. Returns the gap and why the
    forecast could not serve (None when it did, or was not given)."""
    plan = (settings or GapScenario(name=scenario)).model_copy(update={"moves": []})
    return _gap_of(ds, years, forecast, scenario, plan, counted or {})


def _gap_of(
    ds: Dataset,
    years: Sequence[int],
    forecast: Any,
    scenario: str,
    settings: GapScenario,
    counted: Need,
) -> tuple[GapResult, str | None]:
    """The gap with ``counted`` years' need as given, the others' from the forecast's
    ``scenario`` (or the trend, with why), the moves in ``settings`` applied, and the forecast's
    demand streams of that scenario beside it."""
    ahead = [y for y in years if y not in counted]
    need: Need | None = None
    note = None
    if forecast is not None and ahead:
        need, note = forecast_need(forecast, ahead, scenario)
    source = "forecast" if need is not None else "trend" if ahead else "counted"
    if need is None and ahead:
        need = trend_need(ds, ahead)
    result = gap_for_dataset(
        ds, years, scenario=settings, need={**counted, **(need or {})}, need_source=source
    )
    for gy in result.years:
        if gy.year in counted:
            gy.need_source = "counted"
    if forecast is not None and scenario in forecast.scenarios:
        result.streams = streams_in_years(forecast.scenarios[scenario].streams, years)
    return result, note


def gap_streams(ds: Dataset, years: Sequence[int], scenario: GapScenario) -> dict[str, Any]:
    """The forecast's two demand streams (``forecast.streams.demand_streams``: unaccompanied
    children with the scenario's arrivals and National Transfer Scheme transfers, children
    under a deprivation-of-liberty order with its orders a year) from the last date of the
    data to each 31 March of ``years`` after it, as ``sufficiency forecast`` projects them."""
    from sufficiency.forecast.config import load_model_config
    from sufficiency.forecast.scenarios import Scenario
    from sufficiency.forecast.streams import demand_streams

    ends = [year_end(y) for y in years if year_end(y) > ds.last_date]
    assumptions = Scenario(name=scenario.name, uasc=scenario.uasc, dolo=scenario.dolo)
    year_in_days = load_model_config().year_in_days
    return demand_streams(ds, assumptions, ds.last_date, ends, year_in_days)


def gap_for_forecast(
    ds: Dataset,
    forecast: Any,
    *,
    scenario: str = "baseline",
    gap_scenario: GapScenario | None = None,
) -> dict[str, Any]:
    """``gap --json`` for one scenario of a ``ForecastResult`` (its ``need_by_year``): the years
    after the latest return that the forecast reaches. Raises KeyError for an unknown scenario."""
    need = forecast.need_by_year(scenario)
    last = max(ds.returns) if ds.returns else ds.last_date.year
    years = [y for y in sorted(need) if y > last]
    result, _ = scenario_gap(ds, years, forecast, scenario, gap_scenario)
    return result.to_json()


def streams_in_years(streams: dict[str, Any], years: Sequence[int]) -> dict[str, Any] | None:
    """A forecast scenario's demand streams (``ScenarioResult.streams``) with their yearly
    projections kept to the gap's ``years``: the streams beside a gap drawn from that very
    forecast (its arrivals and orders assumptions included). None when it has none."""
    if not streams:
        return None
    wanted = set(years)
    return {
        name: None
        if stream is None
        else {**stream, "yearly": [y for y in stream["yearly"] if y["year"] in wanted]}
        for name, stream in streams.items()
    }


def supply_scenario(scenario: Any) -> GapScenario:
    """The supply assumptions (capacity, recruitment) of a forecast ``Scenario`` as a gap
    scenario of the same name: its moves and rate changes are already in the forecast's need,
    so they are not applied twice. Raises ValueError (pydantic's) for an invalid capacity or
    recruitment entry."""
    return GapScenario.model_validate(
        {
            "name": scenario.name,
            "capacity": list(scenario.capacity),
            "recruitment": scenario.recruitment,
        }
    )
