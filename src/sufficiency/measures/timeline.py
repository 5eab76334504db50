"""One child's time in care as dated events and placement spells (the child page's timeline).

Built from the Dataset's own periods of care and placement spells (``Dataset.periods_of_care``,
``Dataset.placements``), so a move here is a move as the stability measures count placements.
"""

from __future__ import annotations

import polars as pl

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.dataset import Dataset
from sufficiency.measures.common import code_expr

#: Events in the order they happen on one day (a child starts care before their first placement).
EVENT_ORDER: tuple[str, ...] = (
    "Ceased to be looked after",
    "Started to be looked after",
    "First placement",
    "Moved placement",
    "Legal status changed",
)
#: Where a placement is, in words (``location_band``).
WHERE: dict[str, str] = {
    "inside": "inside the council's area",
    "neighbouring": "in a neighbouring area",
    "distant": "further away",
    "unknown": "location not known",
}
EVENTS_SCHEMA = {"date": pl.Date, "event": pl.Utf8, "detail": pl.Utf8}


def child_placements(ds: Dataset, child: str) -> pl.DataFrame:
    """The child's placement spells in date order: placement, start, end (null if open),
    placement_type, PLACE, PLACE_PROVIDER, location_band, distance_miles, REASON_PLACE_CHANGE
    (why it ended), period (of care)."""
    return (
        ds.placements.filter(pl.col("CHILD") == child)
        .sort("start")
        .select(
            "placement",
            "start",
            "end",
            "placement_type",
            "PLACE",
            "PLACE_PROVIDER",
            "location_band",
            "distance_miles",
            "REASON_PLACE_CHANGE",
            "period",
        )
    )


def child_events(ds: Dataset, child: str) -> pl.DataFrame:
    """The child's dated events: date, event (``EVENT_ORDER``), detail (codes as recorded);
    sorted by date, then in the order they happen on one day."""
    periods = ds.periods_of_care.filter(pl.col("CHILD") == child)
    started = periods.select(
        pl.col("start").alias("date"),
        pl.lit("Started to be looked after").alias("event"),
        pl.format("legal status {}, need {}", "LS_start", "CIN_start").alias("detail"),
    )
    ceased = periods.filter(pl.col("end").is_not_null() & ~pl.col("end_cut")).select(
        pl.col("end").alias("date"),
        pl.lit("Ceased to be looked after").alias("event"),
        pl.format("reason {}", pl.col("REC").fill_null("not recorded")).alias("detail"),
    )
    spells = child_placements(ds, child)
    first = pl.col("start") == pl.col("start").min().over("period")
    placed = spells.select(
        pl.col("start").alias("date"),
        pl.when(first)
        .then(pl.lit("First placement"))
        .otherwise(pl.lit("Moved placement"))
        .alias("event"),
        pl.format(
            "{} ({} {}), {}",
            pl.col("placement_type").replace(PLACEMENT_TYPE_TITLES),
            "PLACE",
            "PLACE_PROVIDER",
            pl.col("location_band").fill_null("unknown").replace(WHERE),
        ).alias("detail"),
    )
    legal = ds.episodes_typed.filter((pl.col("CHILD") == child) & (code_expr("RNE") == "L")).select(
        pl.col("DECOM").alias("date"),
        pl.lit("Legal status changed").alias("event"),
        pl.format("to {}", "LS").alias("detail"),
    )
    frames = [f.cast(EVENTS_SCHEMA) for f in (started, ceased, placed, legal)]  # type: ignore[arg-type]
    order = {e: i for i, e in enumerate(EVENT_ORDER)}
    return (
        pl.concat(frames)
        .with_columns(pl.col("event").replace_strict(order, return_dtype=pl.Int32).alias("_o"))
        .sort(["date", "_o"])
        .drop("_o")
    )
