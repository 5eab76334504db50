"""Benchmark: postcodes -> location and distance, and the Dataset's placement spells.

* ``postcode directory load``: every letter of the ONS postcode directory (~2.7 million rows)
  into Polars, in a fresh cache folder: *package files* decodes the brotli+msgpack files with no
  cache (what every process paid before the cache); *first use* decodes them and writes the
  Parquet cache (``geo.cache``); *from the cache* is what every later process pays (target
  0.2 s), beside ``polars.read_parquet`` of the same rows from one file, uncompressed as the
  cache writes them, as the floor.
* ``enrich_locations``: 1,000,000 placement rows (100,000 with ``--quick``) whose HOME_POST are
  5,000 real Herefordshire postcodes and PL_POST 20,000 real postcodes across Great Britain
  (plus 2% postcode sectors and 1% junk), warm and cold (cold reads the letters from the cache).
* ``Dataset.placements``: spells from 1,000,000 episodes, location enrichment included.
* peer: the DfE validator's own derivation (``lac_validator.datastore._add_postcode_derived_fields``,
  csc-validator-be-903 in ``.peer-venvs/val903``) on the same rows as ours, each in a fresh
  process (cold: the peer decodes the postcode files, ours reads the Parquet cache that any
  earlier run built), 200,000 rows (20,000 quick), with peak memory.

Run: ``python -m benchmarks.run --only geo [--quick]``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parents[1]
PEER_PYTHON = REPO / ".peer-venvs" / "val903" / "bin" / "python"
LA = "E06000019"  # Herefordshire
TARGET_DIRECTORY_SECONDS = 0.2  # the whole directory from the cache
NEIGHBOURS = ["E06000051", "E10000034", "E10000013", "W06000023", "W06000021"]

OURS_SCRIPT = """
import json, sys, time
def peak_mb():
    # VmHWM: this process's own high-water mark (ru_maxrss can carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
import polars as pl
frame = pl.read_csv(sys.argv[1], infer_schema=False)
t = time.perf_counter()
from sufficiency.geo import enrich_locations
out = enrich_locations(frame, sys.argv[2], [])
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rows": out.height,
                  "peak_mb": peak_mb()}))
"""

PEER_SCRIPT = """
import json, sys, time
def peak_mb():
    # VmHWM: this process's own high-water mark (ru_maxrss can carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
import pandas as pd
frame = pd.read_csv(sys.argv[1], dtype=str)
t = time.perf_counter()
from lac_validator.datastore import _add_postcode_derived_fields
out = _add_postcode_derived_fields(frame, sys.argv[2])
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rows": len(out),
                  "peak_mb": peak_mb()}))
