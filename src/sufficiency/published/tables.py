"""The shipped Parquet tables (built by ``scripts/build_benchmarks.py``), each read once, lazily.

The files live inside the package (``published/data/``), so the product needs no copy of the
source folder: ``values``, ``measures``, ``neighbours``, ``population``, ``las`` and ``definitions``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from typing import Literal

import polars as pl

Table = Literal["values", "measures", "neighbours", "population", "las", "definitions"]
TABLES: tuple[Table, ...] = ("values", "measures", "neighbours", "population", "las", "definitions")


@cache
def table(name: Table) -> pl.DataFrame:
    """One shipped table as a Polars frame (read on first use, then cached)."""
    resource = files("sufficiency.published") / "data" / f"{name}.parquet"
    with as_file(resource) as path:
        return pl.read_parquet(path)
