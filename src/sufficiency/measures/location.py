"""Location measures: inside the council, neighbouring, at a distance; miles from home."""

from __future__ import annotations

import polars as pl

from sufficiency.codes import (
    CHILDRENS_HOME_PLACE,
    DISTANCE_BANDS,
    LOCATION_BANDS,
    PLACEMENT_TYPES,
)
from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr
from sufficiency.ingest.placement_urns import URN_REGISTERS, urn_not_registered
from sufficiency.measures.catalogue import Counts, Grid, Period, Share, measure
from sufficiency.measures.common import code_expr, counts, placements_on, share_where

_LOCATION_DEF = (
    "Location band of the placement open on the reference date: inside (placement postcode in "
    "the council's area), neighbouring (in one of the la.toml neighbours), distant (elsewhere, "
    "including Wales, Scotland, Northern Ireland, the Channel Islands and the Isle of Man), "
    "unknown (no usable placement postcode). A postcode sector or district is placed in the "
    "authority holding most of its postcodes."
)
_DISTANCE_DEF = (
    "Distance is the straight line between the OS grid references of HOME_POST and PL_POST, "
    "sqrt(dE^2 + dN^2) / 1000 / 1.6093 miles rounded to one decimal place, as the DfE "
    "guidance computes it, from full postcodes only: a postcode sector or district, the "
    "Channel Islands and the Isle of Man (no grid reference), a postcode not in the ONS "
    "directory or a blank one give no distance."
)
_DFE_DENOMINATOR = (
    "As the DfE's tables do, children whose distance is not known count in the denominator "
    "(all children looked after on the date, short breaks excluded); the same share of known "
    "distances only is {known}, and how many distances are known is distance_known. Changed "
    "(issue 13): the denominator was children whose distance is known; on the demo council at "
    "31 March 2026 {demo}."
)
#: LAIT's methodology for its distance indicator (lait_data_dictionary.csv, LACDistance).
_LACDISTANCE = (
    'LAIT LACDistance methodology: "Numerator: Of all children in the denominator, the number '
    "who were placed at March 31 more than 20 miles (outside LA boundary) from their home "
    "address from which first placed. Denominator: All children looked after at 31 March. "
    'Figures exclude children looked after under an agreed series of short term placements."'
)

#: Placement codes the DfE uses for placements not registered with Ofsted: Z1 "other
#: placements" (to 2024-25) and its 2025-26 split Z11-Z14.
UNREGISTERED_PLACE = ("Z1", "Z11", "Z12", "Z13", "Z14")


@measure(
    "cla_by_location",
    title="Children looked after by placement location",
    theme="location",
    unit="counts",
    definition="Children looked after on the reference date by location band. " + _LOCATION_DEF,
    breakdowns=("location",),
    keys=LOCATION_BANDS,
)
def cla_by_location(ds: Dataset, period: Period) -> Counts:
    return counts(placements_on(ds, period.end), "location_band", LOCATION_BANDS)


@measure(
    "placement_type_by_location",
    title="Placement type by location",
    theme="location",
    unit="table",
    definition=(
        "Children looked after on the reference date by LA placement type (rows) and location "
        "band (columns), the Hertfordshire 2024 table. " + _LOCATION_DEF
    ),
    breakdowns=("placement_type", "location"),
    keys=PLACEMENT_TYPES,
)
def placement_type_by_location(ds: Dataset, period: Period) -> Grid:
    frame = placements_on(ds, period.end)
    got = {
        (t, b): int(n)
        for t, b, n in frame.group_by(["placement_type", "location_band"]).len().iter_rows()
    }
    return {t: {b: got.get((t, b), 0) for b in LOCATION_BANDS} for t in PLACEMENT_TYPES}


@measure(
    "cla_by_distance_band",
    title="Children looked after by distance from home",
    theme="location",
    unit="counts",
    definition=(
        "Children looked after on the reference date by distance between home and placement: "
        "up to 20 miles (<= 20.0), over 20 and under 100, 100 miles or more (>= 100.0), "
        "unknown. " + _DISTANCE_DEF
    ),
    breakdowns=("distance",),
    keys=DISTANCE_BANDS,
)
def cla_by_distance_band(ds: Dataset, period: Period) -> Counts:
    return counts(placements_on(ds, period.end), "distance_band", DISTANCE_BANDS)


