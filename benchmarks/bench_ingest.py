"""Benchmark: SSDA903 ingest of one synthetic return with 1,000,000 episode rows (100k quick).

Measures ``load_data`` (rows/second, CPU seconds and peak resident memory; each loader in its
own subprocess so memory is not shared, best of REPEAT runs) and cs-demand-model's loader on the
same files (``DemandModellingDataContainer(...).combined_data``, its own venv) side by side as a
ratio. Wall time depends on how busy the machine is; CPU seconds are steadier.

Beside both, the Polars-only floor on the same files: ``polars.read_csv`` of header and episodes
as text and their dates parsed, nothing checked (what any loader of these files must pay). The
goal (issue 18) is 1.5 s for 1,000,000 episodes: ``target`` and ``target_ratio`` (target / ours,
> 1: met) on the seconds row; ``floor_value`` and ``floor_ratio`` (floor / ours) beside it.

Run: ``python -m benchmarks.bench_ingest [--quick]``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parents[1]
PEER_PYTHON = REPO / ".peer-venvs" / "demand" / "bin" / "python"
YEAR = 2023  # the 2022-23 return

_LS = ["C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2"]
_CIN = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]
_PLACE = ["U1", "U2", "U3", "U4", "U5", "U6", "K2", "R1", "H5", "P1", "P2", "S1", "A4"]
_PROVIDER = ["PR1", "PR2", "PR3", "PR4", "PR5"]
_ETHNIC = ["WBRI", "WOTH", "MWBC", "AIND", "BAFR", "BCRB", "CHNE", "OOTH", "REFU"]
_REC_END = ["E11", "E12", "E13", "E41", "E45", "E8", "E4A"]


def _postcodes(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` postcode-shaped strings (area letters, district, sector, unit) for the generator."""
    areas = np.array(["HR", "WR", "B", "CF", "GL", "SY", "NP", "LD"])
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    return np.char.add(
        np.char.add(
            np.char.add(rng.choice(areas, n), rng.integers(1, 20, n).astype(str)),
            np.char.add(" ", rng.integers(0, 10, n).astype(str)),
        ),
        np.char.add(rng.choice(letters, n), rng.choice(letters, n)),
    )


