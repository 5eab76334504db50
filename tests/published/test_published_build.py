"""The shipped tables are what the build script makes from the source files today."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal
from published_sources import build_script

from sufficiency.published.tables import TABLES, table

DATA = Path(__file__).resolve().parents[2] / "src" / "sufficiency" / "published" / "data"


def test_shipped_files_equal_a_fresh_build(source: Path, tmp_path: Path) -> None:
    assert build_script().main([str(source), "--out", str(tmp_path)]) == 0
    for name in TABLES:
        fresh = pl.read_parquet(tmp_path / f"{name}.parquet")
        assert_frame_equal(table(name), fresh, check_exact=True)
        assert_frame_equal(pl.read_parquet(DATA / f"{name}.parquet"), fresh, check_exact=True)


def test_the_dfe_files_and_lait_agree_where_both_publish(source: Path) -> None:
    """2021-2025 come from the DfE's files and earlier years from LAIT: they must be the same
    statistics wherever both print a number (the build refuses otherwise)."""
    script = build_script()
    las = script.build_las(source)
    lait = pl.read_parquet(source / "bds_long_0.parquet").with_columns(
        pl.col("LA Number").cast(pl.Int64).cast(pl.Utf8).alias("old_la_code")
    )
    _, disagreements = script.build_values(source, script.build_areas(las), lait)
    assert disagreements.height == 0


def test_the_shipped_data_is_small() -> None:
    total = sum((DATA / f"{name}.parquet").stat().st_size for name in TABLES)
    assert total < 1_000_000


def test_no_file_name_is_cited_as_a_source() -> None:
    sources = set(table("values")["source"].unique())
    assert sources == {
        "DfE, Children looked after in England including adoptions",
        "DfE, Local Authority Interactive Tool",
    }
