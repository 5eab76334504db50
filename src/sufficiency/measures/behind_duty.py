"""The children behind the wider duty's measures: care leavers (OC3), disabled children and
EHCPs, overnight short breaks and the UASC and deprivation-of-liberty demand streams; each
cohort is built by the functions the measure itself counts with."""

from __future__ import annotations

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures.behind_cohort import (
    COUNT,
    DENOMINATOR,
    NUMERATOR,
    Cohort,
    cell,
    keyed,
    members,
    none,
    of_child_ids,
)
from sufficiency.measures.care_leavers import (
    accommodation_judged,
    age_key,
    aged_19_to_21,
    care_leavers,
    in_eet,
    in_neet,
    in_touch,
    suitably_housed,
)
from sufficiency.measures.care_leavers_25 import REGISTER_AGES
from sufficiency.measures.catalogue import Period
from sufficiency.measures.common import cla_on
from sufficiency.measures.demand_streams import (
    in_force,
    made_in,
    orders,
    uasc_entries,
    uasc_stock,
)
from sufficiency.measures.send import disabled_on, ehcp_on, with_ehcp
from sufficiency.measures.short_breaks import assessed, nights_agreed

#: A stream's exits are start + entries - end: a number, not a set of children.
_EXITS = ("exits",)


def _disabled(ds: Dataset, period: Period) -> pl.DataFrame:
    return disabled_on(ds, period.end)


def _of_all_looked_after(ds: Dataset, period: Period, counted: pl.DataFrame) -> pl.DataFrame:
    """A share of every child looked after on the reference date: ``counted`` its count."""
    return members(
        cell(counted, COUNT, NUMERATOR), cell(cla_on(ds, period.end), COUNT, DENOMINATOR)
    )


def _ehcp(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``ehcp_cla_by_need``: children looked after with an EHCP (none without the register)."""
    if ds.register("disabled_children") is None:
        return pl.DataFrame(schema={"CHILD": pl.Utf8, "need_type": pl.Utf8})
    return ehcp_on(ds, period)


def _ehcp_share(ds: Dataset, period: Period) -> pl.DataFrame:
    if ds.register("disabled_children") is None:
        return none()
    return _of_all_looked_after(ds, period, ehcp_on(ds, period))


def _ehcp_children(ds: Dataset, period: Period) -> pl.DataFrame:
    register = ds.register("disabled_children")
    if register is None:
        return none()
    return cell(of_child_ids(with_ehcp(register, period.end)))


def _packages(ds: Dataset, period: Period) -> pl.DataFrame:
    """As ``short_breaks_demand_supply``: children assessed for each kind of overnight short
    break, those with nights agreed and those whose need is unmet."""
    disabled = ds.register("disabled_children")
    if disabled is None:
        return none()
    packages = of_child_ids(assessed(disabled))
    kind = pl.col("short_break_type")
    return members(
        keyed(packages, kind, "children_assessed"),
        keyed(packages.filter(nights_agreed() > 0), kind, "children_agreed"),
        keyed(packages.filter(nights_agreed() == 0), kind, "children_unmet"),
    )


def _assessed(ds: Dataset, period: Period) -> pl.DataFrame:
    return _packages(ds, period).filter(pl.col("column") == "children_assessed")


def _uasc_stream(ds: Dataset, period: Period) -> pl.DataFrame:
    return members(
        cell(uasc_stock(ds, period.previous().end), "start"),
        cell(uasc_entries(ds, period), "entries"),
        cell(uasc_stock(ds, period.end), "end"),
    )


def _dolo_stream(ds: Dataset, period: Period) -> pl.DataFrame:
    frame = orders(ds)
    if frame is None:
        return none()
    return members(
        cell(in_force(frame, period.previous().end), "start"),
        cell(made_in(frame, period), "entries"),
        cell(in_force(frame, period.end), "end"),
    )


DUTY_COHORTS: dict[str, Cohort] = {
    # care leavers (OC3): the register's young adults aged 22 to 25 are not children of the
    # returns (person_id, no CHILD), so their cells are not listed
    "care_leavers_by_age": Cohort(care_leavers, key=age_key),
    "care_leavers_by_age_to_25": Cohort(care_leavers, key=age_key, unlisted=REGISTER_AGES),
    "care_leavers_in_touch": Cohort(aged_19_to_21, counted=in_touch),
    "care_leavers_suitable_accommodation": Cohort(accommodation_judged, counted=suitably_housed),
    "care_leavers_eet": Cohort(aged_19_to_21, counted=in_eet),
    "care_leavers_neet": Cohort(aged_19_to_21, counted=in_neet),
    # disabled children and EHCPs
    "disabled_cla": Cohort(
        lambda ds, period: _of_all_looked_after(ds, period, _disabled(ds, period)), cells=True
    ),
    "disabled_cla_by_placement_type": Cohort(_disabled, key=lambda: pl.col("placement_type")),
    "ehcp_cla": Cohort(_ehcp_share, cells=True),
    "ehcp_cla_by_need": Cohort(_ehcp, key=lambda: pl.col("need_type")),
    "ehcp_children": Cohort(_ehcp_children, cells=True),
    # overnight short breaks
    "short_breaks_demand_supply": Cohort(_packages, cells=True),
    "short_break_nights_forecast": Cohort(_assessed, cells=True),
    # demand streams
    "uasc_forecast": Cohort(_uasc_stream, cells=True, unlisted=_EXITS),
    "dolo_orders": Cohort(_dolo_stream, cells=True, unlisted=_EXITS),
}

__all__ = ["DUTY_COHORTS"]