def write_return(data: Path, episodes: int, seed: int = 1) -> None:
    """Write DATA/la.toml and ssda903/<YEAR>/header.csv + episodes.csv (valid 2022-23 codes)."""
    rng = np.random.default_rng(seed)
    per_child = 4
    n_children = episodes // per_child
    folder = data / "ssda903" / str(YEAR)
    folder.mkdir(parents=True, exist_ok=True)
    (data / "la.toml").write_text(
        'name = "Benchmark"\ncode = "E06000019"\nregion = "West Midlands"\nneighbours = []\n'
    )
    ids = np.arange(100000, 100000 + n_children)
    epoch = pl.date(1970, 1, 1)
    start0 = (np.datetime64("2019-04-01") - np.datetime64("1970-01-01")).astype(int)
    dob = start0 - rng.integers(0, 17 * 365, n_children)
    header = pl.DataFrame(
        {
            "CHILD": ids.astype(str),
            "SEX": rng.choice(["1", "2"], n_children),
            "DOB": dob,
            "ETHNIC": rng.choice(_ETHNIC, n_children),
            "UPN": [None] * n_children,
            "MOTHER": [None] * n_children,
            "MC_DOB": [None] * n_children,
        },
        schema_overrides={"UPN": pl.Utf8, "MOTHER": pl.Utf8, "MC_DOB": pl.Utf8},
    ).with_columns((epoch + pl.duration(days=pl.col("DOB"))).dt.strftime("%d/%m/%Y").alias("DOB"))
    header.write_csv(folder / "header.csv")

    n = n_children * per_child
    first = start0 + rng.integers(0, 3 * 365, n_children)
    lengths = rng.integers(1, 60, (n_children, per_child))
    starts = first[:, None] + np.concatenate(
        [np.zeros((n_children, 1), dtype=np.int64), np.cumsum(lengths, axis=1)[:, :-1]], axis=1
    )
    ends = starts + lengths
    last = np.zeros((n_children, per_child), dtype=bool)
    last[:, -1] = True
    open_last = last & (rng.random((n_children, per_child)) < 0.5)
    rne = np.where(np.arange(per_child)[None, :] == 0, "S", "P")
    eps = pl.DataFrame(
        {
            "CHILD": np.repeat(ids, per_child).astype(str),
            "DECOM": starts.ravel(),
            "RNE": np.broadcast_to(rne, (n_children, per_child)).ravel(),
            "LS": rng.choice(_LS, n),
            "CIN": rng.choice(_CIN, n),
            "PLACE": rng.choice(_PLACE, n),
            "PLACE_PROVIDER": rng.choice(_PROVIDER, n),
            "DEC": np.where(open_last, -1, ends).ravel(),
            "REC": np.where(last, rng.choice(_REC_END, (n_children, per_child)), "X1").ravel(),
            "REASON_PLACE_CHANGE": np.where(last, None, "CARPL").ravel(),
            "HOME_POST": rng.choice(_postcodes(rng, 20_000), n),
            "PL_POST": rng.choice(_postcodes(rng, 5_000), n),
            "URN": rng.choice(np.append(rng.integers(1_000_000, 9_999_999, 2_000), 0), n),
        }
    ).with_columns(
        (epoch + pl.duration(days=pl.col("DECOM"))).dt.strftime("%d/%m/%Y").alias("DECOM"),
        pl.when(pl.col("DEC") < 0)
        .then(None)
        .otherwise((epoch + pl.duration(days=pl.col("DEC"))).dt.strftime("%d/%m/%Y"))
        .alias("DEC"),
        pl.when(pl.col("DEC") < 0).then(None).otherwise(pl.col("REC")).alias("REC"),
        pl.when(pl.col("URN") == 0)
        .then(pl.lit("XXXXXXX"))
        .otherwise(pl.col("URN").cast(pl.Utf8))
        .alias("URN"),
    )
    eps.write_csv(folder / "episodes.csv")


#: Peak resident memory of the measuring process itself (VmHWM restarts at exec, unlike
#: ru_maxrss, which a child inherits from the benchmark process that forked it).
_PEAK = """
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
"""

#: Each loader runs REPEAT times in its own process; the best wall time counts (both alike).
REPEAT = 2

_OURS = (
    _PEAK
    + """
import json, sys, time
from pathlib import Path
from sufficiency.ingest import load_data
import polars  # noqa: F401  (imports done before timing)
best = None
result = None
for _ in range(int(sys.argv[2])):
    result = None  # the previous run's Dataset is not held while the next one loads
    t, c = time.perf_counter(), time.process_time()
    result = load_data(Path(sys.argv[1]))
    run = (time.perf_counter() - t, time.process_time() - c)
    best = run if best is None or run < best else best
errors = [p for p in result.problems if p.severity == "error"]
print(json.dumps({"seconds": best[0], "cpu": best[1], "episodes": result.episodes,
                  "errors": len(errors), "first_error": errors[0].message if errors else None,
                  "max_rss_kb": peak_kb()}))
"""
)

_PEER = (
    _PEAK
    + """
import json, sys, time
from cs_demand_model import DemandModellingDataContainer
from cs_demand_model.config import Config
from cs_demand_model.datastore import fs_datastore
best = None
dc = combined = None
for _ in range(int(sys.argv[2])):
    dc = combined = None  # nor the peer's
    t, c = time.perf_counter(), time.process_time()
    dc = DemandModellingDataContainer(fs_datastore(sys.argv[1]), Config())
    combined = dc.combined_data
    run = (time.perf_counter() - t, time.process_time() - c)
    best = run if best is None or run < best else best
print(json.dumps({"seconds": best[0], "cpu": best[1], "episodes": int(len(combined)),
                  "max_rss_kb": peak_kb()}))
"""
)


