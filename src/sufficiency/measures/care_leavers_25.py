"""Care leavers to 25 (issue 19): the OC3 return for the ages it covers (17 to 21), the care
leavers register for the rest (22 to 25), and where those aged 22 to 25 live."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr
from sufficiency.measures.care_leavers import CARE_LEAVER_AGES, age_key, care_leavers
from sufficiency.measures.catalogue import Period, Value, measure
from sufficiency.measures.common import counts
from sufficiency.schema.duty import LEAVER_ACCOMMODATION

THEME = "care_leavers"
#: Ages only the register covers (OC3 stops at 21).
REGISTER_AGES = ("22", "23", "24", "25")
AGES_TO_25 = (*CARE_LEAVER_AGES, *REGISTER_AGES)
_REGISTER = (
    "Young adults in the care leavers register aged 22 to 25 on the reference date (age in "
    "completed years from the first day of the month of birth, the register's birth_month)"
)


def register_leavers(ds: Dataset, d: dt.date) -> pl.DataFrame | None:
    """The register's young adults aged 22 to 25 on ``d``, with ``age``; None without it."""
    register = ds.register("care_leavers_25")
    if register is None:
        return None
    return register.with_columns(age_expr(d, "birth_month").alias("age")).filter(
        pl.col("age").is_between(22, 25)
    )


@measure(
    "care_leavers_by_age_to_25",
    title="Care leavers by age, 17 to 25",
    theme=THEME,
    unit="counts",
    definition=(
        "Ages 17 to 21: care_leavers_by_age (the OC3 table, with the DfE's exclusions); ages "
        "22 to 25: " + _REGISTER + ". OC3 stays the source for the ages it covers: the "
        "register's rows aged 21 or under are not counted here."
    ),
    source="SSDA903 OC3, care leavers register",
    breakdowns=("age",),
    keys=AGES_TO_25,
)
def care_leavers_by_age_to_25(ds: Dataset, period: Period) -> Value:
    young = care_leavers(ds, period).with_columns(age_key().alias("a"))
    out = counts(young, "a", CARE_LEAVER_AGES, extra=False)
    older = register_leavers(ds, period.end)
    if older is None:
        return {**out, **dict.fromkeys(REGISTER_AGES)}
    out.update(
        counts(
            older.with_columns(pl.col("age").cast(pl.Utf8).alias("a")),
            "a",
            REGISTER_AGES,
            extra=False,
        )
    )
    return out


@measure(
    "care_leavers_22_25_accommodation",
    title="Care leavers aged 22 to 25 by accommodation",
    theme=THEME,
    unit="counts",
    definition=_REGISTER
    + ", counted by the accommodation the register records (not_known when blank).",
    source="care leavers register",
    breakdowns=("accommodation",),
    keys=LEAVER_ACCOMMODATION,
)
def care_leavers_22_25_accommodation(ds: Dataset, period: Period) -> Value:
    older = register_leavers(ds, period.end)
    if older is None:
        return None
    found = counts(
        older.with_columns(pl.col("accommodation").fill_null("not_known")),
        "accommodation",
        LEAVER_ACCOMMODATION,
        extra=False,
    )
    return {k: v for k, v in found.items() if v}


@measure(
    "care_leavers_22_25_support",
    title="Care leavers aged 22 to 25: in touch, suitably housed, staying put or close",
    theme=THEME,
    unit="counts",
    definition=(
        _REGISTER + ": all of them (total), those the register records in touch, in suitable "
        "accommodation, staying put (with former foster carers) and staying close (near their "
        "former children's home)."
    ),
    source="care leavers register",
    child_keys=("total", "in_touch", "suitable", "staying_put", "staying_close"),
)
def care_leavers_22_25_support(ds: Dataset, period: Period) -> Value:
    older = register_leavers(ds, period.end)
    if older is None:
        return None

    def yes(column: str) -> int:
        return older.filter(pl.col(column).fill_null(False)).height

    return {
        "total": older.height,
        "in_touch": yes("in_touch"),
        "suitable": yes("suitable"),
        "staying_put": yes("staying_put"),
        "staying_close": yes("staying_close"),
    }
