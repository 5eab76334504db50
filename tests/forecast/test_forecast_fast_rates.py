"""A state left faster than once a day (an exit rate drawn from one day's exposure) empties
within the day: the daily step never takes more children out of a state than it holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
from tiny_models import tiny_model

from sufficiency.forecast.projection import project
from sufficiency.forecast.scenarios import Scenario

DATES = [dt.date(2024, m, 30) for m in (4, 6, 9)]


def _flat(year: int) -> float:
    return 10_000.0


def test_a_rate_above_one_a_day_empties_the_state_and_bands_stay_finite() -> None:
    # was: P = I + Q with a diagonal of -3.1; P^365 overflowed and the statement crashed
    model = tiny_model([10.0, 10.0], exits=[4.1, 0.001])
    got = project(model, Scenario(name="baseline"), DATES, _flat)
    assert got.mean_categories[:, 0].tolist() == [0.0, 0.0, 0.0]
    assert np.allclose(got.mean_categories[:, 1], [10 * 0.999**d for d in (30, 91, 183)])
    for q in (*got.q_categories.values(), *got.q_total.values()):
        assert np.isfinite(q).all()


def test_a_silent_state_seen_for_a_day_gives_finite_bands() -> None:
    """Nobody left it in the reference period, on one child-day: its exit rate is drawn from
    Gamma(1/2, 1 day), several a day in some draws."""
    model = tiny_model([3.0, 10.0], exits=[0.0, 0.001])
    model = replace(model, exit_counts=np.array([0.0, 50.0]), exposure=np.array([1.0, 3650.0]))
    got = project(model, Scenario(name="baseline"), DATES, _flat)
    assert got.mean_categories[:, 0].tolist() == [3.0, 3.0, 3.0]  # the estimate: none leave
    for q in (*got.q_categories.values(), *got.q_total.values()):
        assert np.isfinite(q).all() and (q >= 0).all()
