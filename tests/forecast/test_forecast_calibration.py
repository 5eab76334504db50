"""Calibration: on councils made by `sufficiency synth`, the bands cover the truth as they claim.

synth simulates children one by one (entry age, route out of care and its length, placement moves
under carer capacity), independently of the forecast code, so the transition model is only an
approximation of it. Each council is generated for the returns 2022..2026; the forecast is fitted
on the returns 2022..2025 only (a DATA folder holding just those) and predicts 31 March 2026; the
truth is the stock by placement type on that day, read from the 2026 return (a folder holding only
it: every episode open on 31 March 2026 is in it). Both read by `load_data`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.forecast import run_forecast
from sufficiency.ingest import load_data
from sufficiency.synth import SynthCouncil, generate, write_data_folder

SEEDS = range(16)
CHILDREN = 400  # looked after at a time: a middling English council
FIT_YEARS = (2022, 2023, 2024, 2025)
TRUTH_DAY = dt.date(2026, 3, 31)


def _load(path: Path) -> Dataset:
    loaded = load_data(path)
    assert loaded.dataset is not None, [p for p in loaded.problems if p.severity == "error"][:3]
    return loaded.dataset


def _stock(ds: Dataset, day: dt.date) -> dict[str, int]:
    """Children looked after on ``day`` by placement type (DESIGN.md: DECOM <= D < DEC)."""
    open_ = ds.episodes_typed.filter(
        ~pl.col("short_break")
        & (pl.col("DECOM") <= day)
        & (pl.col("DEC").is_null() | (pl.col("DEC") > day))
    )
    return {str(k): int(v) for k, v in open_.group_by("placement_type").len().iter_rows()}


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, Dataset, dict[str, int]]]:
    """(seed, Dataset of the first four returns, true stock by type on 31 March 2026)."""
    root = tmp_path_factory.mktemp("calibration")
    out = []
    for seed in SEEDS:
        council = generate(seed=seed, children=CHILDREN, years=[*FIT_YEARS, 2026])
        # the truth needs only the last return: every episode open on its last day is in it
        last = SynthCouncil(
            profile=council.profile, returns={2026: council.returns[2026]}, registers={}
        )
        write_data_folder(last, root / f"last{seed}")
        first = SynthCouncil(
            profile=council.profile,
            returns={y: council.returns[y] for y in FIT_YEARS},
            registers={},
        )
        write_data_folder(first, root / f"first{seed}")
        truth = _load(root / f"last{seed}")
        assert truth.last_date == TRUTH_DAY
        fit_ds = _load(root / f"first{seed}")
        assert fit_ds.last_date == dt.date(2025, 3, 31)
        out.append((seed, fit_ds, _stock(truth, TRUTH_DAY)))
    return out


def _coverage(
    councils: list[tuple[int, Dataset, dict[str, int]]], simulations: int
) -> tuple[float, float, int]:
    """Share of (council, placement type) whose truth lies in the 80% and the 95% band.

    Types neither held on the day nor expected (mean < 0.5) are left out: an empty band around
    an empty type would count as a hit without saying anything."""
    in80 = in95 = n = 0
    for seed, ds, truth in councils:
        doc = run_forecast(
            ds, "default", horizon_months=12, simulations=simulations, seed=seed
        ).to_json()
        base = doc["scenarios"]["baseline"]
        assert doc["reference"] == {"start": "2024-03-31", "end": "2025-03-31"}
        assert base["horizon_end"] == TRUTH_DAY.isoformat()
        for category, band in base["at_horizon"]["by_category"].items():
            actual = truth.get(category, 0)
            if actual == 0 and band["mean"] < 0.5:
                continue
            n += 1
            in80 += band["p10"] <= actual <= band["p90"]
            in95 += band["p2_5"] <= actual <= band["p97_5"]
    return in80 / n, in95 / n, n


@pytest.mark.slow
def test_analytic_bands_are_calibrated_on_synth_councils(
    councils: list[tuple[int, Dataset, dict[str, int]]],
) -> None:
    cover80, cover95, n = _coverage(councils, simulations=0)
    assert n >= 150  # about a dozen placement types a council
    assert 0.70 <= cover80 <= 0.90, cover80
    assert 0.88 <= cover95 <= 0.99, cover95


@pytest.mark.slow
def test_simulated_bands_are_calibrated_on_synth_councils(
    councils: list[tuple[int, Dataset, dict[str, int]]],
) -> None:
    cover80, cover95, _ = _coverage(councils, simulations=300)
    assert 0.70 <= cover80 <= 0.90, cover80
    assert 0.88 <= cover95 <= 0.99, cover95
