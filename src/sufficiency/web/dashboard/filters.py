"""Dashboard filters: restrict a Dataset to a sub-population of children (pure functions)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.codes import AGE_BANDS
from sufficiency.dataset import Dataset


def age_band_expr(dob: pl.Expr, at: dt.date) -> pl.Expr:
    """DfE age band on ``at`` (completed years) from a DOB expression."""
    years = (
        pl.lit(at.year)
        - dob.dt.year()
        - (
            (pl.lit(at.month) < dob.dt.month())
            | ((pl.lit(at.month) == dob.dt.month()) & (pl.lit(at.day) < dob.dt.day()))
        ).cast(pl.Int32)
    )
    return (
        pl.when(years < 1)
        .then(pl.lit(AGE_BANDS[0]))
        .when(years < 5)
        .then(pl.lit(AGE_BANDS[1]))
        .when(years < 10)
        .then(pl.lit(AGE_BANDS[2]))
        .when(years < 16)
        .then(pl.lit(AGE_BANDS[3]))
        .otherwise(pl.lit(AGE_BANDS[4]))
    )


def filter_dataset(
    ds: Dataset, at: dt.date, *, uasc: str = "", age_band: str = "", placement_type: str = ""
) -> Dataset:
    """The Dataset restricted to children matching every given filter ('' = no filter)."""
    if not (uasc or age_band or placement_type):
        return ds
    ids = ds.children.select("CHILD", "DOB")
    if age_band:
        ids = ids.filter(age_band_expr(pl.col("DOB"), at) == age_band)
    if uasc in ("yes", "no"):
        uasc_ids = ds.uasc.get_column("CHILD").unique()
        ids = ids.filter(
            pl.col("CHILD").is_in(uasc_ids.implode())
            if uasc == "yes"
            else ~pl.col("CHILD").is_in(uasc_ids.implode())
        )
    if placement_type:
        open_on = (
            ds.episodes_typed.filter(
                (pl.col("DECOM") <= at)
                & (pl.col("DEC").is_null() | (pl.col("DEC") > at))
                & (pl.col("placement_type") == placement_type)
            )
            .get_column("CHILD")
            .unique()
        )
        ids = ids.filter(pl.col("CHILD").is_in(open_on.implode()))
    keep = ids.get_column("CHILD").implode()
    return Dataset.from_frames(
        ds.profile,
        children=ds.children.filter(pl.col("CHILD").is_in(keep)),
        episodes=ds.episodes.filter(pl.col("CHILD").is_in(keep)),
        uasc=ds.uasc.filter(pl.col("CHILD").is_in(keep)),
        tables={
            k: (v.filter(pl.col("CHILD").is_in(keep)) if "CHILD" in v.columns else v)
            for k, v in ds.tables.items()
        },
        registers=ds.registers,
        narrative=ds.narrative,
        returns=ds.returns,
    )