#: A child placed at a known distance from home.
_KNOWN_DISTANCE = pl.col("distance_miles").is_not_null()


@measure(
    "placed_over_20_miles",
    title="Children placed more than 20 miles from home",
    theme="location",
    unit="share",
    definition=(
        "Children looked after on the reference date placed more than 20 miles from home "
        "(distance > 20.0), of all children looked after on that date. "
        + _DFE_DENOMINATOR.format(
            known="placed_over_20_miles_known_distance",
            demo="36.8% (138 of 375) -> 33.6% (138 of 411)",
        )
        + " "
        + _DISTANCE_DEF
    ),
    source="DfE Children looked after in England, table A5 (distance)",
)
def placed_over_20_miles(ds: Dataset, period: Period) -> Share:
    return share_where(placements_on(ds, period.end), pl.col("distance_miles") > 20.0)


@measure(
    "placed_over_100_miles",
    title="Children placed 100 miles or more from home",
    theme="location",
    unit="share",
    definition=(
        "Children looked after on the reference date placed 100 miles or more from home "
        "(distance >= 100.0), of all children looked after on that date. "
        + _DFE_DENOMINATOR.format(
            known="placed_over_100_miles_known_distance",
            demo="6.4% (24 of 375) -> 5.8% (24 of 411)",
        )
        + " "
        + _DISTANCE_DEF
    ),
)
def placed_over_100_miles(ds: Dataset, period: Period) -> Share:
    return share_where(placements_on(ds, period.end), pl.col("distance_miles") >= 100.0)


@measure(
    "placed_over_20_miles_known_distance",
    title="Children placed more than 20 miles from home, of known distances",
    theme="location",
    unit="share",
    definition=(
        "Children looked after on the reference date placed more than 20 miles from home "
        "(distance > 20.0), of children whose distance is known (what placed_over_20_miles "
        "showed before it took the DfE's denominator). " + _DISTANCE_DEF
    ),
    based_on="placed_over_20_miles",
)
def placed_over_20_miles_known_distance(ds: Dataset, period: Period) -> Share:
    return share_where(
        placements_on(ds, period.end), pl.col("distance_miles") > 20.0, among=_KNOWN_DISTANCE
    )


@measure(
    "placed_over_100_miles_known_distance",
    title="Children placed 100 miles or more from home, of known distances",
    theme="location",
    unit="share",
    definition=(
        "Children looked after on the reference date placed 100 miles or more from home "
        "(distance >= 100.0), of children whose distance is known (what placed_over_100_miles "
        "showed before it took the DfE's denominator). " + _DISTANCE_DEF
    ),
    based_on="placed_over_100_miles",
)
def placed_over_100_miles_known_distance(ds: Dataset, period: Period) -> Share:
    return share_where(
        placements_on(ds, period.end), pl.col("distance_miles") >= 100.0, among=_KNOWN_DISTANCE
    )


@measure(
    "distance_known",
    title="Children whose distance from home is known",
    theme="location",
    unit="share",
    definition=(
        "Children looked after on the reference date whose distance from home is known, of all "
        "children looked after on that date: how complete the distance measures are. "
        + _DISTANCE_DEF
    ),
)
def distance_known(ds: Dataset, period: Period) -> Share:
    return share_where(placements_on(ds, period.end), _KNOWN_DISTANCE)


@measure(
    "placed_over_20_miles_outside_la",
    title="Children placed more than 20 miles from home, outside the council's boundary",
    theme="location",
    unit="share",
    definition=(
        "The DfE's published distance indicator, like for like: children looked after on the "
        "reference date placed outside the council's area (neighbouring or distant) and more "
        "than 20 miles from home (distance > 20.0), of all children looked after on that date "
        "(short breaks excluded; distance or location not known counts in the denominator). "
        + _LACDISTANCE
        + " "
        + _DISTANCE_DEF
    ),
    source="DfE Children looked after in England; LAIT LACDistance",
)
def placed_over_20_miles_outside_la(ds: Dataset, period: Period) -> Share:
    outside = pl.col("location_band").is_in(["neighbouring", "distant"])
    return share_where(placements_on(ds, period.end), outside & (pl.col("distance_miles") > 20.0))


