"""Care leavers (SSDA903 OC3): in touch, suitably housed, in education / work, by age."""

from __future__ import annotations

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import age_expr
from sufficiency.measures.catalogue import Counts, Period, Share, measure
from sufficiency.measures.common import code_expr, counts, memo, share_where, table, to_date

CARE_LEAVER_AGES = ("17", "18", "19", "20", "21")
_OC3_DEF = (
    "Care leavers are the young people in the OC3 table of the return for the year ending on "
    "the reference date (former relevant children whose 17th to 21st birthday fell in the "
    "year), aged by completed years on the reference date."
)


def care_leavers(ds: Dataset, period: Period) -> pl.DataFrame:
    """OC3 rows for the year ending on the reference date, one per young person, with ``age``."""

    def build() -> pl.DataFrame:
        oc3 = table("oc3", ds)
        if oc3 is None:
            return pl.DataFrame(
                schema={
                    "CHILD": pl.Utf8,
                    "IN_TOUCH": pl.Utf8,
                    "ACTIV": pl.Utf8,
                    "ACCOM": pl.Utf8,
                    "age": pl.Int32,
                }
            )
        oc3 = oc3.with_columns(pl.col("CHILD").cast(pl.Utf8))
        if "return_year" in oc3.columns:
            this_year = oc3.filter(
                pl.col("return_year").cast(pl.Int32, strict=False) == period.end.year
            )
            oc3 = this_year
        if "DOB" not in oc3.columns:
            oc3 = oc3.join(ds.children.select("CHILD", "DOB"), on="CHILD", how="left")
        oc3 = to_date(oc3, "DOB")
        for c in ("IN_TOUCH", "ACTIV", "ACCOM"):
            if c not in oc3.columns:
                oc3 = oc3.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c))
            else:
                oc3 = oc3.with_columns(code_expr(c))
        return oc3.unique("CHILD", keep="last", maintain_order=True).with_columns(
            age_expr(period.end).alias("age")
        )

    return memo(ds, ("care_leavers", period), build)


def _aged_19_to_21(ds: Dataset, period: Period) -> pl.DataFrame:
    return care_leavers(ds, period).filter(pl.col("age").is_between(19, 21))


@measure(
    "care_leavers_by_age",
    title="Care leavers by age",
    theme="care_leavers",
    unit="counts",
    definition=_OC3_DEF + " Counted by age 17 to 21.",
    breakdowns=("age",),
    keys=CARE_LEAVER_AGES,
)
def care_leavers_by_age(ds: Dataset, period: Period) -> Counts:
    frame = care_leavers(ds, period).with_columns(pl.col("age").cast(pl.Utf8).alias("a"))
    return counts(frame, "a", CARE_LEAVER_AGES, extra=False)


@measure(
    "care_leavers_in_touch",
    title="Care leavers aged 19-21 in touch with the council",
    theme="care_leavers",
    unit="share",
    definition=_OC3_DEF + " Share of those aged 19, 20 or 21 whose IN_TOUCH is YES.",
    source="DfE Children looked after in England, care leavers tables F1",
)
def care_leavers_in_touch(ds: Dataset, period: Period) -> Share:
    return share_where(_aged_19_to_21(ds, period), pl.col("IN_TOUCH") == "YES")


@measure(
    "care_leavers_suitable_accommodation",
    title="Care leavers aged 19-21 in suitable accommodation",
    theme="care_leavers",
    unit="share",
    definition=(
        _OC3_DEF + " Share of those aged 19, 20 or 21 whose ACCOM code is marked suitable "
        "(second character 1)."
    ),
    source="DfE Children looked after in England, care leavers tables F2",
)
def care_leavers_suitable_accommodation(ds: Dataset, period: Period) -> Share:
    return share_where(_aged_19_to_21(ds, period), pl.col("ACCOM").str.slice(1, 1) == "1")


@measure(
    "care_leavers_eet",
    title="Care leavers aged 19-21 in education, employment or training",
    theme="care_leavers",
    unit="share",
    definition=(
        _OC3_DEF + " Share of those aged 19, 20 or 21 whose ACTIV is in education, employment "
        "or training, full or part time (F1-F5, P1-P5)."
    ),
    source="DfE Children looked after in England, care leavers tables F3",
)
def care_leavers_eet(ds: Dataset, period: Period) -> Share:
    return share_where(_aged_19_to_21(ds, period), pl.col("ACTIV").str.contains(r"^[FP][1-5]$"))


@measure(
    "care_leavers_neet",
    title="Care leavers aged 19-21 not in education, employment or training",
    theme="care_leavers",
    unit="share",
    definition=(
        _OC3_DEF + " Share of those aged 19, 20 or 21 whose ACTIV is G4, G5 or G6 (NEET due to "
        "illness or disability, other reasons, pregnancy or parenting)."
    ),
)
def care_leavers_neet(ds: Dataset, period: Period) -> Share:
    return share_where(_aged_19_to_21(ds, period), pl.col("ACTIV").is_in(["G4", "G5", "G6"]))
