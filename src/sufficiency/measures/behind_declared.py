"""The registered measures with no children behind their cells, each with the reason: those
that count no children (``NOT_CHILD_COUNTS``) and the counts of children no package can list
(``NOT_LISTED``). Every registered measure is drillable (``behind.cohorts()``) or declared
here (tests/measures/test_behind.py checks it over the whole catalogue)."""

from __future__ import annotations

_RATE = "a rate per 10,000 children in the population: its count ({}) lists the children"
_NIGHTS = "counts nights children spent in placements, not children"
_MONEY = "an amount of money (spend, costs or fees), not a count of children"
_CARERS = "counts foster carer households, places or enquiries, not children"
_REFERRALS = (
    "counts children placed from referrals (the referrals and outcomes registers), which name "
    "no child of the returns: a referral records the child's age, sex, needs and area but no "
    "identifier of the child (docs/registers.md), so the children cannot be listed"
)
_REGISTER_25 = (
    "young adults of the care leavers register (person_id), who are not children of the "
    "returns: the children pages cannot show them"
)

#: Measures whose figures count something other than children.
NOT_CHILD_COUNTS: dict[str, str] = {
    "cla_rate_per_10k": _RATE.format("cla_count"),
    "starts_rate_per_10k": _RATE.format("starts"),
    "ceased_rate_per_10k": _RATE.format("ceased"),
    "bed_nights_by_placement_type": _NIGHTS,
    "bed_nights_total": _NIGHTS,
    "short_break_nights": _NIGHTS,
    "uncosted_bed_nights": _NIGHTS,
    "spend_by_placement_type": _MONEY,
    "spend_total": _MONEY,
    "average_weekly_cost_by_type": _MONEY,
    "spend_by_year": _MONEY,
    "supply_average_fees": _MONEY,
    "requested_foster_placed_residential_cost": _MONEY,
    "adopter_pipeline": "counts adopter households at each stage, not children",
    "adopter_assessment_timeliness": "counts adopter households' assessment stages, not children",
    "supply_adopters_waiting": "counts approved adopter households waiting, not children",
    "short_break_provision": "counts short-break providers, beds, carer households and nights",
    "supply_carer_households": _CARERS,
    "supply_carer_places": _CARERS,
    "supply_carer_net_change": _CARERS,
    "supply_carers_by_approval_type": _CARERS,
    "supply_reg24": "counts carer households under regulation 24 temporary approval",
    "supply_recruitment_funnel": _CARERS,
    "supply_recruitment_lag": "months from enquiry to approval of carer households",
    "supply_carer_utilisation": "occupied carer places out of places approved: counts places",
    "supply_block_contract_utilisation": (
        "block places used out of places reserved: each contract's children are capped at its "
        "places, so the figure counts places, not a set of children"
    ),
    "supply_supported_accommodation": (
        "counts supported accommodation providers and units, and the young people the register "
        "says live there, who it does not name"
    ),
    "days_referral_to_placement": "a median number of days, not a count",
    "referral_decline_reasons": "counts the reasons providers gave in declining referrals",
    "benchmarks": "published figures of the council, its region, neighbours and England",
}

#: Measures that count children whose children this package cannot list.
NOT_LISTED: dict[str, str] = {
    "trends": (
        "each cell is another measure's headline at an earlier year end (rates among them) and "
        "its figures carry no child role: the children are listed from that measure's own "
        "table with the dashboard's year set to the year"
    ),
    "intervention_outcomes": (
        "the interventions register gives numbers of children diverted and returned per "
        "programme and quarter, not the children"
    ),
    "care_leavers_22_25_accommodation": _REGISTER_25,
    "care_leavers_22_25_support": _REGISTER_25,
    "matched_first_time": _REFERRALS,
    "requested_vs_placed": _REFERRALS,
    "requested_foster_placed_residential": _REFERRALS,
    "placed_locally": _REFERRALS,
    "siblings_placed_together": _REFERRALS,
}

__all__ = ["NOT_CHILD_COUNTS", "NOT_LISTED"]
