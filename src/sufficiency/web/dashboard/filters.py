"""Dashboard filters: restrict a Dataset to a sub-population of children (pure functions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

import polars as pl

from sufficiency.codes import AGE_BANDS, PLACEMENT_TYPE_TITLES
from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr, open_on
from sufficiency.measures.common import DFE_AGE_BANDS, age_band_expr

#: The dashboard's filters and the values each may take.
FILTER_VALUES: dict[str, Collection[str]] = {
    "uasc": ("yes", "no"),
    "age_band": AGE_BANDS,
    "placement_type": PLACEMENT_TYPE_TITLES,
}


def requested_filters(query: Mapping[str, str]) -> dict[str, str]:
    """A request's filters (the dashboard's, and the children behind one of its counts): each
    one '' unless it names one of its values."""
    return {k: v if (v := query.get(k, "")) in ok else "" for k, ok in FILTER_VALUES.items()}


def filter_dataset(
    ds: Dataset, at: dt.date, *, uasc: str = "", age_band: str = "", placement_type: str = ""
) -> Dataset:
    """The Dataset restricted to children matching every given filter ('' = no filter)."""
    if not (uasc or age_band or placement_type):
        return ds
    ids = ds.children.select("CHILD", "DOB")
    if age_band:
        ids = ids.filter(age_band_expr(age_expr(at), DFE_AGE_BANDS) == age_band)
    if uasc in ("yes", "no"):
        uasc_ids = ds.uasc.get_column("CHILD").unique()
        ids = ids.filter(
            pl.col("CHILD").is_in(uasc_ids.implode())
            if uasc == "yes"
            else ~pl.col("CHILD").is_in(uasc_ids.implode())
        )
    if placement_type:
        placed = (
            ds.episodes_typed.filter(open_on(at) & (pl.col("placement_type") == placement_type))
            .get_column("CHILD")
            .unique()
        )
        ids = ids.filter(pl.col("CHILD").is_in(placed.implode()))
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
        history=None if ds.history is None else ds.history.filter(pl.col("CHILD").is_in(keep)),
        cuts=None if ds.cuts is None else ds.cuts.filter(pl.col("CHILD").is_in(keep)),
    )
