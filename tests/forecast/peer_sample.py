"""Read the cs-demand-model sample returns into a Dataset (test and benchmark helper).

The sample (``cs_demand_model_samples/v1.zip`` in the peer's site-packages) has one folder per
return named by the year the return STARTS (2017 = 2017-18). Until ``sufficiency.ingest`` reads
those folders, this helper reads the header and episodes CSVs itself: the latest return wins for
the same (CHILD, DECOM) and for a child's header row, as DESIGN.md's multi-year merge says.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.profile import LAProfile

REPO = Path(__file__).resolve().parents[2]
PEER_PYTHON = REPO / ".peer-venvs" / "demand" / "bin" / "python"


def sample_zip() -> Path | None:
    """The peer's sample zip, when the peer venv is installed."""
    found = sorted(
        (REPO / ".peer-venvs" / "demand").glob(
            "lib/python*/site-packages/cs_demand_model_samples/v1.zip"
        )
    )
    return found[0] if found else None


def _read(data: bytes) -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(data), infer_schema_length=0)


def sample_frames(zip_path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(header, episodes) of every return, with ``return_year`` = the year the return ENDS."""
    headers, episodes = [], []
    with zipfile.ZipFile(zip_path) as zf:
        for name in sorted(zf.namelist()):
            parts = name.split("/")
            if len(parts) != 2 or parts[1] not in ("header.csv", "episodes.csv"):
                continue
            year = int(parts[0]) + 1
            frame = _read(zf.read(name)).with_columns(pl.lit(year, pl.Int32).alias("return_year"))
            (headers if parts[1] == "header.csv" else episodes).append(frame)
    return pl.concat(headers, how="diagonal"), pl.concat(episodes, how="diagonal")


def _dates(frame: pl.DataFrame, cols: tuple[str, ...]) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).str.to_date("%d/%m/%Y", strict=False) for c in cols if c in frame.columns
    )


def dataset_from_frames(header: pl.DataFrame, episodes: pl.DataFrame) -> Dataset:
    """Merge returns (latest wins) and build the Dataset."""
    header = _dates(header, ("DOB", "MC_DOB")).sort("return_year")
    header = header.unique(subset=["CHILD"], keep="last", maintain_order=True).drop(
        "return_year", "MOTHER"
    )
    eps = _dates(episodes, ("DECOM", "DEC")).sort("return_year")
    eps = eps.unique(subset=["CHILD", "DECOM"], keep="last", maintain_order=True)
    profile = LAProfile(name="Peer sample", code="E06000019")
    return Dataset.from_frames(profile, children=header, episodes=eps)


def load_sample(zip_path: Path | None = None) -> Dataset:
    """The peer's sample as a Dataset."""
    path = zip_path or sample_zip()
    if path is None:
        raise FileNotFoundError("cs-demand-model sample not found: run `make peers`")
    return dataset_from_frames(*sample_frames(path))


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
