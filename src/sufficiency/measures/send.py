"""Disabled children and special educational needs among children looked after (issue 19).

A child looked after is disabled when the disabled children register lists them or their
episode on the date records disability as the category of need (CIN N2); EHCPs and primary need
come from the register.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.dataset import Dataset
from sufficiency.measures.catalogue import Counts, Period, Share, Value, measure
from sufficiency.measures.common import cla_on, counts
from sufficiency.schema.duty import NEED_TYPES

THEME = "send"
#: Category of need "child's disability" (SSDA903 CIN).
DISABILITY_CIN = "N2"
_DISABLED = (
    "Children looked after on the reference date (short breaks V3/V4 left out, as the DfE "
    "counts them) who are in the disabled children register or whose episode on the date "
    "records disability as the category of need (CIN N2)."
)


def disabled_on(ds: Dataset, d: dt.date) -> pl.DataFrame:
    """Children looked after on ``d`` who are disabled (register or CIN N2), their episode on
    ``d`` with the register's row (``ehcp``, ``need_type``) where there is one."""
    cla = cla_on(ds, d)
    register = ds.register("disabled_children")
    if register is None:
        return cla.filter(pl.col("CIN") == DISABILITY_CIN).with_columns(
            pl.lit(None, dtype=pl.Boolean).alias("ehcp"),
            pl.lit(None, dtype=pl.Utf8).alias("need_type"),
        )
    listed = register.select(pl.col("child_id").alias("CHILD"), "ehcp", "need_type")
    joined = cla.join(listed, on="CHILD", how="left")
    return joined.filter(
        (pl.col("CIN") == DISABILITY_CIN) | pl.col("CHILD").is_in(listed["CHILD"].implode())
    )


@measure(
    "disabled_cla",
    title="Disabled children looked after",
    theme=THEME,
    unit="share",
    definition=_DISABLED + " As a share of all children looked after on the date.",
    source="disabled children register, SSDA903 CIN",
)
def disabled_cla(ds: Dataset, period: Period) -> Share:
    return Share(disabled_on(ds, period.end).height, cla_on(ds, period.end).height)


@measure(
    "disabled_cla_by_placement_type",
    title="Disabled children looked after by placement type",
    theme=THEME,
    unit="counts",
    definition=_DISABLED + " Counted by LA placement type (DESIGN.md groupings).",
    source="disabled children register, SSDA903",
    breakdowns=("placement_type",),
    keys=PLACEMENT_TYPES,
)
def disabled_cla_by_placement_type(ds: Dataset, period: Period) -> Counts:
    found = counts(disabled_on(ds, period.end), "placement_type", PLACEMENT_TYPES, extra=False)
    return {k: v for k, v in found.items() if v}


@measure(
    "ehcp_cla",
    title="Children looked after with an education, health and care plan",
    theme=THEME,
    unit="share",
    definition=(
        "Children looked after on the reference date (short breaks left out) whom the disabled "
        "children register records with an EHCP issued on or before the date, as a share of "
        "all children looked after on the date."
    ),
    source="disabled children register",
)
def ehcp_cla(ds: Dataset, period: Period) -> Value:
    register = ds.register("disabled_children")
    if register is None:
        return None
    return Share(ehcp_on(ds, period).height, cla_on(ds, period.end).height)


def ehcp_on(ds: Dataset, period: Period) -> pl.DataFrame:
    """Children looked after on the reference date with an EHCP issued by then."""
    register = ds.register("disabled_children")
    assert register is not None
    held = with_ehcp(register, period.end).select(pl.col("child_id").alias("CHILD"), "need_type")
    return cla_on(ds, period.end).join(held, on="CHILD")


def with_ehcp(register: pl.DataFrame, d: dt.date) -> pl.DataFrame:
    """The register's children with an EHCP issued on or before ``d`` (no date: held)."""
    return register.filter(
        pl.col("ehcp").fill_null(False)
        & (pl.col("ehcp_date").is_null() | (pl.col("ehcp_date") <= d))
    )


@measure(
    "ehcp_cla_by_need",
    title="Children looked after with an EHCP by primary need",
    theme=THEME,
    unit="counts",
    definition=(
        "The children of ehcp_cla counted by the primary need the register records "
        "(unknown when blank)."
    ),
    source="disabled children register",
    breakdowns=("need_type",),
    keys=NEED_TYPES,
)
def ehcp_cla_by_need(ds: Dataset, period: Period) -> Value:
    if ds.register("disabled_children") is None:
        return None
    return counts(ehcp_on(ds, period), "need_type", NEED_TYPES)


@measure(
    "ehcp_children",
    title="Children with an EHCP known to children's services",
    theme=THEME,
    unit="count",
    definition=(
        "Children in the disabled children register with an EHCP issued on or before the "
        "reference date, looked after or not."
    ),
    source="disabled children register",
)
def ehcp_children(ds: Dataset, period: Period) -> Value:
    register = ds.register("disabled_children")
    if register is None:
        return None
    return with_ehcp(register, period.end).height