"""


def placement_rows(n: int, seed: int = 20) -> pl.DataFrame:
    """``n`` rows of HOME_POST / PL_POST: real postcodes, some sectors, some junk."""
    from sufficiency import geo

    homes = geo.postcodes_in_la(LA, limit=5000).get_column("postcode").to_numpy()
    away = geo.postcodes_outside([], limit=20000, england_only=False)
    places = away.filter(~pl.col("upper_la").str.starts_with("N")).get_column("postcode")
    places_np = places.to_numpy()
    rng = np.random.default_rng(seed)
    home = homes[rng.integers(0, len(homes), n)]
    place = places_np[rng.integers(0, len(places_np), n)].astype(object)
    kind = rng.random(n)
    sectors = np.array([p[:-2] for p in place[kind < 0.02]], dtype=object)
    place[kind < 0.02] = sectors
    place[(kind >= 0.02) & (kind < 0.03)] = "ZZ99 9ZZ"
    return pl.DataFrame({"HOME_POST": home, "PL_POST": place.astype(str)})


def _subprocess(python: Path | str, script: str, csv: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), "-c", script, str(csv), LA],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
        cwd=REPO,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _row(name: str, metric: str, value: float, unit: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "metric": metric, "value": value, "unit": unit, **extra}


def _median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median wall seconds of ``runs`` calls of ``fn``."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def directory_loads(runs: int) -> list[dict[str, Any]]:
    """The whole directory: decoded, converted on first use, read from the cache; the floor."""
    from sufficiency import geo
    from sufficiency.geo.directory import _decode_letter, all_letters, directory_for
    from sufficiency.geo.packages import postcode_data_dir

    letters = all_letters()
    files = [postcode_data_dir() / f"postcodes_{letter}.msgpack.br" for letter in letters]
    t = time.perf_counter()
    decoded = [_decode_letter(path) for path in files]
    no_cache = time.perf_counter() - t
    n = sum(frame.height for frame in decoded)
    geo.clear_cache()
    t = time.perf_counter()
    directory = directory_for(letters)  # the benchmark's cache folder starts empty
    first_use = time.perf_counter() - t

    def warm_load() -> None:
        geo.clear_cache()
        directory_for(letters)

    warm = _median_seconds(warm_load, runs)
    with tempfile.TemporaryDirectory() as tmp:
        single = Path(tmp) / "directory.parquet"
        directory.write_parquet(single, compression="uncompressed")  # as geo.cache writes it
        floor = _median_seconds(lambda: pl.read_parquet(single), runs)
    return [
        _row("postcode directory load: package files, no cache", "seconds", no_cache, "s",
             postcodes=n),
        _row("postcode directory load: first use (decode + write Parquet cache)", "seconds",
             first_use, "s", postcodes=directory.height, overhead=first_use / no_cache),
        _row("postcode directory load: from the Parquet cache", "seconds", warm, "s",
             postcodes=directory.height, peer="polars.read_parquet, one file (uncompressed, as the cache)",
             peer_value=floor, ratio=floor / warm, target=TARGET_DIRECTORY_SECONDS,
             target_ratio=TARGET_DIRECTORY_SECONDS / warm, speedup=no_cache / warm),
    ]  # fmt: skip


def run(quick: bool) -> list[dict[str, Any]]:
    """Every measurement with its own empty cache folder (never the user's own)."""
    with tempfile.TemporaryDirectory() as cache:
        previous = os.environ.get("SUFFICIENCY_CACHE_DIR")
        os.environ["SUFFICIENCY_CACHE_DIR"] = cache
        try:
            return _run(quick)
        finally:
            if previous is None:
                del os.environ["SUFFICIENCY_CACHE_DIR"]
            else:
                os.environ["SUFFICIENCY_CACHE_DIR"] = previous


def _run(quick: bool) -> list[dict[str, Any]]:
    from sufficiency import geo

    # 1. the whole directory: no cache, first use, from the cache, floor
    results = directory_loads(3 if quick else 5)
    # 2. enrich placements, warm (directory in memory) and cold (letters read from the cache)
    n = 100_000 if quick else 1_000_000
    frame = placement_rows(n)
    t = time.perf_counter()
    out = geo.enrich_locations(frame, LA, NEIGHBOURS)
    warm = time.perf_counter() - t
    geo.clear_cache()
    t = time.perf_counter()
    geo.enrich_locations(frame, LA, NEIGHBOURS)
    cold = time.perf_counter() - t
    known = out.get_column("distance_miles").is_not_null().mean()
    results.append(
        _row(
            f"enrich_locations {n:,} rows (warm)",
            "throughput",
            n / warm,
            "rows/s",
            seconds=warm,
            distances_known=known,
        )
    )
    results.append(
        _row(f"enrich_locations {n:,} rows (cold)", "throughput", n / cold, "rows/s", seconds=cold)
    )
    # 3. Dataset.placements from episodes (spells + enrichment)
    sys.path.insert(0, str(REPO))
    from benchmarks._episodes import random_episodes
    from sufficiency.dataset import Dataset
    from sufficiency.profile import LAProfile

    eps = random_episodes(n, frame.get_column("PL_POST").unique().head(20000).to_list())
    profile = LAProfile(name="Benchmark", code=LA, neighbours=tuple(NEIGHBOURS))
    ds = Dataset.from_frames(profile, episodes=eps)
    t = time.perf_counter()
    spells = ds.placements
    seconds = time.perf_counter() - t
    results.append(
        _row(
            f"Dataset.placements {eps.height:,} episodes",
            "throughput",
            eps.height / seconds,
            "episodes/s",
            seconds=seconds,
            placements=spells.height,
        )
    )
    # 4. side by side with the DfE validator, each cold in its own process
    n_peer = 20_000 if quick else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "placements.csv"
        frame.head(n_peer).write_csv(csv)
        ours = _subprocess(sys.executable, OURS_SCRIPT, csv)
        peer = _subprocess(PEER_PYTHON, PEER_SCRIPT, csv) if PEER_PYTHON.exists() else None
    name = f"PL_LA/PL_DISTANCE derivation {n_peer:,} rows (cold)"
    ours_rate = n_peer / ours["seconds"]
    if peer is None:
        results.append(_row(name, "throughput", ours_rate, "rows/s", peer_value=None))
        results.append(_row(name, "peak memory", ours["peak_mb"], "MB"))
    else:
        peer_rate = n_peer / peer["seconds"]
        results.append(
            _row(
                name,
                "throughput",
                ours_rate,
                "rows/s",
                peer_value=peer_rate,
                ratio=ours_rate / peer_rate,
            )
        )
        results.append(
            _row(
                name,
                "peak memory",
                ours["peak_mb"],
                "MB",
                peer_value=peer["peak_mb"],
                ratio=peer["peak_mb"] / ours["peak_mb"],
            )
        )
    return results


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        print(row)
