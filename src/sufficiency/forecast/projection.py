"""Project a fitted model forward: expected stock, analytic variance and Monte Carlo bands.

The daily chain is ``x[t+1] = x[t] P + e`` with ``P = I - diag(outflow) + T + A`` (transitions,
ageing) and ``e`` the daily entrants. Between two reporting dates ``d`` days apart we use
``[x, e] [[P, 0], [I, I]]^d = [x P^d + e S_d, e]`` (``S_d = I + P + ... + P^(d-1)``): a handful of
matrix powers, never a loop over days. Planned moves are applied at the end of each step.

Uncertainty: the analytic variance is the sum of two terms (the law of total variance). Process:
the covariance of the stock by state is carried step by step (``C' = R'C R + diag(mu R) -
R' diag(mu) R + diag(entrants in care)``: children move multinomially by the rows of ``R = P^d``,
entrants are Poisson). Parameters: the rates rest on a single council's small numbers, so the
expected path is recomputed under ``ANALYTIC_DRAWS`` Gamma draws of the rates (shape = the events
behind each rate, mean 1; seeded by ``seed``) and the variance of those paths is added. A planned
move takes a fixed number of children, so it shifts the mean (in every draw) and leaves the
covariance as it is; from then on the moved children follow the destination's rates, so the
bands reflect the move. Monte Carlo simulates the same chain month by month with multinomial
moves, Poisson entrants, exact planned moves and (by default) the same rate draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import numpy as np

from sufficiency.forecast.model import FittedModel
from sufficiency.forecast.scenarios import ANY_CATEGORY, EXIT_NAMES, PlannedMove, Scenario

#: the quantiles of a BAND (DESIGN.md): 95%, 80% and 50% intervals
QUANTILES: dict[str, float] = {
    "p2_5": 0.025,
    "p10": 0.10,
    "p25": 0.25,
    "p75": 0.75,
    "p90": 0.90,
    "p97_5": 0.975,
}
_Z = {
    "p2_5": -1.959963985,
    "p10": -1.281551566,
    "p25": -0.674489750,
    "p75": 0.674489750,
    "p90": 1.281551566,
    "p97_5": 1.959963985,
}

PopulationFn = Callable[[dt.date], float | None]

#: draws of the rates behind the analytic bands' parameter-uncertainty term
ANALYTIC_DRAWS = 64


@dataclass
class StepSpec:
    """Scenario effects during one projection step (``start`` exclusive .. ``end`` inclusive)."""

    start: dt.date
    end: dt.date
    rate_mul: np.ndarray
    rate_add: np.ndarray
    exit_mul: np.ndarray
    exit_add: np.ndarray
    entry_mul: np.ndarray
    entry_add: np.ndarray
    entry_total: float | None  # daily entrants forced by an entry-rate target
    growth: float
    #: daily entrants kept out of care by diversions (after the target and growth)
    diverted: np.ndarray
    #: (from states, to states, expected number, integer number for simulations)
    moves: list[tuple[np.ndarray, np.ndarray, float, int, str]] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def key(self) -> tuple[object, ...]:
        return (
            self.rate_mul.tobytes(),
            self.rate_add.tobytes(),
            self.exit_mul.tobytes(),
            self.exit_add.tobytes(),
            self.entry_mul.tobytes(),
            self.entry_add.tobytes(),
            self.entry_total,
            self.growth,
            self.diverted.tobytes(),
        )


@dataclass
class Projection:
    """Expected stock and bands per reporting date, by category and in total."""

    dates: list[dt.date]
    #: expected stock per state (T, n)
    mean_states: np.ndarray
    #: expected stock per category (T, C) and total (T,)
    mean_categories: np.ndarray
    mean_total: np.ndarray
    #: quantiles: name -> (T, C) and (T,)
    q_categories: dict[str, np.ndarray]
    q_total: dict[str, np.ndarray]
    #: expected child-days per category within each step (T, C) (for costs)
    child_days: np.ndarray
    method: str
    warnings: list[str]


def _mask(model: FittedModel, category: str | None, age: str | None) -> np.ndarray:
    cats = model.category_of_state()
    brs = model.bracket_of_state()
    m = np.ones(model.n_states, dtype=bool)
    if category is not None:
        m &= cats == model.categories.index(category)
    if age is not None:
        m &= brs == model.brackets.index(age)
    return m


def _active(start: dt.date | None, end: dt.date | None, a: dt.date, b: dt.date) -> bool:
    mid = a + (b - a) / 2
    return (start is None or mid >= start) and (end is None or mid <= end)


class _Dated(Protocol):
    @property
    def start(self) -> dt.date | None: ...
    @property
    def end(self) -> dt.date | None: ...


D = TypeVar("D", bound=_Dated)


def _in_force(adjustments: Sequence[D], a: dt.date, b: dt.date) -> list[D]:
    """The adjustments in force in the step from ``a`` to ``b`` (on its middle day)."""
    return [x for x in adjustments if _active(x.start, x.end, a, b)]


def _move_pairs(model: FittedModel, move: PlannedMove) -> tuple[np.ndarray, np.ndarray]:
    """Source states of a move and, pairwise, the same age bracket in the destination (none
    for a move out of care)."""
    whole = move.from_ == ANY_CATEGORY
    src = np.flatnonzero(_mask(model, None if whole else move.from_, move.age))
    if move.to in EXIT_NAMES:
        return src, np.empty(0, dtype=src.dtype)
    shift = model.categories.index(move.to) - model.categories.index(move.from_)
    return src, src + shift


def compile_steps(
    model: FittedModel,
    scenario: Scenario,
    dates: Sequence[dt.date],
    population: PopulationFn,
) -> tuple[list[StepSpec], list[str]]:
    """Turn a scenario into per-step multipliers, additions and planned moves."""
    n = model.n_states
    yd = model.config.year_in_days
    warnings: list[str] = ended_items(scenario, model.reference_end)
    steps: list[StepSpec] = []
    base_e = model.entrants
    prev = model.reference_end
    # integer schedules of planned moves for simulations (cumulative rounding)
    moves = scenario.moves + scenario.exit_moves(yd)
    moved_int = [0] * len(moves)
    moved_exp = [0.0] * len(moves)
    cats = model.category_of_state()
    for day in dates:
        rate_mul = np.ones((n, n))
        rate_add = np.zeros((n, n))
        exit_mul = np.ones(n)
        exit_add = np.zeros(n)
        for r in _in_force(scenario.rates, prev, day):
            src = _mask(model, r.from_, r.age)
            to_exit = r.to in EXIT_NAMES
            if r.to is None or not to_exit:
                dst = np.ones(n, dtype=bool) if r.to is None else _mask(model, r.to, None)
                rate_mul[np.ix_(src, dst)] *= r.multiply
            if r.to is None or to_exit:
                exit_mul[src] *= r.multiply
            if r.add_per_year:
                if to_exit:
                    exit_add[src] += r.add_per_year / yd
                else:
                    assert r.to is not None
                    idx = np.flatnonzero(src)
                    dst_idx = idx + model.categories.index(r.to) - cats[idx]
                    ok = dst_idx != idx
                    rate_add[idx[ok], dst_idx[ok]] += r.add_per_year / yd
        entry_mul = np.ones(n)
        entry_add = np.zeros(n)
        for e in _in_force(scenario.entries, prev, day):
            m = _mask(model, e.category, e.age)
            entry_mul[m] *= e.multiply
            if e.add_per_year:
                weights = base_e * m
                if weights.sum() <= 0:
                    weights = m.astype(float)
                entry_add += e.add_per_year / yd * weights / weights.sum()
        mid = prev + (day - prev) / 2
        years = (mid - model.reference_end).days / yd
        growth = (1.0 + scenario.population_growth) ** years
        entry_total = None
        target = scenario.entry_rate_target
        if target is not None and (target.start is None or mid >= target.start):
            pop = population(mid)
            if pop is None:
                raise ValueError(
                    f"scenario {scenario.name}: entry_rate_target needs the under-18 population "
                    "(registers/population.csv or la.toml population_under_18)"
                )
            entry_total = target.per_10k * pop * growth / 10_000 / yd
        spec = StepSpec(
            prev,
            day,
            rate_mul,
            rate_add,
            exit_mul,
            exit_add,
            entry_mul,
            entry_add,
            entry_total,
            growth,
            _diverted(model, scenario, prev, day, warnings),
        )
        for k, mv in enumerate(moves):
            period_days = (mv.end - mv.start).days + 1
            lo = max(prev + dt.timedelta(days=1), mv.start)
            hi = min(day, mv.end)
            overlap = (hi - lo).days + 1
            if overlap <= 0:
                continue
            expected = mv.number * overlap / period_days
            moved_exp[k] += expected
            whole = round(moved_exp[k] + 1e-9) - moved_int[k]
            moved_int[k] += whole
            src, dst = _move_pairs(model, mv)
            spec.moves.append((src, dst, expected, whole, f"{mv.from_} -> {mv.to}"))
        steps.append(spec)
        prev = day
    return steps, warnings


def _dated_items(scenario: Scenario) -> list[tuple[str, dt.date | None]]:
    """Each rate, entry, move, diversion and leaving of ``scenario`` (as the file names it,
    ``moves[0]``) with its end (None: open-ended)."""
    groups: tuple[tuple[str, Sequence[_Dated]], ...] = (
        ("rates", scenario.rates),
        ("entries", scenario.entries),
        ("moves", scenario.moves),
        ("diversions", scenario.diversions),
        ("leaving", scenario.leaving),
    )
    return [(f"{key}[{i}]", x.end) for key, items in groups for i, x in enumerate(items)]


def ended_items(scenario: Scenario, start: dt.date) -> list[str]:
    """Warnings for the scenario's items that end by ``start`` (the reference end; the
    projection acts only after it), so change nothing: one for the whole scenario when nothing
    else in it acts (last year's file reused), else one per item."""
    items = _dated_items(scenario)
    ended = [(where, end) for where, end in items if end is not None and end <= start]
    if not ended:
        return []
    others = len(ended) < len(items) or scenario.entry_rate_target or scenario.population_growth
    if not others:
        last = max(end for _, end in ended)
        return [
            f"scenario {scenario.name}: every dated item ends before the forecast starts "
            f"({start:%d/%m/%Y}; the last ends {last:%d/%m/%Y}), so it changes nothing: "
            "last year's file?"
        ]
    return [
        f"scenario {scenario.name}: {where} ends {end:%d/%m/%Y}, before the forecast starts "
        f"({start:%d/%m/%Y}): it changes nothing"
        for where, end in ended
    ]


def _diverted(
    model: FittedModel, scenario: Scenario, a: dt.date, b: dt.date, warnings: list[str]
) -> np.ndarray:
    """Daily entrants by state that the diversions in force from ``a`` to ``b`` keep out of
    care: each diversion's children a quarter spread over its category and age in the
    baseline entrants' mix (evenly where the baseline has none)."""
    out = np.zeros(model.n_states)
    for d in _in_force(scenario.diversions, a, b):
        m = _mask(model, d.category, d.age)
        weights = model.entrants * m
        if weights.sum() <= 0:
            weights = m.astype(float)
        daily = d.daily(model.config.year_in_days)
        if daily > float((model.entrants * m).sum()) + 1e-12:
            note = (
                f"scenario {scenario.name}: diversion {d.programme or '(unnamed)'}: "
                f"{d.per_quarter:g} children a quarter is more than the baseline's entrants "
                "there; entrants cannot fall below none"
            )
            if note not in warnings:
                warnings.append(note)
        out += daily * weights / weights.sum()
    return out


def _step_dynamics(
    model: FittedModel,
    spec: StepSpec,
    trans: np.ndarray,
    exits: np.ndarray,
    entrants: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Daily P (..., n, n) and e (..., n) for one step, from (possibly batched) base rates."""
    t = trans * spec.rate_mul + spec.rate_add
    x = exits * spec.exit_mul + spec.exit_add
    a = model.ageing
    n = model.n_states
    out = t.sum(-1) + a.sum(-1) + x
    # a child leaves a state at most once a day: rates of more (one drawn from a day's
    # exposure) empty it within the day, in their proportions, as the simulation's clip does;
    # above it I + Q had negative entries and its powers overflowed
    fast = out > 1.0
    if fast.any():
        scale = np.where(fast, 1.0 / np.where(fast, out, 1.0), 1.0)[..., None]
        t, a, out = t * scale, a * scale, np.minimum(out, 1.0)
    p = t + a - out[..., :, None] * np.eye(n) + np.eye(n)
    e = (entrants * spec.entry_mul + spec.entry_add) * spec.growth
    if spec.entry_total is not None:
        total = e.sum(-1, keepdims=True)
        share = np.where(total > 0, e / np.where(total > 0, total, 1.0), 1.0 / n)
        e = share * spec.entry_total
    e = np.maximum(e - spec.diverted, 0.0)
    return p, e


def _power_pair(p: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(P^d, S_d = I + P + ... + P^(d-1)) for (..., n, n) P, by binary powering of the pair:
    S_2m = S_m + S_m P^m and S_(m+1) = S_m + P^m. Two n x n products a bit where the power of
    the block matrix [[P, 0], [I, I]] took 2n x 2n ones: about a quarter of the work."""
    eye = np.broadcast_to(np.eye(p.shape[-1]), p.shape)
    if d == 0:
        return eye.copy(), np.zeros_like(p)
    power, total = p.copy(), eye.copy()  # m = 1
    for bit in bin(d)[3:]:
        total = total + total @ power
        power = power @ power
        if bit == "1":
            total = total + power
            power = power @ p
    return power, total


def _reachable(model: FittedModel, steps: list[StepSpec]) -> np.ndarray:
    """States that can ever hold a child: from the stock and entrants along any edge."""
    n = model.n_states
    adj = (model.transitions > 0) | (model.ageing > 0)
    seeds = (model.x0 > 0) | (model.entrants > 0)
    for s in steps:
        adj |= s.rate_add > 0
        seeds |= s.entry_add > 0
        if s.entry_total:
            seeds |= model.entrants > 0
        for _src, dst, *_ in s.moves:
            if dst.size:
                seeds[dst] = True
                adj[_src, dst] = True
    reach = seeds.copy()
    for _ in range(n):
        nxt = reach | adj[reach].any(0)
        if (nxt == reach).all():
            break
        reach = nxt
    return reach


def project(
    model: FittedModel,
    scenario: Scenario,
    dates: Sequence[dt.date],
    population: PopulationFn,
    simulations: int = 0,
    seed: int = 0,
    parameter_uncertainty: bool = True,
    on_step: Callable[[], None] | None = None,
) -> Projection:
    """Project ``scenario`` to each of ``dates`` (ascending, after the reference end)."""
    scenario.check_names(model.categories, model.brackets)
    steps, warnings = compile_steps(model, scenario, dates, population)
    keep = _reachable(model, steps)
    if not keep.any():
        keep[0] = True
    idx = np.flatnonzero(keep)
    sub = model.restricted(idx)
    sub_steps = [_restrict_step(s, idx) for s in steps]
    cats = model.category_of_state()[idx]
    n_cat = len(model.categories)
    onehot = np.zeros((idx.size, n_cat))
    onehot[np.arange(idx.size), cats] = 1.0

    # ---- expected values, analytic variance, and the spread of the rates ------------------
    rng = np.random.default_rng(seed)
    draws = ANALYTIC_DRAWS if parameter_uncertainty and simulations <= 0 else 0
    trans, exits, entrants = _rate_draws(sub, rng, draws)
    cache: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = {}
    x = np.broadcast_to(sub.x0, (draws + 1, idx.size)).copy()  # row 0: the point estimate
    cov = np.zeros((idx.size, idx.size))  # covariance of the stock by state (draw 0)
    t_len = len(dates)
    mean_states = np.zeros((t_len, model.n_states))
    var_cat = np.zeros((t_len, n_cat))
    var_tot = np.zeros(t_len)
    par_cat = np.zeros((t_len, n_cat))
    par_tot = np.zeros(t_len)
    child_days = np.zeros((t_len, n_cat))
    for k, spec in enumerate(sub_steps):
        key = (*spec.key(), spec.days)
        if key not in cache:
            p, e = _step_dynamics(sub, spec, trans, exits, entrants)
            pd_, sd = _power_pair(p, spec.days)
            cache[key] = (pd_, np.einsum("dn,dnm->dm", e, sd))
        pd_, inflow = cache[key]
        before = x[0]
        r, inflow0 = pd_[0], inflow[0]
        # children at the step start move multinomially by the rows of r; entrants in care at
        # the end are independent Poisson counts
        cov = r.T @ cov @ r + np.diag(before @ r) - r.T @ (before[:, None] * r) + np.diag(inflow0)
        x = np.einsum("dn,dnm->dm", x, pd_) + inflow
        for src, dst, expected, _whole, label in spec.moves:
            # a planned move takes a fixed number of children (what there is, if fewer) from
            # the source states in proportion to their expected stock, in the mean and in every
            # draw; a fixed number leaves the covariance as it is, and from here the moved
            # children follow the destination's rates, so the bands move with them
            available = x[:, src].sum(-1)
            take = np.minimum(expected, available)
            if take[0] + 1e-9 < expected:
                warnings.append(
                    f"scenario {scenario.name}: planned move {label}: only {available[0]:.1f} of "
                    f"{expected:.1f} children expected in the source by {spec.end}; moved what there is"
                )
            share = np.where(available > 0, take / np.where(available > 0, available, 1.0), 0.0)
            moved = x[:, src] * share[:, None]
            x[:, src] -= moved
            if dst.size:  # a move out of care has no destination
                x[:, dst] += moved
        x = np.maximum(x, 0.0)
        mean_states[k, idx] = x[0]
        child_days[k] = (before + x[0]) / 2 * spec.days @ onehot
        var_cat[k] = np.einsum("ic,ij,jc->c", onehot, cov, onehot)
        var_tot[k] = cov.sum()
        if draws > 1:
            par_cat[k] = (x[1:] @ onehot).var(0, ddof=1)
            par_tot[k] = x[1:].sum(1).var(ddof=1)
        if on_step is not None and simulations == 0:
            on_step()
    mean_cat = mean_states[:, idx] @ onehot
    mean_tot = mean_cat.sum(1)

    if simulations <= 0:
        method = "analytic"
        sd_cat = np.sqrt(np.maximum(var_cat + par_cat, 0))
        sd_tot = np.sqrt(np.maximum(var_tot + par_tot, 0))
        q_cat = {k: np.maximum(mean_cat + z * sd_cat, 0) for k, z in _Z.items()}
        q_tot = {k: np.maximum(mean_tot + z * sd_tot, 0) for k, z in _Z.items()}
    else:
        method = "simulation"
        sims = _simulate(sub, sub_steps, simulations, seed, parameter_uncertainty, onehot, on_step)
        q_cat = {k: np.quantile(sims[0], q, axis=0) for k, q in QUANTILES.items()}
        q_tot = {k: np.quantile(sims[1], q, axis=0) for k, q in QUANTILES.items()}
    return Projection(
        list(dates), mean_states, mean_cat, mean_tot, q_cat, q_tot, child_days, method, warnings
    )


def _restrict_step(spec: StepSpec, idx: np.ndarray) -> StepSpec:
    pos = np.full(spec.rate_mul.shape[0], -1)
    pos[idx] = np.arange(idx.size)
    moves = []
    for src, dst, expected, whole, label in spec.moves:
        # destinations are always reachable (seeded); drop sources that never hold a child
        keep = pos[src] >= 0
        moves.append((pos[src[keep]], pos[dst[keep]] if dst.size else dst, expected, whole, label))
    return StepSpec(
        spec.start,
        spec.end,
        spec.rate_mul[np.ix_(idx, idx)],
        spec.rate_add[np.ix_(idx, idx)],
        spec.exit_mul[idx],
        spec.exit_add[idx],
        spec.entry_mul[idx],
        spec.entry_add[idx],
        spec.entry_total,
        spec.growth,
        spec.diverted[idx],
        moves,
    )


def _gamma_factor(rng: np.random.Generator, counts: np.ndarray, draws: int) -> np.ndarray:
    """Multiplicative rate noise with mean 1 and CV 1/sqrt(events); 1 where no events."""
    shape = np.where(counts > 0, counts, 1.0)
    f = rng.gamma(shape, 1.0 / shape, size=(draws, *counts.shape))
    return np.where(counts > 0, f, 1.0)


def _rate_draws(
    model: FittedModel, rng: np.random.Generator, draws: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rates with a leading draw axis: draw 0 the estimates, then ``draws`` Gamma-perturbed."""
    trans = [model.transitions[None]]
    exits = [model.exits[None]]
    entrants = [model.entrants[None]]
    if draws:
        trans.append(model.transitions * _gamma_factor(rng, model.transition_counts, draws))
        exit_draws = model.exits * _gamma_factor(rng, model.exit_counts, draws)
        if model.exposure is not None:
            # children in a state nobody left during the reference period have not shown that
            # they stay for ever: draw that exit rate from its Jeffreys posterior Gamma(1/2, 1/days)
            silent = (model.exit_counts == 0) & (model.exposure > 0)
            if silent.any():
                scale = 1.0 / np.where(silent, model.exposure, 1.0)
                prior = rng.gamma(0.5, scale, size=(draws, model.n_states))
                exit_draws = np.where(silent, exit_draws + prior, exit_draws)
        exits.append(exit_draws)
        entrants.append(model.entrants * _gamma_factor(rng, model.entrant_counts, draws))
    return np.concatenate(trans), np.concatenate(exits), np.concatenate(entrants)


def _simulate(
    model: FittedModel,
    steps: list[StepSpec],
    simulations: int,
    seed: int,
    parameter_uncertainty: bool,
    onehot: np.ndarray,
    on_step: Callable[[], None] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo: (sims, T, C) category counts and (sims, T) totals."""
    rng = np.random.default_rng(seed)
    n = model.n_states
    draws = min(simulations, 100) if parameter_uncertainty else 1
    if parameter_uncertainty:
        trans, exits, entrants = (a[1:] for a in _rate_draws(model, rng, draws))
    else:
        trans = model.transitions[None]
        exits = model.exits[None]
        entrants = model.entrants[None]
    which = np.arange(simulations) % draws
    counts = np.broadcast_to(np.rint(model.x0).astype(np.int64), (simulations, n)).copy()
    out_cat = np.zeros((simulations, len(steps), onehot.shape[1]))
    out_tot = np.zeros((simulations, len(steps)))
    cache: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = {}
    for k, spec in enumerate(steps):
        key = (*spec.key(), spec.days)
        if key not in cache:
            p, e = _step_dynamics(model, spec, trans, exits, entrants)
            pd_, sd = _power_pair(p, spec.days)
            pd_ = np.clip(pd_, 0.0, 1.0)
            stay = pd_.sum(-1, keepdims=True)
            over = np.maximum(stay, 1.0)
            pd_ = pd_ / over
            pvals = np.concatenate([pd_, np.clip(1.0 - pd_.sum(-1, keepdims=True), 0, 1)], -1)
            lam = np.maximum(np.einsum("dn,dnm->dm", np.broadcast_to(e, (draws, n)), sd), 0.0)
            cache[key] = (pvals, lam)
        pvals, lam = cache[key]
        moved = rng.multinomial(counts, pvals[which])  # (sims, n, n + 1)
        counts = moved[:, :, :n].sum(1) + rng.poisson(lam[which])
        for src, dst, _expected, whole, _label in spec.moves:
            if whole <= 0 or src.size == 0:
                continue
            for s in range(simulations):
                avail = counts[s, src]
                take = min(int(whole), int(avail.sum()))
                if take:
                    picked = rng.multivariate_hypergeometric(avail, take)
                    counts[s, src] -= picked
                    if dst.size:
                        counts[s, dst] += picked
        out_cat[:, k] = counts @ onehot
        out_tot[:, k] = counts.sum(1)
        if on_step is not None:
            on_step()
    return out_cat, out_tot
