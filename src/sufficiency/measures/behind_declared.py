"""The registered measures with no children behind their cells, each with the reason: those
that count no children (``NOT_CHILD_COUNTS``) and the counts of children this package cannot
list (``NOT_LISTED``). Every registered measure is drillable (``behind.COHORTS``) or declared
here (tests/measures/test_behind.py checks it over the whole catalogue)."""

from __future__ import annotations

_RATE = "a rate per 10,000 children in the population: its count ({}) lists the children"
_NIGHTS = "counts nights children spent in placements, not children"
_MONEY = "an amount of money (spend, costs or fees), not a count of children"
_CARERS = "counts foster carer households, places or enquiries, not children"
_ABOVE = (
    "counts children, but is computed by sufficiency.{} from its registers, a layer above the "
    "measures package: a cohort here would import upward (lint-imports forbids it), so that "
    "package must name its own children behind the count"
)
_SUPPLY = _ABOVE.format("supply")
_MATCHING = _ABOVE.format("matching (referrals and outcomes registers)")
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
    "supply_supported_accommodation": "counts supported accommodation providers and units",
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
    "supply_homes_in_area": _SUPPLY,
    "supply_homes_good_or_outstanding": _SUPPLY,
    "supply_block_contract_utilisation": _SUPPLY,
    "supply_provider_market": _SUPPLY,
    "supply_spot_share": _SUPPLY,
    "supply_framework_share": _SUPPLY,
    "matched_first_time": _MATCHING,
    "requested_vs_placed": _MATCHING,
    "requested_foster_placed_residential": _MATCHING,
    "placed_locally": _MATCHING,
    "siblings_placed_together": _MATCHING,
}

__all__ = ["NOT_CHILD_COUNTS", "NOT_LISTED"]