_FLOOR = (
    _PEAK
    + """
import json, sys, time
from pathlib import Path
import polars as pl
folder = Path(sys.argv[1]) / "ssda903" / "2023"
best = None
for _ in range(int(sys.argv[2])):
    t, c = time.perf_counter(), time.process_time()
    header = pl.read_csv(folder / "header.csv", infer_schema=False).with_columns(
        pl.col("DOB").str.to_date("%d/%m/%Y"))
    episodes = pl.read_csv(folder / "episodes.csv", infer_schema=False).with_columns(
        pl.col("DECOM", "DEC").str.to_date("%d/%m/%Y"))
    run = (time.perf_counter() - t, time.process_time() - c)
    best = run if best is None or run < best else best
print(json.dumps({"seconds": best[0], "cpu": best[1], "episodes": episodes.height,
                  "max_rss_kb": peak_kb()}))
"""
)

#: The goal for 1,000,000 episodes (issue 18), in seconds.
TARGET_SECONDS = 1.5


def _run(python: Path | str, script: str, arg: Path) -> dict[str, object]:
    """Run a loader REPEAT times in a fresh process and return its JSON report."""
    proc = subprocess.run(
        [str(python), "-c", script, str(arg), str(REPEAT)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{proc.stderr[-2000:]}")
    out: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def run(quick: bool) -> list[dict[str, object]]:
    """Time our ingest and the peer's loader on the same synthetic return."""
    rows = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        data = Path(tmp) / "DATA"
        write_return(data, rows)
        os.sync()  # files on disk before anything is timed (no writeback in the way)
        ours = _run(sys.executable, _OURS, data)
        floor = _run(sys.executable, _FLOOR, data)
        if ours["errors"]:
            raise RuntimeError(f"synthetic return did not load: {ours['first_error']}")
        seconds = float(str(ours["seconds"]))
        rate = rows / seconds
        rss_mb = int(str(ours["max_rss_kb"])) / 1024
        peer: dict[str, object] | None = None
        if PEER_PYTHON.exists():
            peer = _run(PEER_PYTHON, _PEER, data / "ssda903")
    label = f"{rows:,} episode rows"
    results: list[dict[str, object]] = [
        {
            "name": f"ingest load_data ({label})",
            "metric": "rows_per_second",
            "value": round(rate),
            "unit": "rows/s",
        },
        {
            "name": f"ingest load_data ({label})",
            "metric": "seconds",
            "value": round(seconds, 3),
            "unit": "s",
        },
        {
            "name": f"ingest load_data ({label})",
            "metric": "cpu_seconds",
            "value": round(float(str(ours["cpu"])), 3),
            "unit": "s (CPU time, all threads; steady when the machine is busy)",
        },
        {
            "name": f"ingest load_data ({label})",
            "metric": "peak_memory",
            "value": round(rss_mb, 1),
            "unit": "MB (max RSS of the process)",
        },
    ]
    floor_seconds = float(str(floor["seconds"]))
    results[1].update(
        floor_value=round(floor_seconds, 3), floor_ratio=round(floor_seconds / seconds, 2)
    )
    results[2].update(
        floor_value=round(float(str(floor["cpu"])), 3),
        floor_ratio=round(float(str(floor["cpu"])) / float(str(ours["cpu"])), 2),
    )
    if rows == 1_000_000:
        results[1].update(target=TARGET_SECONDS, target_ratio=round(TARGET_SECONDS / seconds, 2))
    if peer is not None:
        peer_seconds = float(str(peer["seconds"]))
        peer_rss = int(str(peer["max_rss_kb"])) / 1024
        results[0].update(
            peer_value=round(rows / peer_seconds), ratio=round(peer_seconds / seconds, 1)
        )
        results[1].update(peer_value=round(peer_seconds, 3), ratio=round(peer_seconds / seconds, 1))
        peer_cpu = float(str(peer["cpu"]))
        results[2].update(
            peer_value=round(peer_cpu, 3), ratio=round(peer_cpu / float(str(ours["cpu"])), 1)
        )
        results[3].update(peer_value=round(peer_rss, 1), ratio=round(peer_rss / rss_mb, 2))
    return results


if __name__ == "__main__":
    for line in run(quick="--quick" in sys.argv):
        print(json.dumps(line))