@measure(
    "placed_outside_la",
    title="Children placed outside the council's area",
    theme="location",
    unit="share",
    definition=(
        "Children looked after on the reference date placed neighbouring or distant, of children "
        "whose location band is known. " + _LOCATION_DEF
    ),
)
def placed_outside_la(ds: Dataset, period: Period) -> Share:
    known = pl.col("location_band") != "unknown"
    return share_where(placements_on(ds, period.end), pl.col("location_band") != "inside", known)


@measure(
    "childrens_home_inside_share",
    title="Children in children's homes placed inside the council's area",
    theme="location",
    unit="share",
    definition=(
        "Children looked after on the reference date in a children's home (K2 or R1, any "
        "provider) whose placement is inside the council's area, of all children in "
        "children's homes (unknown locations count as not inside)."
    ),
)
def childrens_home_inside_share(ds: Dataset, period: Period) -> Share:
    homes = pl.col("PLACE").is_in(CHILDRENS_HOME_PLACE)
    return share_where(placements_on(ds, period.end), pl.col("location_band") == "inside", homes)


@measure(
    "distant_by_age_band",
    title="Children placed at a distance by age",
    theme="location",
    unit="counts",
    definition=(
        "Children looked after on the reference date whose placement is distant (neither "
        "inside the council's area nor in a neighbouring authority), by age in completed years: "
        "under 13, 13 to 17, 18 and over."
    ),
    breakdowns=("age",),
    keys=("under_13", "13_to_17", "18_plus"),
)
def distant_by_age_band(ds: Dataset, period: Period) -> Counts:
    return counts(distant_by_age(ds, period), "band", ["under_13", "13_to_17", "18_plus"])


def distant_by_age(ds: Dataset, period: Period) -> pl.DataFrame:
    """Children placed at a distance on the reference date with their age ``band``."""
    frame = placements_on(ds, period.end).filter(pl.col("location_band") == "distant")
    return frame.with_columns(age_expr(period.end).alias("age")).with_columns(
        pl.when(pl.col("age") < 13)
        .then(pl.lit("under_13"))
        .when(pl.col("age") <= 17)
        .then(pl.lit("13_to_17"))
        .when(pl.col("age") >= 18)
        .then(pl.lit("18_plus"))
        .otherwise(pl.lit("unknown"))
        .alias("band")
    )


@measure(
    "unregistered_provision",
    title="Children in unregistered or unregulated provision",
    theme="location",
    unit="counts",
    definition=(
        "Children looked after on the reference date whose placement is not registered with "
        "Ofsted: placement code Z1 or Z11-Z14 (the codes the DfE uses for other, unregistered "
        "placements in the collection year) - key unregistered_code; or a children's home, "
        "secure home or supported accommodation placement (K1, K2, R1, K3, and H5 from 28 "
        "October 2023 when supported accommodation had to register) whose URN is blank, "
        "'XXXXXXX' or, when registers/homes or registers/supported_accommodation is supplied, "
        "in neither - key urn_not_registered. "
        "H5 placements of children under 16 (unregulated, unlawful since September 2021) are "
        "key unregulated_under_16. total counts each child once."
    ),
    breakdowns=("reason",),
    keys=("unregistered_code", "urn_not_registered", "unregulated_under_16", "total"),
)
def unregistered_provision(ds: Dataset, period: Period) -> Counts:
    flags = unregistered_flags(ds, period)
    return {
        "unregistered_code": int(flags.get_column("a").sum()),
        "urn_not_registered": int(flags.get_column("b").sum()),
        "unregulated_under_16": int(flags.get_column("c").sum()),
        "total": int((flags.get_column("a") | flags.get_column("b") | flags.get_column("c")).sum()),
    }


def unregistered_flags(ds: Dataset, period: Period) -> pl.DataFrame:
    """Children placed on the reference date (CHILD) with ``unregistered_provision``'s reasons:
    ``a`` unregistered_code, ``b`` urn_not_registered, ``c`` unregulated_under_16."""

    frame = placements_on(ds, period.end)
    place = code_expr("PLACE")
    by_code = place.is_in(UNREGISTERED_PLACE)
    registers = {name: ds.register(name) for name in URN_REGISTERS}
    by_urn = urn_not_registered(place, code_expr("URN"), period.end, registers)
    under16 = place.is_in(["H5"]) & (pl.col("age") < 16)
    return frame.select(
        "CHILD",
        by_code.fill_null(False).alias("a"),
        by_urn.fill_null(False).alias("b"),
        under16.fill_null(False).alias("c"),
    )
