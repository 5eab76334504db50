"""Home-finding outcome measures, registered in the measure catalogue (theme ``home_finding``).

Each is a thin wrapper over :mod:`sufficiency.matching.outcomes`; placements count in the
period their ``placed_date`` falls in.
"""

from __future__ import annotations

from statistics import median
from typing import TYPE_CHECKING

from sufficiency.matching import outcomes
from sufficiency.measures.catalogue import Share, Value, measure

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.measures.catalogue import Period

THEME = "home_finding"
SOURCE = "registers/referrals.csv and registers/outcomes.csv (DESIGN.md)"


@measure(
    "matched_first_time",
    title="Placements found first time that match the referral request",
    theme=THEME,
    unit="share",
    definition="Of the children placed in the year from a referral, the share placed with the "
    "first provider approached, in the kind of placement (foster, residential, supported) the "
    "referral requested (Herefordshire: 'an improved number of placements found first time "
    "that match referral request').",
    source=SOURCE,
)
def matched_first_time(ds: Dataset, period: Period) -> Value:
    hits, placed = outcomes.matched_first_time(ds, period)
    return Share(hits, placed)


@measure(
    "requested_vs_placed",
    title="Placement requested against placement made",
    theme=THEME,
    unit="table",
    definition="Children placed in the year from a referral, by the kind of placement requested "
    "(foster, residential, supported, other) and the kind they were placed in.",
    source=SOURCE,
)
def requested_vs_placed(ds: Dataset, period: Period) -> Value:
    return outcomes.requested_vs_placed(ds, period)


@measure(
    "requested_foster_placed_residential",
    title="Children placed in residential care when foster care was requested",
    theme=THEME,
    unit="count",
    definition="Children placed in the year in residential care (children's homes, secure, "
    "residential school) when the referral requested a fostering placement (Staffordshire: "
    "'88 children placed in Residential when the placement request was for foster care').",
    source=SOURCE,
)
def requested_foster_placed_residential(ds: Dataset, period: Period) -> Value:
    return outcomes.type_mismatch(ds, period, "foster", "residential").count


@measure(
    "requested_foster_placed_residential_cost",
    title="Yearly cost of placing in residential care when foster care was requested",
    theme=THEME,
    unit="money",
    definition="For those children, the sum of (weekly cost of the placed type minus that of "
    "the requested type) x 52, each type's weekly cost for the financial year of the placement "
    "read from the costs register by the rule spend_by_placement_type states (Staffordshire: "
    "'a yearly difference of £17.5m').",
    source=SOURCE,
    suppress=False,
    # children x a per-child amount: hidden with the children
    based_on="requested_foster_placed_residential",
)
def requested_foster_placed_residential_cost(ds: Dataset, period: Period) -> Value:
    return outcomes.type_mismatch(ds, period, "foster", "residential").annual_cost_difference


@measure(
    "days_referral_to_placement",
    title="Time from referral to placement (median days)",
    theme=THEME,
    unit="days",
    definition="Median days from the referral date to the placement date, for children placed "
    "in the year whose referral date is recorded.",
    source=SOURCE,
    suppress=False,
)
def days_referral_to_placement(ds: Dataset, period: Period) -> Value:
    days = outcomes.days_to_place(ds, period)
    return float(median(days)) if days else None


@measure(
    "placed_locally",
    title="Placements made inside the council's area",
    theme=THEME,
    unit="share",
    definition="Of the children placed in the year from a referral whose placement location is "
    "known, the share placed inside the council's area.",
    source=SOURCE,
)
def placed_locally(ds: Dataset, period: Period) -> Value:
    local, known = outcomes.local_share(ds, period)
    return Share(local, known)


@measure(
    "siblings_placed_together",
    title="Sibling groups placed together",
    theme=THEME,
    unit="share",
    definition="Of the children placed in the year who were referred with siblings to live "
    "with, the share placed together with all of them.",
    source=SOURCE,
)
def siblings_placed_together(ds: Dataset, period: Period) -> Value:
    yes, known = outcomes.siblings_together(ds, period)
    return Share(yes, known)


@measure(
    "referral_decline_reasons",
    title="Why referrals were declined",
    theme=THEME,
    unit="counts",
    definition="Providers' and the council's reasons for declining, counted over the outcomes of "
    "referrals placed in the year or still open.",
    source=SOURCE,
)
def referral_decline_reasons(ds: Dataset, period: Period) -> Value:
    return outcomes.decline_reasons(ds, period)
