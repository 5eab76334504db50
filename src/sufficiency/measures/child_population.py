"""The council's child population beyond its head count: shares by ethnic group, for setting the
ethnicity of children looked after beside the population they come from."""

from __future__ import annotations

import polars as pl

from sufficiency.dataset import Dataset

PREFIX, SUFFIX = "ethnicity_", "_pct"


def population_ethnicity(ds: Dataset, year: int) -> dict[str, float]:
    """Under-18 population share (%) by ethnic group from registers/population columns
    ``ethnicity_<group>_pct``: the row for ``year``, else the latest earlier one; {} when the
    register or the columns are absent. Keys are the groups (``white``, ``mixed`` ...)."""
    frame = ds.register("population")
    if frame is None or frame.height == 0 or "year" not in frame.columns:
        return {}
    cols = [c for c in frame.columns if c.startswith(PREFIX) and c.endswith(SUFFIX)]
    if not cols:
        return {}

    def number(column: str) -> pl.Expr:
        return pl.col(column).cast(pl.Utf8).str.strip_chars().cast(pl.Float64, strict=False)

    rows = (
        frame.select(number("year").alias("year"), *[number(c).alias(c) for c in cols])
        .filter(pl.col("year") <= year)
        .sort("year", maintain_order=True)
    )
    if rows.height == 0:
        return {}
    last = rows.row(-1, named=True)
    return {
        c.removeprefix(PREFIX).removesuffix(SUFFIX): float(last[c])
        for c in cols
        if last[c] is not None
    }
