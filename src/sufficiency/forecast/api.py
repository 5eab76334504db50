"""run_forecast / run_backtest / sweep_councils: the forecast library API (see package docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from sufficiency.dataset import Dataset
from sufficiency.dates import financial_year, year_end
from sufficiency.forecast.config import ModelConfig, load_model_config
from sufficiency.forecast.model import (
    FittedModel,
    add_months,
    build_segments,
    default_reference,
    fit,
    stock_between,
)
from sufficiency.forecast.projection import QUANTILES, Projection, project
from sufficiency.forecast.scenarios import BASELINE, Scenario
from sufficiency.forecast.streams import demand_streams, short_break_nights
from sufficiency.forecast_limits import horizon_problem, inflation_problem
from sufficiency.measures.unit_costs import cost_rows, type_costs

T = TypeVar("T")


class Population:
    """Under-18 population by financial year (picklable, so workers need not get the Dataset)."""

    def __init__(self, by_year: Mapping[int, int]) -> None:
        self.by_year = dict(by_year)

    @classmethod
    def of(cls, ds: Dataset, years: Iterable[int]) -> Population:
        found = {}
        for y in years:
            value = ds.population_under_18(y)
            if value is not None:
                found[y] = value
        return cls(found)

    def __call__(self, day: dt.date) -> float | None:
        value = self.by_year.get(financial_year(day))
        return None if value is None else float(value)


def _band(mean: float, q: Mapping[str, float]) -> dict[str, float]:
    out = {"mean": round(float(mean), 4)}
    out.update({k: round(float(q[k]), 4) for k in QUANTILES})
    return out


@dataclass
class ScenarioResult:
    """One scenario's projection with its reporting views."""

    name: str
    description: str
    projection: Projection
    categories: tuple[str, ...]
    monthly: list[int]  # indices into projection.dates
    yearly: list[int]
    horizon_end: dt.date
    costs: dict[str, Any] | None
    targets: list[dict[str, Any]]
    trajectory: list[dict[str, Any]]
    warnings: list[str]
    #: the two demand streams under the scenario's assumptions (forecast.streams)
    streams: dict[str, Any] = field(default_factory=dict)
    #: short-break nights needed against nights available by type, None without the registers
    short_breaks: dict[str, Any] | None = None

    def band(self, t: int, category: str | None = None) -> dict[str, float]:
        """BAND at date index ``t`` for one category (or the total)."""
        p = self.projection
        if category is None:
            return _band(p.mean_total[t], {k: v[t] for k, v in p.q_total.items()})
        c = self.categories.index(category)
        return _band(p.mean_categories[t, c], {k: v[t, c] for k, v in p.q_categories.items()})

    def _point(self, t: int) -> dict[str, Any]:
        return {
            "date": self.projection.dates[t].isoformat(),
            "total": self.band(t),
            "by_category": {c: self.band(t, c) for c in self.categories},
        }

    def need_by_year(self, statistic: str = "mean") -> dict[int, dict[str, float]]:
        """Expected (or a quantile of) children per category at each 31 March of the horizon."""
        out: dict[int, dict[str, float]] = {}
        for t in self.yearly:
            day = self.projection.dates[t]
            out[day.year] = {c: self.band(t, c)[statistic] for c in self.categories}
        return out

    def to_json(self) -> dict[str, Any]:
        last = len(self.projection.dates) - 1
        return {
            "description": self.description,
            "horizon_end": self.horizon_end.isoformat(),
            "at_horizon": {
                "total": self.band(last),
                "by_category": {c: self.band(last, c) for c in self.categories},
            },
            "monthly": [self._point(t) for t in self.monthly],
            "yearly": [
                {**self._point(t), "year": self.projection.dates[t].year} for t in self.yearly
            ],
            "method": self.projection.method,
            "costs": self.costs,
            "targets": self.targets,
            "trajectory": self.trajectory,
            "warnings": self.warnings,
            "streams": self.streams,
            "short_breaks": self.short_breaks,
        }


