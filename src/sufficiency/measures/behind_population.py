"""The children behind the population, placement, location and short-term stability measures:
each cohort is built by the functions and expressions the measure itself counts with."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from sufficiency.codes import CHILDRENS_HOME_PLACE, FOSTERING_PLACE
from sufficiency.dataset import Dataset
from sufficiency.measures.behind_cohort import Cohort, banded, grouped
from sufficiency.measures.catalogue import Period
from sufficiency.measures.common import (
    DFE_AGE_BANDS,
    FINE_AGE_BANDS,
    cla_on,
    code_expr,
    episodes_on,
    placements_on,
)
from sufficiency.measures.drilldown import FAR_MILES
from sufficiency.measures.placements import NATIONAL_PLACEMENT_GROUPS, PROVIDER_GROUPS
from sufficiency.measures.population import (
    ETHNIC_GROUPS,
    LEGAL_STATUS_GROUPS,
    leavers,
    starters,
    uasc_on,
)
from sufficiency.measures.stability import placements_in_year


def _cla(ds: Dataset, period: Period) -> pl.DataFrame:
    return cla_on(ds, period.end)


def _placed(ds: Dataset, period: Period) -> pl.DataFrame:
    return placements_on(ds, period.end)


def _cla_ethnicity(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``population._cla_with_ethnicity``: ETHNIC from the header."""
    return _cla(ds, period).join(ds.children.select("CHILD", "ETHNIC"), on="CHILD", how="left")


def _uasc(ds: Dataset, period: Period) -> pl.DataFrame:
    return uasc_on(ds, period.end, cla_on(ds, period.end))


def _cla_uasc(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``uasc_share``: children looked after, ``uasc`` true for those ``uasc_on`` keeps."""
    uasc = _uasc(ds, period).get_column("CHILD").implode()
    return _cla(ds, period).with_columns(pl.col("CHILD").is_in(uasc).alias("uasc"))


def _starters_dob(ds: Dataset, period: Period) -> pl.DataFrame:
    return starters(ds, period).join(ds.children.select("CHILD", "DOB"), on="CHILD", how="left")


def _placements_in_year(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``stability_three_plus``: children looked after with their placements in the year."""
    per_child = placements_in_year(ds, period).group_by("CHILD").len()
    return _cla(ds, period).select("CHILD").join(per_child, on="CHILD", how="left")


def _known_distance(ds: Dataset, period: Period) -> pl.DataFrame:
    return _placed(ds, period).filter(pl.col("distance_miles").is_not_null())


def _in_childrens_homes(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``childrens_home_inside_share``: children placed in a children's home (K2, R1)."""
    return _placed(ds, period).filter(pl.col("PLACE").is_in(CHILDRENS_HOME_PLACE))


def _known_location(ds: Dataset, period: Period) -> pl.DataFrame:
    return _placed(ds, period).filter(pl.col("location_band") != "unknown")


def _far(miles: float, at_least: bool = False) -> Callable[[], pl.Expr]:
    return lambda: (
        pl.col("distance_miles") >= miles if at_least else pl.col("distance_miles") > miles
    )


POPULATION_COHORTS: dict[str, Cohort] = {
    # population
    "cla_count": Cohort(_cla),
    "starts": Cohort(starters),
    "ceased": Cohort(leavers),
    "uasc_count": Cohort(_uasc),
    "cla_by_age_band": Cohort(_cla, key=banded(DFE_AGE_BANDS)),
    "cla_by_fine_age_band": Cohort(_cla, key=banded(FINE_AGE_BANDS)),
    "cla_by_sex": Cohort(_cla, key=lambda: pl.col("SEX").fill_null("U")),
    "cla_by_ethnicity": Cohort(_cla_ethnicity, key=grouped("ETHNIC", ETHNIC_GROUPS, "not_known")),
    "cla_white_british": Cohort(_cla_ethnicity, counted=lambda: pl.col("ETHNIC") == "WBRI"),
    "cla_by_legal_status": Cohort(_cla, key=grouped("LS", LEGAL_STATUS_GROUPS, "unknown")),
    "cla_by_category_of_need": Cohort(_cla, key=lambda: code_expr("CIN")),
    "starts_by_age_band": Cohort(_starters_dob, key=banded(DFE_AGE_BANDS, "start")),
    "uasc_by_age": Cohort(_uasc, key=banded(FINE_AGE_BANDS)),
    "uasc_arrivals": Cohort(lambda ds, period: uasc_on(ds, pl.col("start"), starters(ds, period))),
    "short_breaks_count": Cohort(
        lambda ds, period: episodes_on(ds, period.end).filter(pl.col("short_break"))
    ),
    "uasc_share": Cohort(_cla_uasc, counted=lambda: pl.col("uasc")),
    # placements
    "cla_by_placement_type": Cohort(_cla, key=lambda: pl.col("placement_type")),
    "cla_by_national_placement_group": Cohort(
        _cla, key=grouped("PLACE", NATIONAL_PLACEMENT_GROUPS, "other_placements")
    ),
    "cla_by_provider": Cohort(
        _cla,
        key=lambda: code_expr("PLACE_PROVIDER").replace_strict(
            PROVIDER_GROUPS, default="not_recorded"
        ),
    ),
    "fostering_share": Cohort(_cla, counted=lambda: pl.col("PLACE").is_in(FOSTERING_PLACE)),
    # location
    "cla_by_location": Cohort(_placed, key=lambda: pl.col("location_band")),
    "cla_by_distance_band": Cohort(_placed, key=lambda: pl.col("distance_band")),
    "placement_type_by_location": Cohort(
        _placed, key=lambda: pl.col("placement_type"), column=lambda: pl.col("location_band")
    ),
    "placed_over_20_miles": Cohort(_placed, counted=_far(20.0)),
    "placed_over_100_miles": Cohort(_placed, counted=_far(FAR_MILES, at_least=True)),
    "placed_over_20_miles_known_distance": Cohort(_known_distance, counted=_far(20.0)),
    "placed_over_100_miles_known_distance": Cohort(
        _known_distance, counted=_far(FAR_MILES, at_least=True)
    ),
    "placed_outside_la": Cohort(
        _known_location, counted=lambda: pl.col("location_band") != "inside"
    ),
    "distance_known": Cohort(_placed, counted=lambda: pl.col("distance_miles").is_not_null()),
    "placed_over_20_miles_outside_la": Cohort(
        _placed,
        counted=lambda: (
            pl.col("location_band").is_in(["neighbouring", "distant"])
            & (pl.col("distance_miles") > 20.0)
        ),
    ),
    "childrens_home_inside_share": Cohort(
        _in_childrens_homes, counted=lambda: pl.col("location_band") == "inside"
    ),
    # stability
    "stability_three_plus": Cohort(_placements_in_year, counted=lambda: pl.col("len") >= 3),
}

__all__ = ["POPULATION_COHORTS"]
