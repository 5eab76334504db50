"""Readers of the DfE/ONS source files for the tests, written apart from the build script so
that the shipped figures are checked against the files themselves."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import polars as pl

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "data" / "dfe"


@cache
def build_script() -> ModuleType:
    """scripts/build_benchmarks.py as a module."""
    spec = importlib.util.spec_from_file_location(
        "build_benchmarks", REPO / "scripts" / "build_benchmarks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@cache
def read_csv(name: str) -> pl.DataFrame:
    """A source CSV as text (the DfE's symbols kept), byte-order mark stripped from names."""
    frame = pl.read_csv(SOURCE / name, infer_schema=False)
    return frame.rename({c: c.lstrip("\ufeff") for c in frame.columns})


@cache
def read_lait() -> pl.DataFrame:
    """The LAIT dataset with its LA number as text ("884")."""
    return pl.read_parquet(SOURCE / "bds_long_0.parquet").with_columns(
        pl.col("LA Number").cast(pl.Int64).cast(pl.Utf8).alias("number")
    )


def csv_cell(name: str, area: str, year: int, column: str, **where: str) -> str:
    """The one cell of a DfE CSV for an area (England E92000001, a region E12..., or a council's
    new code) and year, on the row matching ``where``."""
    frame = read_csv(name).filter(pl.col("time_period") == str(year))
    if area == "E92000001":
        frame = frame.filter(pl.col("geographic_level") == "National")
    elif area.startswith(("E12", "E13")):
        frame = frame.filter(
            pl.col("geographic_level") == "Regional", pl.col("region_code") == area
        )
    else:
        frame = frame.filter(pl.col("new_la_code") == area)
    rows = frame.filter(*[pl.col(k) == v for k, v in where.items()])
    assert rows.height == 1, (name, area, year, where, rows)
    return str(rows.item(0, column))


def lait_cell(code: str, number: str, year: int) -> str:
    """The one LAIT value of a measure code for a DfE number (970 England, 98x regions)."""
    rows = read_lait().filter(
        pl.col("Short Desc") == code, pl.col("number") == number, pl.col("Years") == str(year)
    )
    assert rows.height == 1, (code, number, year, rows)
    return str(rows.item(0, "Values"))


def sn_numbers(number: str) -> list[str]:
    """A council's ten statistical neighbours (2025 model) by DfE number, closest first."""
    row = read_csv("sn_model_2025_wide.csv").filter(pl.col("old_la_code") == number)
    assert row.height == 1
    return [str(row.item(0, f"SN_{i}")) for i in range(1, 11)]


def code_of(number: str) -> str:
    """A council's current ONS code from its DfE number (the DfE's CLA numbers file)."""
    rows = read_csv("cla_number_and_rate_per_10k_children.csv").filter(
        pl.col("old_la_code") == number
    )
    return str(rows.item(0, "new_la_code"))
