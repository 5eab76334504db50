"""Care leavers (SSDA903 OC3): in touch, suitably housed, in education / work, by age."""

from __future__ import annotations

import polars as pl

from sufficiency.dataset import Dataset, sorted_by
from sufficiency.dates import age_expr
from sufficiency.measures.catalogue import Counts, Period, Share, measure
from sufficiency.measures.common import (
    ENGINE,
    code_expr,
    counts,
    last_of_child,
    memo,
    share_where,
    table,
    to_date,
)

CARE_LEAVER_AGES = ("17", "18", "19", "20", "21")
#: OC3 IN_TOUCH codes the DfE leaves out of every care leaver figure (SSDA903 code set):
#: DIED "Died after leaving care"; RHOM "Young person returned to live with parents or someone
#: with parental responsibility for a continuous period of 6 months or more".
EXCLUDED_IN_TOUCH = ("DIED", "RHOM")
#: REC of a period of care whose care another council took over (SSDA903: E3 "Care taken over
#: by another local authority in the UK"): the DfE leaves those whose care was transferred out.
TRANSFERRED_REC = ("E3",)
#: OC3 ACCOM first letters the DfE leaves out of the suitable accommodation figure: G gone
#: abroad, H deported, R residence not known.
ACCOM_NOT_JUDGED = ("G", "H", "R")
_OC3_DEF = (
    "Care leavers are the young people in the OC3 table of the return for the year ending on "
    "the reference date (former relevant children whose 17th to 21st birthday fell in the "
    "year), aged by completed years on the reference date. As the DfE does, those who have "
    "died (IN_TOUCH DIED), returned home to parents for at least six months (IN_TOUCH RHOM), "
    "whose care was transferred to another council (their last period of care ended REC E3) "
    "or who were looked after only under an agreed series of short-term breaks (V3/V4) are "
    "left out."
)
#: LAIT's methodology for the care leaver indicators (lait_data_dictionary.csv: NoCareLeavers,
#: CareLeaverAcc, CareLeaverEET, CareLeaversNEET).
_LAIT_EXCLUDED = (
    'LAIT methodology: "All figures exclude young people who were looked after under an agreed '
    "series of short term placements, have died and those who have returned home to live with "
    "parents or someone with parental responsibility for a continuous period of at least 6 "
    'months." (CareLeaverEET); "Figures exclude young people who were looked after under an '
    "agreed series of short term placements, those who have died since leaving care, those who "
    "have returned home to parents or someone with parental responsibility for a continuous "
    "period of at least 6 months and those whose care was transferred to another local "
    'authority." (CareLeaversNEET).'
)
_LAIT_ACCOM = (
    'LAIT CareLeaverAcc methodology: "Figures in this indicator also exclude young people who '
    "have gone abroad or been deported, or their residence is not known, as the suitability "
    'will not usually be known in these cases."'
)


def _oc3_rows(ds: Dataset, period: Period) -> pl.DataFrame:
    """OC3 rows for the year ending on the reference date, one per young person, with ``age``
    (every row: the DfE's exclusions are applied by ``care_leavers``)."""

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
        # OC3's own DOB, else the child's in any return's header (a blank OC3 DOB made every
        # care leaver's age unknown: every figure read as none)
        if "DOB" not in oc3.columns:
            oc3 = oc3.with_columns(pl.lit(None, pl.Date).alias("DOB"))
        known = ds.children.select("CHILD", pl.col("DOB").alias("_header_dob"))
        oc3 = to_date(oc3, "DOB").join(known, on="CHILD", how="left", maintain_order="left")
        oc3 = oc3.with_columns(pl.col("DOB").fill_null(pl.col("_header_dob"))).drop("_header_dob")
        for c in ("IN_TOUCH", "ACTIV", "ACCOM"):
            if c not in oc3.columns:
                oc3 = oc3.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c))
            else:
                oc3 = oc3.with_columns(code_expr(c))
        return oc3.unique("CHILD", keep="last", maintain_order=True).with_columns(
            age_expr(period.end).alias("age")
        )

    return memo(ds, ("oc3_rows", period), build)


def care_leavers(ds: Dataset, period: Period) -> pl.DataFrame:
    """The DfE's care leavers for the year ending on the reference date: OC3 rows (one per
    young person, with ``age``) less those who died or returned home for six months or more
    (IN_TOUCH DIED, RHOM), whose care was transferred (last period of care ended REC E3), or
    who were only ever looked after under short breaks (every episode V3/V4)."""

    def build() -> pl.DataFrame:
        oc3 = _oc3_rows(ds, period)
        periods = sorted_by(  # periods_of_care is in this order already: only the check
            ds.periods_of_care.lazy()
            .filter(pl.col("start") <= period.end)
            .select("CHILD", "start", "REC", "short_break")
            .collect(engine=ENGINE),
            ["CHILD", "start"],
        )
        last = last_of_child(periods)
        transferred = last.filter(code_expr("REC").is_in(TRANSFERRED_REC)).get_column("CHILD")
        by_child = (  # a query groups the children's ids far faster
            periods.lazy()
            .group_by("CHILD")
            .agg(pl.col("short_break").all().alias("_only"))
            .collect()
        )
        short_only = by_child.filter(pl.col("_only")).get_column("CHILD")
        return oc3.filter(
            ~pl.col("IN_TOUCH").is_in(EXCLUDED_IN_TOUCH).fill_null(False)
            & ~pl.col("CHILD").is_in(transferred.implode())
            & ~pl.col("CHILD").is_in(short_only.implode())
        )

    return memo(ds, ("care_leavers", period), build)


