"""Population measures: how many children are looked after, who they are, who came and went."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from sufficiency.dataset import Dataset, sorted_by
from sufficiency.dates import age_expr
from sufficiency.measures.catalogue import Counts, Period, Share, measure
from sufficiency.measures.common import (
    DFE_AGE_BANDS,
    ENGINE,
    FINE_AGE_BANDS,
    children_on,
    cla_children_on,
    cla_on,
    code_expr,
    code_in,
    count_where,
    counts,
    counts_by_band,
    counts_by_group,
    last_of_child,
    memo,
    share_where,
)

_CLA_DEF = (
    "A child is looked after on the reference date D when one of their episodes has DECOM on or "
    "before D and DEC blank or after D (a child whose episode ends on D has left by D). As in DfE "
    "publications, children looked after under an agreed series of short-term breaks (legal "
    "status V3 or V4) are excluded."
)

ETHNIC_GROUPS: dict[str, tuple[str, ...]] = {
    "white": ("WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    "mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "asian": ("AIND", "APKN", "ABAN", "AOTH", "CHNE"),
    "black": ("BCRB", "BAFR", "BOTH"),
    "other": ("OOTH",),
    "not_known": ("REFU", "NOBT"),
}

LEGAL_STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "care_order": ("C1", "C2"),
    "placement_order": ("E1", "D1"),
    "section_20": ("V2",),
    "youth_justice": ("J1", "J2", "J3"),
    "child_protection": ("L1", "L2", "L3"),
}

CATEGORY_OF_NEED: dict[str, str] = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}


def starters(ds: Dataset, period: Period) -> pl.DataFrame:
    """One row per child who started to be looked after in ``period``: an episode with RNE S
    (started to be looked after) beginning in it, not under short breaks V3/V4; the child's
    first such start. An episode the multi-year merge cut to start on a 1 April began earlier
    (the return covering the year says so): it is not a start. Columns CHILD, start (its DECOM),
    LS, CIN, PLACE."""
    return memo(ds, ("starters", period), lambda: _starters_dob(ds, period).drop("DOB"))


def _starters_dob(ds: Dataset, period: Period) -> pl.DataFrame:
    """``starters`` with the DOB their episodes carry (the child's first header row's)."""

    def build() -> pl.DataFrame:
        return (
            _starting_episodes(ds)
            .filter(pl.col("DECOM").is_between(period.start, period.end))
            .unique("CHILD", keep="first", maintain_order=True)
            .select("CHILD", pl.col("DECOM").alias("start"), "LS", "CIN", "PLACE", "DOB")
        )

    return memo(ds, ("starters_dob", period), build)


def _starting_episodes(ds: Dataset) -> pl.DataFrame:
    """Every episode that is a start (``starters`` without the year), sorted by CHILD and
    DECOM: worked out once per Dataset, so each year (the trends table) only filters dates."""

    def build() -> pl.DataFrame:
        # episodes_typed is sorted by CHILD and DECOM; only the columns starters reads
        return (
            ds.episodes_typed.lazy()
            .filter(
                code_in(ds.episodes_typed, "RNE", ["S"]).fill_null(False)
                & ~pl.col("short_break")
                & (pl.col("linked_DECOM") == pl.col("DECOM"))
            )
            .select("CHILD", "DECOM", "LS", "CIN", "PLACE", "DOB")
            .collect(engine=ENGINE)
        )

    return memo(ds, "starting_episodes", build)


def ceasing_episodes(ds: Dataset) -> pl.DataFrame:
    """Episodes with which a child ceased to be looked after: a DEC and a reason other than X1
    (X1 = the episode ends and a new one begins the same day). A blank REC counts only when no
    episode of the child starts on that DEC. Short breaks V3/V4 are left out, and so are ends
    the multi-year merge made (a child absent from the next loaded return: that return does not
    show them leaving). Each row has the start of its period of care (``start``, linked across
    the merge's cuts as time in care is) and ``end`` (the DEC)."""
    return memo(ds, "ceasing_episodes", lambda: _ceasing_rows(ds).drop("DOB", "SEX"))


def _ceasing_rows(ds: Dataset) -> pl.DataFrame:
    """``ceasing_episodes`` with the DOB and SEX their typed episodes carry (one lazy plan)."""

    def build() -> pl.DataFrame:
        # episodes_typed is sorted by CHILD and DECOM; one lazy plan reads only the columns used
        next_decom = (
            pl.when(pl.col("CHILD") == pl.col("CHILD").shift(-1))
            .then(pl.col("DECOM").shift(-1))
            .otherwise(None)
        )
        eps = ds.episodes_typed
        rec = pl.col("REC")  # coded (code_expr) once the rows are chosen
        ended = (
            eps.lazy()
            .select(
                "CHILD",
                "DECOM",
                "DEC",
                "LS",
                "PLACE",
                "short_break",
                "end_cut",
                "REC",
                "DOB",
                "SEX",
            )
            .with_columns(next_decom.alias("_next"))
            .filter(
                pl.col("DEC").is_not_null()
                & ~pl.col("short_break")
                & ~pl.col("end_cut")
                & (
                    (rec.is_not_null() & ~code_in(eps, "REC", ["X1"]))
                    | (
                        rec.is_null()
                        & (pl.col("_next").is_null() | (pl.col("_next") != pl.col("DEC")))
                    )
                )
            )
        )
        periods = (
            ds.periods_of_care.lazy()
            .filter(pl.col("end").is_not_null())
            .select("CHILD", pl.col("linked_start").alias("start"), pl.col("end").alias("DEC"))
            .unique(["CHILD", "DEC"], keep="first")
        )
        return (
            ended.join(periods, on=["CHILD", "DEC"], how="left", maintain_order="left")
            .with_columns(
                pl.col("start").fill_null(pl.col("DECOM")),
                pl.col("DEC").alias("end"),
                code_expr("REC"),
            )
            .select("CHILD", "start", "end", "REC", "LS", "PLACE", "DOB", "SEX")
            .collect(engine=ENGINE)
        )

    return memo(ds, "ceasing_rows", build)


def leavers(ds: Dataset, period: Period) -> pl.DataFrame:
    """One row per child who ceased to be looked after in ``period`` (see ``ceasing_episodes``),
    at their last ceasing in it. Columns CHILD, start (of that period of care), end, REC, LS,
    PLACE, DOB, SEX."""

    def build() -> pl.DataFrame:
        return last_of_child(  # sorted by CHILD and end
            _ceasing_people(ds).filter(pl.col("end").is_between(period.start, period.end))
        )

    return memo(ds, ("leavers", period), build)


def _ceasing_people(ds: Dataset) -> pl.DataFrame:
    """``ceasing_episodes`` sorted by CHILD and end, with the DOB and SEX of the child's last
    row of the header (those the episodes carry when it has one row per child; else joined):
    worked out once per Dataset, so each year (the trends table) only filters dates."""

    def build() -> pl.DataFrame:
        rows = sorted_by(_ceasing_rows(ds), ["CHILD", "end"])
        if ds.one_row_per_child:  # the DOB and SEX the episodes carry are the child's row's
            return rows
        people = ds.children.select("CHILD", "DOB", "SEX").unique("CHILD", keep="last")
        return rows.drop("DOB", "SEX").join(people, on="CHILD", how="left", maintain_order="left")

    return memo(ds, "ceasing_people", build)


def uasc_on(ds: Dataset, d: dt.date | pl.Expr, frame: pl.DataFrame) -> pl.DataFrame:
    """Rows of ``frame`` (with CHILD) whose child was an unaccompanied asylum-seeking child on
    ``d`` (a date, or a date column of ``frame``): in the UASC table with DUC (date UASC status
    ceased) blank or after ``d``."""
    uasc = memo(
        ds, "uasc_status", lambda: ds.uasc.select("CHILD", "DUC").unique("CHILD", keep="last")
    )
    return frame.join(uasc, on="CHILD", how="inner").filter(
        pl.col("DUC").is_null() | (pl.col("DUC") > d)
    )


def _rate(count: int, ds: Dataset, period: Period) -> float | None:
    """``count`` per 10,000 children under 18 in the year of the reference date (one decimal);
    None when no population is given."""
    pop = ds.population_under_18(period.end.year)
    if not pop:
        return None
    return round(10_000 * count / pop, 1)


def _rate_measure(
    id: str,
    children: Callable[[Dataset, Period], pl.DataFrame],
    *,
    based_on: str,
    title: str,
    definition: str,
    source: str = "",
) -> None:
    """Register ``id``: the children counted by the measure ``based_on`` (one row each in
    ``children``) per 10,000 children under 18."""
    measure(
        id,
        title=title,
        theme="population",
        unit="rate",
        definition=definition,
        source=source,
        based_on=based_on,
    )(lambda ds, period: _rate(children(ds, period).height, ds, period))


@measure(
    "cla_count",
    title="Children looked after",
    theme="population",
    unit="count",
    definition="Number of children looked after on the reference date. " + _CLA_DEF,
    source="DfE Children looked after in England (SSDA903)",
)
def cla_count(ds: Dataset, period: Period) -> int:
    return cla_children_on(ds, period.end).height


_rate_measure(
    "cla_rate_per_10k",
    lambda ds, period: cla_children_on(ds, period.end),
    based_on="cla_count",
    title="Children looked after per 10,000 children under 18",
    definition=(
        "Children looked after on the reference date per 10,000 children aged under 18 in the "
        "council's population, to one decimal place. The population is registers/population.csv's "
        "for the year of the reference date, else la.toml population_under_18's for it; when "
        "neither gives that year, the register's latest earlier year, else la.toml's (the ONS "
        "estimates come a year or more after the year they are of); with neither, the ONS "
        "mid-year estimate "
        "published for the council. Blank when none is known."
    ),
    source="DfE Children looked after in England, table A1 rate",
)


@measure(
    "starts",
    title="Children who started to be looked after in the year",
    theme="population",
    unit="count",
    definition=(
        "Children who started to be looked after during the year ending on the reference date: "
        "an episode with RNE S (started to be looked after) whose DECOM is in the year. As in "
        "DfE publications, only the first occasion a child started in the year is counted, and "
        "starts under an agreed series of short-term breaks (legal status V3/V4) are excluded."
    ),
    source="DfE Children looked after in England, table C1",
)
def starts(ds: Dataset, period: Period) -> int:
    return starters(ds, period).height


_rate_measure(
    "starts_rate_per_10k",
    starters,
    based_on="starts",
    title="Children starting to be looked after per 10,000 children",
    definition="Starts in the year per 10,000 children aged under 18, to one decimal place.",
)


@measure(
    "ceased",
    title="Children who ceased to be looked after in the year",
    theme="population",
    unit="count",
    definition=(
        "Children who ceased to be looked after during the year ending on the reference date "
        "(the reference date included): an episode whose DEC is in the year with a reason "
        "episode ceased (REC) other than X1 (X1 = a new episode begins the same day). As in "
        "DfE publications, only the last occasion a child ceased in the year is counted, and "
        "episodes under an agreed series of short-term breaks (V3/V4) are excluded."
    ),
    source="DfE Children looked after in England, table D1",
)
def ceased(ds: Dataset, period: Period) -> int:
    return leavers(ds, period).height


_rate_measure(
    "ceased_rate_per_10k",
    leavers,
    based_on="ceased",
    title="Children ceasing to be looked after per 10,000 children",
    definition="Children ceasing in the year per 10,000 children aged under 18, one decimal.",
)


@measure(
    "cla_by_age_band",
    title="Children looked after by age",
    theme="population",
    unit="counts",
    definition=(
        "Children looked after on the reference date by age in completed years on that date "
        "(a child whose 16th birthday is the reference date is 16), in the DfE bands: under 1, "
        "1 to 4, 5 to 9, 10 to 15, 16 and over."
    ),
    breakdowns=("age",),
    keys=tuple(b[0] for b in DFE_AGE_BANDS),
    source="DfE Children looked after in England, table A1",
)
def cla_by_age_band(ds: Dataset, period: Period) -> Counts:
    return counts_by_band(cla_on(ds, period.end), pl.col("age"), DFE_AGE_BANDS)


@measure(
    "cla_by_fine_age_band",
    title="Children looked after by age (statement bands)",
    theme="population",
    unit="counts",
    definition=(
        "Children looked after on the reference date by age in completed years: under 1, 1-4, "
        "5-9, 10-12, 13-15, 16-17 and 18 or over (the bands sufficiency statements use)."
    ),
    breakdowns=("age",),
    keys=tuple(b[0] for b in FINE_AGE_BANDS),
)
def cla_by_fine_age_band(ds: Dataset, period: Period) -> Counts:
    return counts_by_band(cla_on(ds, period.end), pl.col("age"), FINE_AGE_BANDS)


@measure(
    "cla_by_sex",
    title="Children looked after by sex",
    theme="population",
    unit="counts",
    definition=(
        "Children looked after on the reference date by SEX as recorded in the header "
        "(M male, F female; U, when recorded, is shown after them)."
    ),
    breakdowns=("sex",),
    keys=("M", "F"),
)
def cla_by_sex(ds: Dataset, period: Period) -> Counts:
    frame = cla_on(ds, period.end).with_columns(pl.col("SEX").fill_null("U"))
    return counts(frame, "SEX", ["M", "F"])


def _cla_with_ethnicity(ds: Dataset, period: Period) -> pl.DataFrame:
    """Children looked after on the reference date (CHILD) with ETHNIC from the header (joined
    once per date: two measures read it)."""

    def build() -> pl.DataFrame:
        cla = cla_children_on(ds, period.end)
        if ds.one_row_per_child:  # each child's header row is the one its episodes name
            rows = ds.child_rows.gather(cla.get_column("_row"))
            return cla.with_columns(ds.children.get_column("ETHNIC").gather(rows))
        return cla.join(ds.children.select("CHILD", "ETHNIC"), on="CHILD", how="left")

    return memo(ds, ("cla_with_ethnicity", period.end), build)


@measure(
    "cla_by_ethnicity",
    title="Children looked after by ethnic group",
    theme="population",
    unit="counts",
    definition=(
        "Children looked after on the reference date by the DfE's main ethnic groups: white "
        "(WBRI, WIRI, WIRT, WOTH, WROM), mixed (MWBC, MWBA, MWAS, MOTH), asian (AIND, APKN, "
        "ABAN, AOTH, CHNE), black (BCRB, BAFR, BOTH), other (OOTH), not known (REFU, NOBT or "
        "blank)."
    ),
    breakdowns=("ethnicity",),
    keys=tuple(ETHNIC_GROUPS),
)
def cla_by_ethnicity(ds: Dataset, period: Period) -> Counts:
    return counts_by_group(_cla_with_ethnicity(ds, period), "ETHNIC", ETHNIC_GROUPS, "not_known")


@measure(
    "cla_white_british",
    title="Children looked after who are White British",
    theme="population",
    unit="share",
    definition="Children looked after on the reference date whose ETHNIC is WBRI, of all.",
    based_on="cla_count",
)
def cla_white_british(ds: Dataset, period: Period) -> Share:
    return share_where(_cla_with_ethnicity(ds, period), pl.col("ETHNIC") == "WBRI")


@measure(
    "cla_by_legal_status",
    title="Children looked after by legal status",
    theme="population",
    unit="counts",
    definition=(
        "Children looked after on the reference date by the legal status (LS) of their episode "
        "on that date: care order (C1 interim, C2 full), placement order (E1, D1 freeing "
        "order), section 20 voluntary agreement (V2), youth justice (J1-J3), child protection "
        "(L1 police protection, L2 emergency protection order, L3 child assessment order)."
    ),
    breakdowns=("legal_status",),
    keys=tuple(LEGAL_STATUS_GROUPS),
)
def cla_by_legal_status(ds: Dataset, period: Period) -> Counts:
    return counts_by_group(cla_on(ds, period.end), "LS", LEGAL_STATUS_GROUPS, "unknown")


@measure(
    "cla_by_category_of_need",
    title="Children looked after by category of need",
    theme="population",
    unit="counts",
    definition=(
        "Children looked after on the reference date by the category of need (CIN) of their "
        "episode on that date: " + "; ".join(f"{k} {v}" for k, v in CATEGORY_OF_NEED.items()) + "."
    ),
    breakdowns=("category_of_need",),
    keys=tuple(CATEGORY_OF_NEED),
)
def cla_by_category_of_need(ds: Dataset, period: Period) -> Counts:
    frame = cla_on(ds, period.end).with_columns(code_expr("CIN"))
    return counts(frame, "CIN", list(CATEGORY_OF_NEED))


@measure(
    "starts_by_age_band",
    title="Children starting to be looked after by age",
    theme="population",
    unit="counts",
    definition="Children who started to be looked after in the year by age on the day they started (DfE bands).",
    breakdowns=("age",),
    keys=tuple(b[0] for b in DFE_AGE_BANDS),
)
def starts_by_age_band(ds: Dataset, period: Period) -> Counts:
    if ds.one_row_per_child:  # the DOB the episodes carry is the child's row's
        frame = _starters_dob(ds, period)
    else:
        frame = starters(ds, period).join(
            ds.children.select("CHILD", "DOB"), on="CHILD", how="left"
        )
    return counts_by_band(frame, age_expr("start"), DFE_AGE_BANDS)


@measure(
    "uasc_count",
    title="Unaccompanied asylum-seeking children looked after",
    theme="population",
    unit="count",
    definition=(
        "Children looked after on the reference date who were unaccompanied asylum-seeking "
        "children (separated migrant children) on that date: in the UASC table with DUC (date "
        "UASC status ceased) blank or after the reference date."
    ),
    source="DfE Children looked after in England, table A1 (UASC)",
)
def uasc_count(ds: Dataset, period: Period) -> int:
    return uasc_count_on(ds, period.end)


def uasc_count_on(ds: Dataset, d: dt.date) -> int:
    """The number of children looked after on ``d`` who were UASC on it (``uasc_count``)."""
    return uasc_on(ds, d, cla_children_on(ds, d)).height


@measure(
    "uasc_share",
    title="Unaccompanied asylum-seeking children as a share of all looked after",
    theme="population",
    unit="share",
    definition="uasc_count out of cla_count on the reference date.",
)
def uasc_share(ds: Dataset, period: Period) -> Share:
    cla = cla_on(ds, period.end)
    return Share(uasc_on(ds, period.end, cla).height, cla.height)


@measure(
    "uasc_by_age",
    title="Unaccompanied asylum-seeking children by age",
    theme="population",
    unit="counts",
    definition="UASC looked after on the reference date by age (statement bands).",
    breakdowns=("age",),
    keys=tuple(b[0] for b in FINE_AGE_BANDS),
)
def uasc_by_age(ds: Dataset, period: Period) -> Counts:
    frame = uasc_on(ds, period.end, cla_on(ds, period.end))
    return counts_by_band(frame, pl.col("age"), FINE_AGE_BANDS)


@measure(
    "uasc_arrivals",
    title="Unaccompanied asylum-seeking children starting to be looked after in the year",
    theme="population",
    unit="count",
    definition=(
        "Children who started to be looked after in the year and were UASC on the day they "
        "started (in the UASC table, DUC blank or after the start)."
    ),
)
def uasc_arrivals(ds: Dataset, period: Period) -> int:
    return uasc_on(ds, pl.col("start"), starters(ds, period)).height


@measure(
    "short_breaks_count",
    title="Children on an agreed series of short breaks",
    theme="population",
    unit="count",
    definition=(
        "Children whose episode open on the reference date has legal status V3 or V4 (an "
        "agreed series of short-term breaks). Reported separately: never part of the counts of "
        "children looked after."
    ),
)
def short_breaks_count(ds: Dataset, period: Period) -> int:
    return count_where(children_on(ds, period.end), pl.col("short_break"))
