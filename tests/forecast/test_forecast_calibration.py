"""Calibration: 80% intervals cover the truth 70-90% of the time on simulated councils.

The councils come from a small simulator written here, independent of the forecast code: children
arrive as a Poisson stream at random ages, move between placement types and leave care with fixed
daily hazards, and leave at 18. (`sufficiency synth` will replace it as the source of councils.)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.forecast import run_forecast
from sufficiency.profile import LAProfile

PLACES = [("U4", "PR1"), ("U4", "PR4"), ("K2", "PR4"), ("H5", "PR4")]
TYPES = ["in_house_fostering", "ifa", "external_residential", "supported_accommodation"]
MOVES = np.array(
    [  # daily hazards of moving between the four types
        [0.0, 0.0004, 0.0002, 0.0001],
        [0.0003, 0.0, 0.0002, 0.0001],
        [0.0004, 0.0003, 0.0, 0.0005],
        [0.0001, 0.0001, 0.0002, 0.0],
    ]
)
EXIT = np.array([0.0011, 0.0009, 0.0007, 0.0015])
ENTRY_MIX = np.array([0.45, 0.35, 0.1, 0.1])
START = dt.date(2016, 4, 1)
END = dt.date(2024, 3, 31)


def simulate_council(seed: int, entrants_per_day: float = 0.25) -> tuple[Dataset, dict[str, int]]:
    """Episodes from START to END and the true stock per type on END."""
    rng = np.random.default_rng(seed)
    n_days = (END - START).days
    cap = int(entrants_per_day * n_days * 1.5) + 50
    dob = np.zeros(cap, dtype=np.int64)
    cat = np.full(cap, -1)
    since = np.zeros(cap, dtype=np.int64)
    n = 0
    rows: list[tuple[int, int, int, int]] = []  # child, decom day, dec day (-1 open), cat
    for day in range(n_days + 1):
        active = np.flatnonzero(cat >= 0)
        if active.size:
            c = cat[active]
            u = rng.random(active.size)
            p_exit = EXIT[c]
            p_move = MOVES[c]
            cum = np.cumsum(np.column_stack([p_exit, p_move]), axis=1)
            pick = (u[:, None] >= cum).sum(1)  # 0 = exit, 1..4 = move to type k-1, 5 = stay
            adult = day - dob[active] >= 18 * 365.25
            changed = adult | (pick == 0) | ((pick <= 4) & (pick - 1 != c))
            for i, k, a in zip(active[changed], pick[changed], adult[changed], strict=True):
                if a or k == 0:
                    rows.append((i, since[i], day, cat[i]))
                    cat[i] = -1
                elif k <= 4 and k - 1 != cat[i]:
                    rows.append((i, since[i], day, cat[i]))
                    cat[i] = k - 1
                    since[i] = day
        for _ in range(rng.poisson(entrants_per_day)):
            age_days = int(rng.uniform(0, 17.5) * 365.25)
            dob[n] = day - age_days
            cat[n] = rng.choice(4, p=ENTRY_MIX)
            since[n] = day
            n += 1
    truth = {t: 0 for t in TYPES}
    for i in np.flatnonzero(cat >= 0):
        rows.append((i, since[i], -1, cat[i]))
        truth[TYPES[cat[i]]] += 1
    to_date = lambda d: START + dt.timedelta(days=int(d))  # noqa: E731
    eps = pl.DataFrame(
        {
            "CHILD": [f"c{r[0]}" for r in rows],
            "DECOM": [to_date(r[1]) for r in rows],
            "DEC": [None if r[2] < 0 else to_date(r[2]) for r in rows],
            "PLACE": [PLACES[r[3]][0] for r in rows],
            "PLACE_PROVIDER": [PLACES[r[3]][1] for r in rows],
            "LS": ["C2"] * len(rows),
        }
    )
    kids = pl.DataFrame(
        {"CHILD": [f"c{i}" for i in range(n)], "DOB": [to_date(d) for d in dob[:n]]}
    )
    ds = Dataset.from_frames(
        LAProfile(name="Sim", code="E06000019"),
        children=kids,
        episodes=eps,
        returns=tuple(range(2017, 2025)),
    )
    return ds, truth


@pytest.mark.slow
def test_80_percent_intervals_cover_the_truth_70_to_90_percent() -> None:
    hits = []
    for seed in range(24):
        ds, truth = simulate_council(seed)
        result = run_forecast(
            ds,
            "default",
            reference_end=dt.date(2023, 3, 31),
            horizon_months=12,
            simulations=300,
            seed=seed,
        ).to_json()
        base = result["scenarios"]["baseline"]
        assert base["horizon_end"] == "2024-03-31"
        for t in TYPES:
            band = base["at_horizon"]["by_category"][t]
            hits.append(band["p10"] <= truth[t] <= band["p90"])
    coverage = sum(hits) / len(hits)
    assert 0.70 <= coverage <= 0.90, coverage
