"""The cs-demand-model sample returns as a DATA folder, read by the product's own ingest.

The sample (``cs_demand_model_samples/v1.zip`` in the peer's site-packages) has one folder per
return named by the year the return STARTS (2017 = 2017-18). ``write_sample_data`` lays it out as
our DATA folder (``ssda903/<year the return ENDS>/``, ``la.toml``) and ``load_sample_data`` reads
it with ``sufficiency.ingest.load_data`` — the path every command takes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

from sufficiency.dataset import Dataset

REPO = Path(__file__).resolve().parents[2]
PEER_PYTHON = REPO / ".peer-venvs" / "demand" / "bin" / "python"
LA_TOML = 'name = "Peer sample"\ncode = "E06000019"\n'


def sample_zip() -> Path | None:
    """The peer's sample zip, when the peer venv is installed."""
    found = sorted(
        (REPO / ".peer-venvs" / "demand").glob(
            "lib/python*/site-packages/cs_demand_model_samples/v1.zip"
        )
    )
    return found[0] if found else None


def write_sample_data(root: Path, zip_path: Path | None = None) -> Path:
    """DATA/la.toml and DATA/ssda903/2018..2022/{header,episodes}.csv from the peer's sample."""
    path = zip_path or sample_zip()
    if path is None:
        raise FileNotFoundError("cs-demand-model sample not found: run `make peers`")
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            if len(parts) == 2 and parts[1] in ("header.csv", "episodes.csv"):
                out = root / "ssda903" / str(int(parts[0]) + 1) / parts[1]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(name))
    (root / "la.toml").write_text(LA_TOML, encoding="utf-8")
    return root


def load_sample_data(root: Path) -> Dataset:
    """``load_data`` on a DATA folder; a load error fails loudly with the problems."""
    from sufficiency.ingest import load_data

    loaded = load_data(root)
    errors = [p for p in loaded.problems if p.severity == "error"]
    if loaded.dataset is None or errors:
        raise AssertionError(f"{root}: load_data failed: {errors[:5]}")
    return loaded.dataset


def sample_frames(zip_path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(header, episodes) of every return as text, with ``return_year`` = the year it ENDS."""
    headers, episodes = [], []
    with zipfile.ZipFile(zip_path) as zf:
        for name in sorted(zf.namelist()):
            parts = name.split("/")
            if len(parts) != 2 or parts[1] not in ("header.csv", "episodes.csv"):
                continue
            year = int(parts[0]) + 1
            frame = pl.read_csv(io.BytesIO(zf.read(name)), infer_schema_length=0)
            frame = frame.with_columns(pl.lit(year, pl.Int32).alias("return_year"))
            (headers if parts[1] == "header.csv" else episodes).append(frame)
    return pl.concat(headers, how="diagonal"), pl.concat(episodes, how="diagonal")


def replicate(
    header: pl.DataFrame, episodes: pl.DataFrame, times: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The sample ``times`` over with fresh child ids (copy k prefixes ids with ``k``)."""
    hs, es = [], []
    for k in range(times):
        new = pl.concat_str(pl.lit(f"r{k}_"), pl.col("CHILD"))
        hs.append(header.with_columns(new.alias("CHILD")))
        es.append(episodes.with_columns(new.alias("CHILD")))
    return pl.concat(hs), pl.concat(es)
