"""Placement measures: where children live by type, group and provider, and bed nights."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import polars as pl

from sufficiency.codes import FOSTERING_PLACE, PLACEMENT_TYPES
from sufficiency.dataset import Dataset
from sufficiency.dates import open_during
from sufficiency.measures.catalogue import Counts, Period, Share, measure
from sufficiency.measures.common import (
    ENGINE,
    cla_on,
    code_expr,
    counts,
    counts_by_group,
    memo_frames,
    nights_expr,
    share_where,
)

NATIONAL_PLACEMENT_GROUPS: dict[str, tuple[str, ...]] = {
    "foster_placements": ("U1", "U2", "U3", "U4", "U5", "U6"),
    "placed_for_adoption": ("A3", "A4", "A5", "A6"),
    "placed_with_parents": ("P1",),
    "independent_and_supported_living": ("H5", "K3", "P2"),
    "secure_and_childrens_homes": ("K1", "K2"),
    # R1 is a residential care home (not a children's home): "other residential settings".
    "other_residential_settings": ("R1", "R2", "R3", "R5"),
    "residential_schools": ("S1",),
    "other_placements": ("P3", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"),
}

PROVIDER_GROUPS: dict[str, str] = {
    "PR1": "own_provision",
    "PR2": "other_la",
    "PR3": "other_public",
    "PR4": "private",
    "PR5": "voluntary",
    "PR0": "parents_or_other",
}


@measure(
    "cla_by_placement_type",
    title="Children looked after by placement type",
    theme="placements",
    unit="counts",
    definition=(
        "Children looked after on the reference date by the LA placement type of their episode "
        "on that date (PLACE x PLACE_PROVIDER, DESIGN.md groupings: in-house fostering U4-U6 "
        "PR1, family and friends U1-U3, IFA U4-U6 PR4/PR5, other public fostering U4-U6 "
        "PR2/PR3, in-house residential K2/R1 PR1, external residential K2/R1 PR2-PR5, secure "
        "K1, supported accommodation H5/K3, independent living P2, residential school S1, "
        "parent and child R3, placed with parents P1, placed for adoption A3-A6, health R2, "
        "custody R5, residential employment P3, other)."
    ),
    breakdowns=("placement_type",),
    keys=PLACEMENT_TYPES,
)
def cla_by_placement_type(ds: Dataset, period: Period) -> Counts:
    return counts(cla_on(ds, period.end), "placement_type", PLACEMENT_TYPES)


@measure(
    "cla_by_national_placement_group",
    title="Children looked after by DfE placement group",
    theme="placements",
    unit="counts",
    definition=(
        "Children looked after on the reference date by the placement groups of the DfE "
        "release: "
        + "; ".join(
            f"{k.replace('_', ' ')} ({', '.join(v)})" for k, v in NATIONAL_PLACEMENT_GROUPS.items()
        )
        + "."
    ),
    breakdowns=("placement_group",),
    keys=tuple(NATIONAL_PLACEMENT_GROUPS),
)
def cla_by_national_placement_group(ds: Dataset, period: Period) -> Counts:
    return counts_by_group(
        cla_on(ds, period.end), "PLACE", NATIONAL_PLACEMENT_GROUPS, "other_placements"
    )


@measure(
    "cla_by_provider",
    title="Children looked after by placement provider",
    theme="placements",
    unit="counts",
    definition=(
        "Children looked after on the reference date by PLACE_PROVIDER: own provision (PR1), "
        "other local authority (PR2), other public sector (PR3), private (PR4), voluntary or "
        "third sector (PR5), parents or other person with parental responsibility (PR0)."
    ),
    breakdowns=("provider",),
    keys=tuple(PROVIDER_GROUPS.values()),
)
def cla_by_provider(ds: Dataset, period: Period) -> Counts:
    frame = cla_on(ds, period.end).with_columns(
        code_expr("PLACE_PROVIDER")
        .replace_strict(PROVIDER_GROUPS, default="not_recorded")
        .alias("g")
    )
    return counts(frame, "g", list(PROVIDER_GROUPS.values()))


@measure(
    "fostering_share",
    title="Children looked after who are fostered",
    theme="placements",
    unit="share",
    definition="Children looked after on the reference date in a foster placement (U1-U6), of all children looked after.",
    source="DfE Children looked after in England, table A1 (foster placements)",
    based_on="cla_count",
)
def fostering_share(ds: Dataset, period: Period) -> Share:
    return share_where(cla_on(ds, period.end), pl.col("PLACE").is_in(FOSTERING_PLACE))


@measure(
    "in_house_fostering_share",
    title="Fostered children placed with the council's own carers",
    theme="placements",
    unit="share",
    definition=(
        "Children looked after on the reference date in a foster placement (U1-U6) provided by "
        "the council itself (PLACE_PROVIDER PR1, family and friends carers included), of all "
        "fostered children."
    ),
)
def in_house_fostering_share(ds: Dataset, period: Period) -> Share:
    return share_where(fostered_on(ds, period), in_house())


def fostered_on(ds: Dataset, period: Period) -> pl.DataFrame:
    """Children looked after on the reference date in a foster placement (U1-U6)."""
    return cla_on(ds, period.end).filter(pl.col("PLACE").is_in(FOSTERING_PLACE))


def in_house() -> pl.Expr:
    """True for a placement the council provides itself (PLACE_PROVIDER PR1)."""
    return pl.col("PLACE_PROVIDER") == "PR1"


#: The columns of an episode ``bed_nights`` keeps (what spend, supply and the counts read).
BED_NIGHT_COLUMNS = (
    "CHILD",
    "PLACE_PROVIDER",
    "URN",
    "placement_type",
    "short_break",
)


def bed_nights(ds: Dataset, period: Period) -> pl.DataFrame:
    """Episodes overlapping the year with ``nights`` spent in it (short breaks kept, flagged):
    ``BED_NIGHT_COLUMNS`` and ``nights``."""
    return bed_nights_years(ds, [period])[0]


def bed_nights_years(ds: Dataset, periods: Sequence[Period]) -> list[pl.DataFrame]:
    """``bed_nights`` of each period, the years not yet worked out collected side by side."""
    return memo_frames(ds, "bed_nights", periods, functools.partial(bed_nights_plan, ds))


def bed_nights_plan(ds: Dataset, period: Period, *extra: pl.Series) -> pl.LazyFrame:
    """The lazy plan of ``bed_nights`` (a plan built on it reads only the columns it uses),
    with ``extra`` columns of the episodes (one value an episode, in their order) kept."""
    return (
        ds.episodes_typed.with_columns(extra)
        .lazy()
        .filter(open_during(period.start, period.end))
        .with_columns(nights_expr(period.start, period.end).alias("nights"))
        .filter(pl.col("nights") > 0)
        .select(*BED_NIGHT_COLUMNS, *(s.name for s in extra), "nights")
    )


def _nights(ds: Dataset, period: Period, *, short_break: bool) -> int:
    """All nights in the year in short-break episodes (V3/V4), or in all other episodes."""
    nights = bed_nights(ds, period).lazy().filter(pl.col("short_break") == short_break)
    return int(nights.select(pl.col("nights").sum()).collect(engine=ENGINE).item())


@measure(
    "bed_nights_by_placement_type",
    title="Bed nights in the year by placement type",
    theme="placements",
    unit="counts",
    definition=(
        "Nights children spent looked after during the year ending on the reference date, by LA "
        "placement type of the episode: an episode from DECOM to DEC contributes the nights from "
        "DECOM up to the night before DEC (an open episode runs to the night of the reference "
        "date). Short-break episodes (V3/V4) are excluded (see short_break_nights)."
    ),
    breakdowns=("placement_type",),
    keys=PLACEMENT_TYPES,
    suppress=False,
)
def bed_nights_by_placement_type(ds: Dataset, period: Period) -> Counts:
    frame = bed_nights(ds, period).lazy().filter(~pl.col("short_break"))  # the two columns read
    by_type = frame.group_by("placement_type").agg(pl.col("nights").sum())
    got = dict(by_type.collect(engine=ENGINE).iter_rows())
    return {t: int(got.get(t, 0)) for t in PLACEMENT_TYPES}


@measure(
    "bed_nights_total",
    title="Bed nights in the year",
    theme="placements",
    unit="number",
    definition="All bed nights of children looked after in the year (sum of bed_nights_by_placement_type).",
    suppress=False,
)
def bed_nights_total(ds: Dataset, period: Period) -> int:
    return _nights(ds, period, short_break=False)


@measure(
    "short_break_nights",
    title="Short-break nights in the year",
    theme="placements",
    unit="number",
    definition="Nights in the year spent in episodes with legal status V3 or V4 (agreed series of short breaks).",
    suppress=False,
)
def short_break_nights(ds: Dataset, period: Period) -> int:
    return _nights(ds, period, short_break=True)
