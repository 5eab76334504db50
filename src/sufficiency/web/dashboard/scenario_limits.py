"""The bounds a scenario saved on the web must keep to, so that a typing slip ("multiply by
1,000,000") cannot produce a forecast: multipliers from 0 to 5, and additions no larger than the
rates the council's own data show (the fitted forecast model of the loaded returns).

An addition to a transition rate (``rates[].add_per_year``, per child per year) may be at most
the highest rate observed between any two states or out of care, either way; an addition to
entries (``entries[].add_per_year``, children a year) at most the entrants a year observed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sufficiency.dataset import Dataset
from sufficiency.forecast.scenarios import EntryAdjustment, RateAdjustment, Scenario

#: The largest multiplier of an observed rate a web scenario may use.
MULTIPLY_MAX = 5.0
_lock = threading.Lock()
_cache: dict[str, Limits] = {}


@dataclass(frozen=True)
class Limits:
    """The observed rates additions are checked against (per year)."""

    #: highest transition or exit rate per child per year in the fitted model
    rate_per_year: float
    #: children entering care a year in the fitted model
    entrants_per_year: float


def observed_limits(ds: Dataset, key: str) -> Limits:
    """The limits from the forecast model fitted to ``ds`` (cached under ``key``, the data
    version)."""
    with _lock:
        if key in _cache:
            return _cache[key]
    from sufficiency.forecast import fit_model

    model = fit_model(ds)
    days = model.config.year_in_days
    rates = [float(model.transitions.max(initial=0.0)), float(model.exits.max(initial=0.0))]
    found = Limits(
        rate_per_year=round(max(rates) * days, 4),
        entrants_per_year=round(float(model.entrants.sum()) * days, 1),
    )
    with _lock:
        _cache.clear()  # one data version at a time
        _cache[key] = found
    return found


def _num(value: float) -> str:
    """A number as a person types it: 1,000,000 or 0.25."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6g}"


def limit_errors(scenario: Scenario, limits: Limits | None) -> list[str]:
    """Each value of ``scenario`` outside its bound, named by its place in the scenario; with no
    limits (no returns loaded) additions cannot be checked and are refused."""
    errors = []
    adjustments: list[tuple[str, int, RateAdjustment | EntryAdjustment]]
    adjustments = [("rates", i, r) for i, r in enumerate(scenario.rates)]
    adjustments += [("entries", i, e) for i, e in enumerate(scenario.entries)]
    for group, i, adj in adjustments:
        where = f"{group}[{i}]"
        if not 0 <= adj.multiply <= MULTIPLY_MAX:
            errors.append(
                f"{where}.multiply: {_num(adj.multiply)} is outside 0 to {_num(MULTIPLY_MAX)} "
                "(a multiplier of the rate observed)"
            )
        if not adj.add_per_year:
            continue
        if limits is None:
            errors.append(
                f"{where}.add_per_year: an addition is checked against the rates observed in the "
                "loaded returns: load a return first"
            )
            continue
        bound, unit = (
            (limits.rate_per_year, "the highest rate observed per child per year")
            if group == "rates"
            else (limits.entrants_per_year, "the children entering care a year observed")
        )
        if abs(adj.add_per_year) > bound:
            errors.append(
                f"{where}.add_per_year: {_num(adj.add_per_year)} is outside -{_num(bound)} to "
                f"{_num(bound)} "
                f"({unit})"
            )
    return errors