@dataclass
class ForecastResult:
    """What ``run_forecast`` returns; ``to_json()`` is the ``forecast --json`` document."""

    config: str
    reference_start: dt.date
    reference_end: dt.date
    horizon_months: int
    simulations: int
    categories: tuple[str, ...]
    scenarios: dict[str, ScenarioResult]
    model: FittedModel
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "reference": {
                "start": self.reference_start.isoformat(),
                "end": self.reference_end.isoformat(),
            },
            "horizon_months": self.horizon_months,
            "simulations": self.simulations,
            "categories": list(self.categories),
            "scenarios": {name: s.to_json() for name, s in self.scenarios.items()},
            "warnings": self.warnings,
        }

    def need_by_year(
        self, scenario: str = "baseline", statistic: str = "mean"
    ) -> dict[int, dict[str, float]]:
        """Children needing a home of each category at each 31 March (for the sufficiency gap)."""
        return self.scenarios[scenario].need_by_year(statistic)


# --------------------------------------------------------------------------------------------
# costs and targets
# --------------------------------------------------------------------------------------------
def _weekly_cost(
    priced: Mapping[str, tuple[int, float]],
    codes: Sequence[str],
    year: int,
    inflation: float,
) -> float | None:
    """Mean weekly cost of ``codes`` in ``year``: each type's cost by ``unit_costs.RULE``
    (``priced`` maps a type to the register year used and its weekly cost), inflated or
    deflated from that year to ``year``."""
    values = [
        cost * (1 + inflation) ** (year - priced_year)
        for priced_year, cost in (priced[c] for c in codes if c in priced)
    ]
    return sum(values) / len(values) if values else None


def _costs(
    ds: Dataset, config: ModelConfig, proj: Projection, inflation: float, start_day: dt.date
) -> dict[str, Any] | None:
    costs = ds.register("costs")
    if cost_rows(costs) is None:
        return None
    priced: dict[int, dict[str, tuple[int, float]]] = {}
    codes = {c: (c, *config.categories[c]) for c in config.category_names}
    years: dict[int, dict[str, float]] = {}
    days_in: dict[int, int] = {}
    start = start_day
    for t, day in enumerate(proj.dates):
        mid = start + (day - start) / 2
        fy = financial_year(mid)
        days_in[fy] = days_in.get(fy, 0) + (day - start).days
        if fy not in priced:
            priced[fy] = {
                str(kind): (int(y), float(w))
                for kind, y, w in type_costs(costs, fy)
                .select("placement_type", "priced_year", "weekly_cost")
                .iter_rows()
            }
        for c, cat in enumerate(config.category_names):
            weekly = _weekly_cost(priced[fy], codes[cat], fy, inflation)
            if weekly is None:
                continue
            spend = proj.child_days[t, c] * weekly / 7.0
            years.setdefault(fy, {})[cat] = years.get(fy, {}).get(cat, 0.0) + spend
        start = day
    by_year = []
    for fy in sorted(years):
        by_type = {k: round(v, 2) for k, v in years[fy].items()}
        full = (year_end(fy) - year_end(fy - 1)).days
        by_year.append(
            {
                "year": fy,
                "total": round(sum(by_type.values()), 2),
                "by_type": by_type,
                "days_covered": days_in.get(fy, 0),
                "partial": days_in.get(fy, 0) < full,
            }
        )
    return {"currency": "GBP", "inflation": inflation, "by_year": by_year}


def _trajectory(
    model: FittedModel, proj: Projection, population: Population, growth: float
) -> list[dict[str, Any]]:
    points = [(model.reference_end, float(model.x0.sum()))]
    points += [(d, float(v)) for d, v in zip(proj.dates, proj.mean_total, strict=True)]
    out = []
    for day, count in points:
        pop = population(day)
        years = (day - model.reference_end).days / model.config.year_in_days
        rate = None if pop is None else count / (pop * (1 + growth) ** years) * 10_000
        out.append(
            {
                "date": day.isoformat(),
                "cla_count": round(count, 3),
                "rate_per_10k": None if rate is None else round(rate, 3),
            }
        )
    return out