def aged_19_to_21(ds: Dataset, period: Period) -> pl.DataFrame:
    """The care leavers the in touch, EET and NEET shares are of."""
    return care_leavers(ds, period).filter(pl.col("age").is_between(19, 21))


def accommodation_judged(ds: Dataset, period: Period) -> pl.DataFrame:
    """The care leavers aged 19-21 the suitable accommodation share is of."""
    return aged_19_to_21(ds, period).filter(
        ~pl.col("ACCOM").str.slice(0, 1).is_in(ACCOM_NOT_JUDGED).fill_null(False)
    )


def in_touch() -> pl.Expr:
    return pl.col("IN_TOUCH") == "YES"


def suitably_housed() -> pl.Expr:
    return pl.col("ACCOM").str.slice(1, 1) == "1"


def in_eet() -> pl.Expr:
    return pl.col("ACTIV").str.contains(r"^[FP][1-5]$")


def in_neet() -> pl.Expr:
    return pl.col("ACTIV").is_in(["G4", "G5", "G6"])


def age_key() -> pl.Expr:
    """A care leaver's age as ``care_leavers_by_age`` keys it."""
    return pl.col("age").cast(pl.Utf8)


@measure(
    "care_leavers_by_age",
    title="Care leavers by age",
    theme="care_leavers",
    unit="counts",
    definition=_OC3_DEF + " Counted by age 17 to 21. " + _LAIT_EXCLUDED,
    breakdowns=("age",),
    keys=CARE_LEAVER_AGES,
)
def care_leavers_by_age(ds: Dataset, period: Period) -> Counts:
    frame = care_leavers(ds, period).with_columns(age_key().alias("a"))
    return counts(frame, "a", CARE_LEAVER_AGES, extra=False)


@measure(
    "care_leavers_in_touch",
    title="Care leavers aged 19-21 in touch with the council",
    theme="care_leavers",
    unit="share",
    definition=(
        _OC3_DEF + " Share of those aged 19, 20 or 21 whose IN_TOUCH is YES. " + _LAIT_EXCLUDED
    ),
    source="DfE Children looked after in England, care leavers tables F1",
)
def care_leavers_in_touch(ds: Dataset, period: Period) -> Share:
    return share_where(aged_19_to_21(ds, period), in_touch())


@measure(
    "care_leavers_suitable_accommodation",
    title="Care leavers aged 19-21 in suitable accommodation",
    theme="care_leavers",
    unit="share",
    definition=(
        _OC3_DEF + " Share of those aged 19, 20 or 21 whose ACCOM code is marked suitable "
        "(second character 1); those gone abroad (G), deported (H) or whose residence is not "
        "known (R) are left out, as the DfE leaves them out. " + _LAIT_EXCLUDED + " " + _LAIT_ACCOM
    ),
    source="DfE Children looked after in England, care leavers tables F2",
)
def care_leavers_suitable_accommodation(ds: Dataset, period: Period) -> Share:
    return share_where(accommodation_judged(ds, period), suitably_housed())


@measure(
    "care_leavers_eet",
    title="Care leavers aged 19-21 in education, employment or training",
    theme="care_leavers",
    unit="share",
    definition=(
        _OC3_DEF + " Share of those aged 19, 20 or 21 whose ACTIV is in education, employment "
        "or training, full or part time (F1-F5, P1-P5). " + _LAIT_EXCLUDED
    ),
    source="DfE Children looked after in England, care leavers tables F3",
)
def care_leavers_eet(ds: Dataset, period: Period) -> Share:
    return share_where(aged_19_to_21(ds, period), in_eet())


@measure(
    "care_leavers_neet",
    title="Care leavers aged 19-21 not in education, employment or training",
    theme="care_leavers",
    unit="share",
    definition=(
        _OC3_DEF + " Share of those aged 19, 20 or 21 whose ACTIV is G4, G5 or G6 (NEET due to "
        "illness or disability, other reasons, pregnancy or parenting). " + _LAIT_EXCLUDED
    ),
)
def care_leavers_neet(ds: Dataset, period: Period) -> Share:
    return share_where(aged_19_to_21(ds, period), in_neet())
