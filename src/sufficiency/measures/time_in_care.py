"""Time in care and leaving care: how long children have been looked after, why they left."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr
from sufficiency.measures.catalogue import Counts, Period, measure
from sufficiency.measures.common import (
    age_band_expr,
    cla_children_on,
    counts_by_band,
    counts_by_group,
    spell_of,
)
from sufficiency.measures.population import leavers

#: Reasons episodes cease (REC), grouped as the DfE release groups them.
LEAVING_REASONS: dict[str, tuple[str, ...]] = {
    "returned_home": ("E4A", "E4B"),
    "adopted": ("E11", "E12"),
    "special_guardianship": ("E43", "E44", "E45", "E46", "E47", "E48"),
    "child_arrangements_order": ("E41",),
    "living_with_relatives_without_pr": ("E13",),
    "independent_living": ("E5", "E6"),
    "remained_with_carers_at_18": ("E17",),
    "adult_social_care": ("E7",),
    "custody": ("E9",),
    "remand_ended": ("E14",),
    "age_assessed_18_plus": ("E15",),
    "moved_abroad": ("E16",),
    "care_taken_by_another_la": ("E3",),
    "died": ("E2",),
    "other": ("E8",),
}

SGO_REC = LEAVING_REASONS["special_guardianship"]
ADOPTED_REC = LEAVING_REASONS["adopted"]

DURATION_BANDS = (
    ("under_6_months", 0, 6),
    ("6_to_12_months", 6, 12),
    ("1_to_2_years", 12, 24),
    ("2_to_3_years", 24, 36),
    ("3_to_5_years", 36, 60),
    ("5_years_plus", 60, None),
)


def _months_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Whole calendar months from ``start`` to ``end``."""
    months = (end.dt.year().cast(pl.Int32) - start.dt.year().cast(pl.Int32)) * 12 + (
        end.dt.month().cast(pl.Int32) - start.dt.month().cast(pl.Int32)
    )
    return months - (end.dt.day() < start.dt.day()).cast(pl.Int32)


#: DURATION_BANDS as ``age_band_expr`` bands (lowest and highest whole months).
_MONTH_BANDS = tuple(
    (name, low, None if high is None else high - 1) for name, low, high in DURATION_BANDS
)


def _by_duration(frame: pl.DataFrame, start: pl.Expr, end: pl.Expr) -> Counts:
    """Rows of ``frame`` counted by the duration band of the whole months from start to end."""
    return counts_by_band(frame, _months_between(start, end), _MONTH_BANDS)


def duration_band(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """The duration band ``_by_duration`` puts a row in (``unknown`` without both dates)."""
    return age_band_expr(_months_between(start, end), _MONTH_BANDS)


def care_durations(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """Children looked after on ``d`` (CHILD) with the linked start of their period of care
    (``care_start``: of their latest period open on ``d``), as ``duration_in_care`` counts
    them."""
    cla = cla_children_on(ds, d)
    rows = spell_of(ds, cla, "period_row")
    start = ds.periods_of_care.get_column("linked_start").gather(rows)
    return cla.with_columns(start.alias("care_start"))


@measure(
    "duration_in_care",
    title="Children looked after by time in care",
    theme="time_in_care",
    unit="counts",
    definition=(
        "Children looked after on the reference date by how long their current period of care "
        "has lasted (whole calendar months from its start to the reference date): under 6 "
        "months, 6-12 months, 1-2 years, 2-3 years, 3-5 years, 5 years or more. The period's "
        "start is linked across returns (an earlier or later return's episodes that continue "
        "it count), as the multi-year merge policy allows."
    ),
    breakdowns=("duration",),
    keys=tuple(b[0] for b in DURATION_BANDS),
    history_years=5.0,
)
def duration_in_care(ds: Dataset, period: Period) -> Counts:
    d = period.end
    return _by_duration(care_durations(ds, d), pl.col("care_start"), pl.lit(d))


@measure(
    "ceased_by_duration",
    title="Children who left care in the year by time in care",
    theme="time_in_care",
    unit="counts",
    definition=(
        "Children who ceased to be looked after in the year by the length of the period of "
        "care that ended (whole calendar months from its start to DEC), in the same bands as "
        "duration_in_care."
    ),
    breakdowns=("duration",),
    keys=tuple(b[0] for b in DURATION_BANDS),
    history_years=5.0,
)
def ceased_by_duration(ds: Dataset, period: Period) -> Counts:
    return _by_duration(leavers(ds, period), pl.col("start"), pl.col("end"))


@measure(
    "reasons_for_leaving",
    title="Reasons children left care in the year",
    theme="time_in_care",
    unit="counts",
    definition=(
        "Children who ceased to be looked after in the year by the reason the period of care "
        "ended (REC of its last episode): "
        + "; ".join(f"{k.replace('_', ' ')} ({', '.join(v)})" for k, v in LEAVING_REASONS.items())
        + ". A child leaving more than once is counted at their last leaving."
    ),
    breakdowns=("reason",),
    keys=tuple(LEAVING_REASONS),
    source="DfE Children looked after in England, table D1",
)
def reasons_for_leaving(ds: Dataset, period: Period) -> Counts:
    return counts_by_group(leavers(ds, period), "REC", LEAVING_REASONS, "other", extra=False)


@measure(
    "ceased_aged_18",
    title="Children who left care at 18 or over",
    theme="time_in_care",
    unit="count",
    definition=(
        "Children who ceased to be looked after in the year and were 18 or over (completed "
        "years) on the day their period of care ended."
    ),
)
def ceased_aged_18(ds: Dataset, period: Period) -> int:
    return leavers(ds, period).filter(left_at_18()).height


def left_at_18() -> pl.Expr:
    """True for a leaver ``ceased_aged_18`` counts: 18 or over on the day care ended."""
    return age_expr("end") >= 18