def _targets(ds: Dataset, trajectory: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target on a projected measure (children looked after, the rate per 10,000): when the
    projection first meets it, its expected value at the target date and that value's status.
    Direction, "met" and the status are the one rule of ``measures.targets``; a target with no
    direction (none in the register, no published polarity) says so and is not judged."""
    from sufficiency.measures.targets import assess, meets, targets

    keys = {"cla_count": "cla_count", "cla_rate_per_10k": "rate_per_10k"}
    out = []
    for t in targets(ds):
        if t.measure_id not in keys or t.target is None:
            continue
        key = keys[t.measure_id]
        reached = next((p for p in trajectory if meets(t.direction, p[key], t.target)), None)
        at_target = None
        if t.target_date is not None:
            before = [p for p in trajectory if dt.date.fromisoformat(p["date"]) <= t.target_date]
            covered = dt.date.fromisoformat(trajectory[-1]["date"]) >= t.target_date
            at_target = before[-1][key] if before and covered else None
        reached_date = dt.date.fromisoformat(reached["date"]) if reached else None
        judged = assess(t, at_target)
        out.append(
            {
                "measure_id": t.measure_id,
                "baseline_date": t.baseline_date.isoformat() if t.baseline_date else None,
                "baseline": t.baseline,
                "target": t.target,
                "target_date": t.target_date.isoformat() if t.target_date else None,
                "direction": t.direction,
                "direction_from": t.direction_from,
                "reached_date": reached_date.isoformat() if reached_date else None,
                "reached_year": financial_year(reached_date) if reached_date else None,
                "value_at_target_date": at_target,
                "met_by_target_date": judged.met,
                "status_at_target_date": judged.status,
                "note": t.note,
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# the API
# --------------------------------------------------------------------------------------------
def reporting_dates(
    reference_end: dt.date, horizon_months: int
) -> tuple[list[dt.date], list[int], list[int]]:
    """Monthly dates from the reference end plus every 31 March up to the horizon.

    Returns (all dates ascending, indices of the monthly dates, indices of the 31 Marches).
    """
    if horizon_months < 1:
        raise ValueError("horizon_months must be at least 1")
    monthly = [add_months(reference_end, k) for k in range(1, horizon_months + 1)]
    end = monthly[-1]
    marches = [year_end(y) for y in range(reference_end.year, end.year + 1)]
    marches = [d for d in marches if reference_end < d <= end]
    dates = sorted(set(monthly) | set(marches))
    pos = {d: i for i, d in enumerate(dates)}
    return dates, [pos[d] for d in monthly], [pos[d] for d in marches]


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def fit_model(
    ds: Dataset,
    config: str | Path | ModelConfig = "default",
    reference_start: dt.date | str | None = None,
    reference_end: dt.date | str | None = None,
    as_at: dt.date | None = None,
) -> FittedModel:
    """Fit a model over the given (or the config's default) reference period; ``as_at``: as
    the forecast was made on that day, the default period ending there when the data go on
    (a statement for an earlier year forecasts from its own 31 March, not the latest)."""
    cfg = load_model_config(config)
    start, end = _as_date(reference_start), _as_date(reference_end)
    _, d_end = default_reference(ds, cfg)
    end = end or (d_end if as_at is None else min(d_end, as_at))
    start = start or add_months(end, -cfg.reference_months)
    if start < end:  # (the other way round ``fit`` names)
        _covered(ds, start, end, "reference period")
    return fit(ds, cfg, start, end)


def _covered(ds: Dataset, start: dt.date, end: dt.date, what: str) -> None:
    """A ValueError when the returns do not cover ``start``..``end``: rates fitted there would
    come from children the data does not hold."""
    uncovered = ds.outside(start, end)
    if uncovered:
        raise ValueError(f"{what} {start} to {end}: {uncovered}")


def project_scenario(
    model: FittedModel,
    scenario: Scenario,
    horizon_months: int,
    population: Population,
    simulations: int = 0,
    seed: int = 0,
    on_step: Callable[[], None] | None = None,
    parameter_uncertainty: bool = True,
) -> Projection:
    """Project one scenario (the unit of work a distributed sweep ships to a worker)."""
    dates, _, _ = reporting_dates(model.reference_end, horizon_months)
    return project(
        model,
        scenario,
        dates,
        population,
        simulations=simulations,
        seed=seed,
        parameter_uncertainty=parameter_uncertainty,
        on_step=on_step,
    )


def _with_baseline(scenarios: Iterable[Scenario]) -> list[Scenario]:
    items = list(scenarios)
    names = [s.name for s in items]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"scenario names must be unique: {', '.join(sorted(dupes))}")
    if "baseline" not in names:
        items.insert(0, BASELINE)
    return items


def run_forecast(
    ds: Dataset,
    config: str | Path | ModelConfig = "default",
    reference_start: dt.date | str | None = None,
    reference_end: dt.date | str | None = None,
    horizon_months: int = 36,
    scenarios: Iterable[Scenario] = (),
    simulations: int = 0,
    seed: int = 0,
    inflation: float = 0.0,
    scheduler: str | None = None,
    on_step: Callable[[], None] | None = None,
    parameter_uncertainty: bool = True,
    as_at: dt.date | None = None,
) -> ForecastResult:
    """Fit, then project ``baseline`` and every scenario; see the package docstring.
    ``as_at``: the forecast as made on that day (``fit_model``).

    ``parameter_uncertainty=False`` leaves the spread of the fitted rates out of the bands
    (``projection.project``): the expected values are the same to the bit, found without the
    rates' draws (most of a projection's time), for callers that read only the means."""
    for problem in (horizon_problem(horizon_months), inflation_problem(inflation)):
        if problem:
            raise ValueError(problem)
    model = fit_model(ds, config, reference_start, reference_end, as_at)
    items = _with_baseline(scenarios)
    for s in items:
        s.check_names(model.categories, model.brackets)
    dates, monthly, yearly = reporting_dates(model.reference_end, horizon_months)
    years = range(financial_year(model.reference_end), financial_year(dates[-1]) + 1)
    population = Population.of(ds, years)
    if scheduler:
        projections = _distributed(
            model,
            items,
            horizon_months,
            population,
            simulations,
            seed,
            scheduler,
            parameter_uncertainty,
        )
    else:
        projections = [
            project_scenario(
                model,
                s,
                horizon_months,
                population,
                simulations,
                seed,
                on_step,
                parameter_uncertainty=parameter_uncertainty,
            )
            for s in items
        ]
    results: dict[str, ScenarioResult] = {}
    year_ends = [dates[t] for t in yearly]
    yd = model.config.year_in_days
    for s, proj in zip(items, projections, strict=True):
        traj = _trajectory(model, proj, population, s.population_growth)
        results[s.name] = ScenarioResult(
            name=s.name,
            description=s.description,
            projection=proj,
            categories=model.categories,
            monthly=monthly,
            yearly=yearly,
            horizon_end=dates[monthly[-1]],
            costs=_costs(ds, model.config, proj, inflation, model.reference_end),
            targets=_targets(ds, traj),
            trajectory=traj,
            warnings=list(proj.warnings),
            streams=demand_streams(ds, s, model.reference_end, year_ends, yd),
            short_breaks=short_break_nights(ds, s, model.reference_end, year_ends),
        )
    return ForecastResult(
        config=model.config.name,
        reference_start=model.reference_start,
        reference_end=model.reference_end,
        horizon_months=horizon_months,
        simulations=simulations,
        categories=model.categories,
        scenarios=results,
        model=model,
        warnings=list(model.warnings),
    )


def _distributed(
    model: FittedModel,
    items: list[Scenario],
    horizon_months: int,
    population: Population,
    simulations: int,
    seed: int,
    scheduler: str,
    parameter_uncertainty: bool = True,
) -> list[Projection]:
    """Project each scenario on a dask.distributed cluster; same seeds, same numbers."""
    with _client(scheduler) as client:
        remote_model = client.scatter(model, broadcast=True)
        futures = [
            client.submit(
                project_scenario,
                remote_model,
                s,
                horizon_months,
                population,
                simulations,
                seed,
                parameter_uncertainty=parameter_uncertainty,
                pure=False,
            )
            for s in items
        ]
        return list(client.gather(futures))


def _client(scheduler: str) -> Any:
    """A dask.distributed client of the cluster at ``scheduler``; a ValueError naming it when it
    cannot be reached (dask waits its connect timeout, then raises OSError)."""
    from dask.distributed import Client

    try:
        return Client(scheduler)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise ValueError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None


#: Tasks each worker thread of a cluster has queued at most in ``each_council``: one running,
#: one on its way (its Dataset sent while the other computes).
IN_FLIGHT_PER_THREAD = 2


def each_council(
    fn: Callable[..., T],
    datasets: Mapping[str, Dataset],
    scheduler: str | None,
    *args: Any,
    **kwargs: Any,
) -> dict[str, T]:
    """``fn(ds, *args, **kwargs)`` for every council, by name in ``datasets``' order: in this
    process, or on the dask.distributed cluster at ``scheduler`` (the same code, one task per
    council).

    On a cluster the councils are sent as workers free up, at most ``IN_FLIGHT_PER_THREAD``
    tasks a worker thread: each task carries its council's whole Dataset (megabytes), so
    sending every council at once held the country's data in this process, the scheduler and
    the workers' queues before the first result came back."""
    if not scheduler:
        return {name: fn(ds, *args, **kwargs) for name, ds in datasets.items()}
    from itertools import islice

    from dask.distributed import as_completed

    names = list(datasets)
    with _client(scheduler) as client:
        threads = sum(w["nthreads"] for w in client.scheduler_info()["workers"].values())
        waiting = iter(names)
        owner: dict[str, str] = {}

        def submit(name: str) -> Any:  # a dask Future
            future = client.submit(fn, datasets[name], *args, pure=False, **kwargs)
            owner[future.key] = name
            return future

        first = [submit(n) for n in islice(waiting, max(1, threads) * IN_FLIGHT_PER_THREAD)]
        results: dict[str, T] = {}
        done = as_completed(first)  # type: ignore[no-untyped-call]
        for future in done:
            results[owner[future.key]] = future.result()
            following = next(waiting, None)
            if following is not None:
                done.add(submit(following))  # type: ignore[no-untyped-call]
    return {name: results[name] for name in names}


def _forecast_json(ds: Dataset, **kwargs: Any) -> dict[str, Any]:
    return run_forecast(ds, **kwargs).to_json()


def sweep_councils(
    datasets: Mapping[str, Dataset],
    scheduler: str | None = None,
    **kwargs: Any,
) -> dict[str, dict[str, Any]]:
    """``run_forecast(ds, **kwargs).to_json()`` for many councils, on a cluster when
    ``scheduler`` is set (``each_council``)."""
    return each_council(_forecast_json, datasets, scheduler, **kwargs)


# --------------------------------------------------------------------------------------------
# backtest
# --------------------------------------------------------------------------------------------
def run_backtest(
    ds: Dataset,
    config: str | Path | ModelConfig = "default",
    cutoff: dt.date | str | None = None,
    horizon_months: int = 12,
    simulations: int = 0,
    seed: int = 0,
) -> dict[str, Any]:
    """Fit on data up to ``cutoff`` (default: ``horizon_months`` before the data end), predict
    every month to the end and score against what happened: MAE, MAPE, interval coverage."""
    cfg = load_model_config(config)
    _, data_end = default_reference(ds, cfg)
    cut = _as_date(cutoff) or add_months(data_end, -horizon_months)
    months = 0
    while add_months(cut, months + 1) <= data_end:
        months += 1
    if months < 1:
        raise ValueError(
            f"backtest cutoff {cut} leaves less than a month before the data end {data_end}"
        )
    _covered(ds, add_months(cut, -cfg.reference_months), cut, "backtest reference period")
    segments = build_segments(ds, cfg)
    model = fit(ds, cfg, add_months(cut, -cfg.reference_months), cut, segments=segments)
    dates, monthly, _ = reporting_dates(cut, months)
    population = Population.of(ds, range(financial_year(cut), financial_year(dates[-1]) + 1))
    proj = project(model, BASELINE, dates, population, simulations=simulations, seed=seed)
    n = model.n_states
    cats = model.category_of_state()
    onehot = np.zeros((n, len(model.categories)))
    onehot[np.arange(n), cats] = 1.0
    stock = stock_between(segments[0], cut, dates[-1], n).astype(float)
    actual = np.array([stock[(d - cut).days] @ onehot for d in (dates[t] for t in monthly)])
    pred = proj.mean_categories[monthly]
    lo80, hi80 = proj.q_categories["p10"][monthly], proj.q_categories["p90"][monthly]
    lo95, hi95 = proj.q_categories["p2_5"][monthly], proj.q_categories["p97_5"][monthly]

    def score(
        a: np.ndarray, p: np.ndarray, l8: np.ndarray, h8: np.ndarray, l9: np.ndarray, h9: np.ndarray
    ) -> dict[str, Any]:
        err = np.abs(p - a)
        pos = a > 0
        return {
            "mae": round(float(err.mean()), 4),
            "mape": round(float((err[pos] / a[pos]).mean() * 100), 2) if pos.any() else None,
            "coverage_80": round(float(((a >= l8) & (a <= h8)).mean()), 4),
            "coverage_95": round(float(((a >= l9) & (a <= h9)).mean()), 4),
            "actual_at_end": float(a[-1]),
            "predicted_at_end": round(float(p[-1]), 4),
        }

    by_category = {}
    for c, name in enumerate(model.categories):
        if actual[:, c].sum() == 0 and pred[:, c].sum() < 0.5:
            continue
        by_category[name] = score(
            actual[:, c], pred[:, c], lo80[:, c], hi80[:, c], lo95[:, c], hi95[:, c]
        )
    tot = score(
        actual.sum(1),
        proj.mean_total[monthly],
        proj.q_total["p10"][monthly],
        proj.q_total["p90"][monthly],
        proj.q_total["p2_5"][monthly],
        proj.q_total["p97_5"][monthly],
    )
    flat_a = np.concatenate([actual[:, cats_i] for cats_i in range(actual.shape[1])])
    flat_l = np.concatenate([lo80[:, i] for i in range(actual.shape[1])])
    flat_h = np.concatenate([hi80[:, i] for i in range(actual.shape[1])])
    keep = np.concatenate(
        [
            np.full(actual.shape[0], model.categories[i] in by_category)
            for i in range(actual.shape[1])
        ]
    )
    return {
        "config": cfg.name,
        "cutoff": cut.isoformat(),
        "end": dates[-1].isoformat(),
        "reference": {"start": model.reference_start.isoformat(), "end": cut.isoformat()},
        "method": proj.method,
        "months": months,
        "by_category": by_category,
        "total": tot,
        "coverage_80_all": round(float(((flat_a >= flat_l) & (flat_a <= flat_h))[keep].mean()), 4)
        if keep.any()
        else None,
        "mean_mae": round(float(np.mean([v["mae"] for v in by_category.values()])), 4)
        if by_category
        else None,
        "mape_all": (lambda m: round(float(np.mean(m)), 2) if m else None)(
            [v["mape"] for v in by_category.values() if v["mape"] is not None]
        ),
    }
