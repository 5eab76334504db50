"""In-house foster carers and the recruitment funnel: pure functions over register frames.

Years are financial years named by the year they end (2024 = 1 April 2023 to 31 March 2024),
as the returns are. A household is *approved on date D* when approved_date <= D, it has not
deregistered by D (deregistered_date blank or after D) and its status is not in_assessment or
reg24 (temporary Regulation 24 arrangements are counted separately).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from sufficiency.dates import financial_year_expr, open_on, year_end

#: Regulation 24 temporary approval lasts 16 weeks (extendable once by 8 weeks).
REG24_WEEKS = 16


#: Statuses that are not (yet) an approval: temporary Reg 24 arrangements and assessments.
NOT_APPROVED = ("in_assessment", "reg24")


def approved_on(carers: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Households approved on ``day`` (see module docstring)."""
    return carers.filter(
        open_on(day, "approved_date", "deregistered_date")
        & ~pl.col("status").is_in(list(NOT_APPROVED))
    )


def approvals_between(carers: pl.DataFrame, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Households approved in ``first``..``last`` (inclusive): approved_date in the window,
    status not in_assessment or reg24. The one definition of "an approval in a year"."""
    return carers.filter(
        pl.col("approved_date").is_between(first, last)
        & ~pl.col("status").is_in(list(NOT_APPROVED))
    )


def deregistrations_between(carers: pl.DataFrame, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Approved households deregistered in ``first``..``last`` (inclusive): deregistered_date in
    the window and on or after their approved_date. The one definition of "a deregistration"."""
    return carers.filter(
        pl.col("deregistered_date").is_between(first, last)
        & (pl.col("approved_date") <= pl.col("deregistered_date"))
        & ~pl.col("status").is_in(list(NOT_APPROVED))
    )


def connected_person_only() -> pl.Expr:
    """True for households approved only as connected persons (every approval type kinship):
    they come from child-specific assessments, not from the recruitment funnel."""
    types = pl.col("approval_types")
    return (
        types.is_not_null()
        & (types.list.len() > 0)
        & types.list.eval(pl.element() == "kinship").list.all()
    ).fill_null(False)


def register_flows(
    carers: pl.DataFrame, first: dt.date, last: dt.date
) -> dict[str, tuple[int, int, int]]:
    """Approvals and deregistrations in ``first``..``last`` as (all, connected-person only,
    mainstream = the rest): what the recruitment register should report is the mainstream."""
    out = {}
    for name, frame in (
        ("approvals", approvals_between(carers, first, last)),
        ("deregistrations", deregistrations_between(carers, first, last)),
    ):
        connected = frame.filter(connected_person_only()).height
        out[name] = (frame.height, connected, frame.height - connected)
    return out


def households_and_places(carers: pl.DataFrame, day: dt.date) -> tuple[int, int]:
    """Number of approved households and their approved places on ``day``."""
    on = approved_on(carers, day)
    return on.height, int(on.get_column("places").fill_null(0).sum())


@dataclass(frozen=True)
class NetChange:
    """Approvals, deregistrations and net change in households over one financial year."""

    year: int
    start: int
    approvals: int
    deregistrations: int
    end: int

    @property
    def net(self) -> int:
        return self.end - self.start

    def to_json(self) -> dict[str, int]:
        return {
            "year": self.year,
            "start": self.start,
            "approvals": self.approvals,
            "deregistrations": self.deregistrations,
            "end": self.end,
            "net": self.net,
        }


def net_change(carers: pl.DataFrame, year: int) -> NetChange:
    """Households at the start / end of financial ``year`` and the approvals and
    deregistrations in it (``approvals_between`` / ``deregistrations_between``).

    Hertfordshire reports this as "net gain/loss of N foster carers" per year.
    """
    start_day, end_day = year_end(year - 1), year_end(year)
    first = start_day + dt.timedelta(days=1)
    return NetChange(
        year,
        approved_on(carers, start_day).height,
        approvals_between(carers, first, end_day).height,
        deregistrations_between(carers, first, end_day).height,
        approved_on(carers, end_day).height,
    )


def monthly_attrition_rate(carers: pl.DataFrame, start: dt.date, end: dt.date) -> float:
    """Deregistrations per approved household per month over [start, end] (0 when no history).

    Household-months are approximated from the count at each month end in the window.
    """
    months = pl.date_range(start, end, "1mo", eager=True).to_list()
    exposure = sum(approved_on(carers, _month_end(m)).height for m in months)
    if exposure == 0:
        return 0.0
    return deregistrations_between(carers, start, end).height / exposure


def _month_end(day: dt.date) -> dt.date:
    nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def places_per_household(carers: pl.DataFrame, day: dt.date) -> float:
    """Average approved places per approved household on ``day`` (1.0 when there are none)."""
    n, places = households_and_places(carers, day)
    return places / n if n else 1.0


def reg24_clocks(carers: pl.DataFrame, day: dt.date) -> dict[str, int]:
    """Open Regulation 24 arrangements on ``day``: how many, and how many past 16 weeks."""
    open_ = carers.filter(
        (pl.col("status") == "reg24") & open_on(day, "reg24_start", "deregistered_date")
    )
    limit = day - dt.timedelta(weeks=REG24_WEEKS)
    over = open_.filter(pl.col("reg24_start") < limit).height
    return {"open": open_.height, "within_16_weeks": open_.height - over, "over_16_weeks": over}


# ------------------------------------------------------------------------------ recruitment
FUNNEL_STAGES = ("enquiries", "applications", "assessments_started", "approvals")


def funnel_by_year(recruitment: pl.DataFrame) -> pl.DataFrame:
    """Yearly totals of each funnel column and conversion percentages from enquiries.

    Columns: year, months (how many months reported), enquiries, applications,
    assessments_started, approvals, deregistrations, and ``<stage>_per_enquiry_pct`` (one
    decimal; null when no enquiries).
    """
    stages = [*FUNNEL_STAGES, "deregistrations"]
    totals = (
        recruitment.with_columns(financial_year_expr("month").alias("year"))
        .group_by("year")
        .agg(pl.len().alias("months"), *[pl.col(s).sum().alias(s) for s in stages])
        .sort("year")
    )
    return totals.with_columns(
        pl.when(pl.col("enquiries") > 0)
        .then((100.0 * pl.col(s) / pl.col("enquiries")).round(1))
        .otherwise(None)
        .alias(f"{s}_per_enquiry_pct")
        for s in FUNNEL_STAGES[1:]
    )


def estimate_lag(recruitment: pl.DataFrame, max_lag: int = 12) -> tuple[int, float]:
    """Lag in months (0..max_lag) from enquiry to approval that best explains the monthly series.

    For each lag k, approvals(t) is modelled as rate * enquiries(t - k); the k with the least
    squared error wins. Returns (k, rate). Needs at least max_lag + 3 months; else (0, overall
    rate).
    """
    import numpy as np

    monthly = recruitment.sort("month").select(
        pl.col("enquiries").fill_null(0).cast(pl.Float64),
        pl.col("approvals").fill_null(0).cast(pl.Float64),
    )
    enq = monthly.get_column("enquiries").to_numpy()
    app = monthly.get_column("approvals").to_numpy()
    total = float(enq.sum())
    if len(enq) < max_lag + 3:
        return 0, (float(app.sum()) / total if total else 0.0)
    best: tuple[float, int, float] | None = None
    for k in range(max_lag + 1):
        x = enq[: len(enq) - k] if k else enq
        y = app[k:]
        denom = float(np.dot(x, x))
        rate = float(np.dot(x, y)) / denom if denom else 0.0
        err = float(np.mean((y - rate * x) ** 2))
        if best is None or err < best[0] - 1e-12:
            best = (err, k, rate)
    assert best is not None
    return best[1], best[2]


def lag_distribution(carers: pl.DataFrame) -> dict[str, object]:
    """Months from enquiry to approval, per approved household with an enquiry_date.

    Returns count, median, p25, p75 and ``by_months`` ({months: households}).
    """
    lags = (
        carers.filter(pl.col("enquiry_date").is_not_null() & pl.col("approved_date").is_not_null())
        .select(
            (
                (pl.col("approved_date").dt.year() - pl.col("enquiry_date").dt.year()) * 12
                + pl.col("approved_date").dt.month()
                - pl.col("enquiry_date").dt.month()
            ).alias("months")
        )
        .get_column("months")
    )
    if lags.len() == 0:
        return {"count": 0, "median": None, "p25": None, "p75": None, "by_months": {}}
    counts = lags.value_counts(sort=False).sort("months")
    stats = (
        lags.to_frame()
        .select(
            pl.col("months").median().alias("median"),
            pl.col("months").quantile(0.25, "lower").cast(pl.Float64).alias("p25"),
            pl.col("months").quantile(0.75, "higher").cast(pl.Float64).alias("p75"),
        )
        .row(0)
    )
    return {
        "count": lags.len(),
        "median": float(stats[0]),
        "p25": float(stats[1]),
        "p75": float(stats[2]),
        "by_months": {str(m): int(n) for m, n in counts.iter_rows()},
    }
