"""Supply benchmarks: loading large registers (CSV and XLSX) and the gap over large registers.

No peer tool computes registers or the sufficiency gap, so these report our own throughput.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl


def _write_registers(folder: Path, n_carers: int, n_homes: int, seed: int = 11) -> int:
    """Synthetic carers, homes, contracts, costs, recruitment registers; returns total rows."""
    rng = np.random.default_rng(seed)
    base = dt.date(2005, 1, 1)
    approved = [base + dt.timedelta(days=int(d)) for d in rng.integers(0, 6500, n_carers)]
    # deregistered by the end of 2024: the register check refuses a date after today
    last = dt.date(2024, 12, 31)
    dereg = [
        min(a + dt.timedelta(days=int(d)), last) if rng.random() < 0.4 else None
        for a, d in zip(approved, rng.integers(30, 4000, n_carers), strict=True)
    ]
    types = np.array(
        [
            "mainstream",
            "mainstream;short_breaks",
            "kinship",
            "parent_and_child",
            "emergency;mainstream",
        ]
    )
    places = rng.integers(1, 4, n_carers)
    carers = pl.DataFrame(
        {
            "household_id": [f"H{i}" for i in range(n_carers)],
            "status": ["deregistered" if d else "approved" for d in dereg],
            "approval_types": rng.choice(types, n_carers),
            "approved_date": [a.strftime("%d/%m/%Y") for a in approved],
            "deregistered_date": [d.isoformat() if d else "" for d in dereg],
            "places": places,
            # never above places: the register check refuses an over-full household
            "occupied": np.minimum(rng.integers(0, 3, n_carers), places),
            "postcode": ["HR1 1AA"] * n_carers,
        }
    )
    carers.write_csv(folder / "carers.csv")
    homes = pl.DataFrame(
        {
            "urn": [f"SC{i:06d}" for i in range(n_homes)],
            "provider": [f"Provider {i % 300}" for i in range(n_homes)],
            "sector": rng.choice(np.array(["private", "local_authority", "voluntary"]), n_homes),
            "local_authority": rng.choice(
                np.array(["E06000019", "E10000028", "E10000015"]), n_homes
            ),
            "places": rng.integers(1, 7, n_homes),
            "rating": rng.choice(
                np.array(["good", "outstanding", "requires improvement", ""]), n_homes
            ),
            "registered_date": ["2015-01-01"] * n_homes,
            "in_house": rng.choice(np.array(["yes", "no", "no", "no"]), n_homes),
        }
    )
    homes.write_csv(folder / "homes.csv")
    months = pl.date_range(dt.date(2005, 1, 1), dt.date(2024, 12, 1), "1mo", eager=True)
    recruitment = pl.DataFrame(
        {
            "month": months.dt.strftime("%Y-%m"),
            "enquiries": rng.integers(20, 60, months.len()),
            "approvals": rng.integers(0, 6, months.len()),
        }
    )
    recruitment.write_csv(folder / "recruitment.csv")
    n_con = max(n_homes // 10, 10)
    contracts = pl.DataFrame(
        {
            "contract_id": [f"K{i}" for i in range(n_con)],
            "provider": [f"Provider {i % 300}" for i in range(n_con)],
            "kind": rng.choice(np.array(["block", "framework", "spot"]), n_con),
            "placement_type": rng.choice(
                np.array(["external_residential", "ifa", "supported_accommodation"]), n_con
            ),
            "places": rng.integers(1, 10, n_con),
            "start": ["2020-04-01"] * n_con,
            "end": ["2027-03-31"] * n_con,
        }
    )
    contracts.write_csv(folder / "contracts.csv")
    costs = pl.DataFrame(
        {
            "placement_type": ["ifa", "external_residential", "supported_accommodation"] * 10,
            "year": np.repeat(np.arange(2018, 2028), 3),
            "weekly_cost": rng.integers(900, 7000, 30),
        }
    )
    costs.write_csv(folder / "costs.csv")
    return n_carers + n_homes + months.len() + n_con + 30


def run(quick: bool) -> list[dict[str, Any]]:
    from benchmarks._episodes import random_episodes
    from sufficiency.dataset import Dataset
    from sufficiency.ingest.registers import load_registers
    from sufficiency.profile import LAProfile
    from sufficiency.supply.gap import gap_for_dataset

    n_carers, n_homes = (20_000, 5_000) if quick else (200_000, 50_000)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "registers"
        folder.mkdir()
        rows = _write_registers(folder, n_carers, n_homes)
        t0 = time.perf_counter()
        frames, problems = load_registers(folder)
        load_s = time.perf_counter() - t0
        assert not [p for p in problems if p.severity == "error"], problems[:3]
        results.append(
            {
                "name": "supply.load_registers_csv",
                "metric": "rows_per_second",
                "value": round(rows / load_s),
                "unit": "rows/s",
            }
        )
        results.append(
            {
                "name": "supply.load_registers_csv",
                "metric": "wall_time",
                "value": round(load_s, 3),
                "unit": "s",
            }
        )
        xlsx = Path(tmp) / "x" / "registers"
        xlsx.mkdir(parents=True)
        frames["homes"].with_columns(pl.all().cast(pl.Utf8)).write_excel(xlsx / "homes.xlsx")
        t0 = time.perf_counter()
        _, xp = load_registers(xlsx)
        xlsx_s = time.perf_counter() - t0
        assert not [p for p in xp if p.severity == "error"], xp[:3]
        results.append(
            {
                "name": "supply.load_homes_xlsx",
                "metric": "rows_per_second",
                "value": round(n_homes / xlsx_s),
                "unit": "rows/s",
            }
        )
        eps = random_episodes(20_000 if quick else 200_000, ["HR1 1AA", "HR4 9AB"])
        profile = LAProfile(name="Bench", code="E06000019")
        ds = Dataset.from_frames(
            profile, episodes=eps, registers=frames, returns=(2022, 2023, 2024)
        )
        t0 = time.perf_counter()
        res = gap_for_dataset(ds, [2025, 2026, 2027])
        gap_s = time.perf_counter() - t0
        assert res.years and res.years[0].by_type
        results.append(
            {
                "name": "supply.gap_large_registers",
                "metric": "wall_time",
                "value": round(gap_s, 3),
                "unit": "s",
            }
        )
    return results
