"""The registers, declared once (DESIGN.md "Registers").

Adding a column is one line here (plus a migration for the web models, which are built from these
declarations): ingest parses and checks it, the Dataset types it, the web model, form and export
carry it, synth's frames conform to it and ``docs/registers.md`` documents it.
"""

from __future__ import annotations

from sufficiency.codes import PLACEMENT_TYPE_TITLES, PLACEMENT_TYPES
from sufficiency.schema import columns as c
from sufficiency.schema.columns import PLANNED, RECENT, SOON, TARGETS
from sufficiency.schema.duty import DUTY_DECLARATIONS
from sufficiency.schema.finance import FINANCE
from sufficiency.schema.register import RegisterSchema
from sufficiency.schema.rules import (
    Ceiling,
    Steady,
    ages_in_order,
    dated_status,
    in_order,
    in_sequence,
    within,
)

CARER_STATUSES = ("approved", "in_assessment", "reg24", "deregistered")
APPROVAL_TYPES = (
    "mainstream",
    "kinship",
    "short_breaks",
    "parent_and_child",
    "supported_lodgings",
    "emergency",
)
SECTORS = ("local_authority", "private", "voluntary", "health")
RATINGS = ("outstanding", "good", "requires_improvement", "inadequate", "not_yet_inspected")
CONTRACT_KINDS = ("block", "framework", "spot")
VACANCY_CONTRACTS = ("in_house", "block", "framework", "spot")
PROVIDER_KINDS = ("in_house_carer", "ifa", "children_home", "supported_accommodation")
VACANCY_SEX = ("any", "M", "F")
REFERRAL_SEX = ("M", "F", "U")
BENCHMARK_AREAS = ("england", "region", "statistical_neighbours")
DIRECTIONS = ("up", "down")
URGENCIES = ("today", "under_5_days", "later")
SUITABILITY = ("preferred", "suitable", "unsuitable")
#: The adopters register's stage dates in the order a household reaches them.
ADOPTER_STAGE_DATES = (
    "enquiry_date",
    "registration_date",
    "stage1_end_date",
    "stage2_start_date",
    "approved_date",
    "matched_date",
    "placed_date",
)

#: Bounds shared by several registers.
AGE = (0, 25)
PLACES = (0, 999)
SIBLINGS = (0, 20)
WEEKLY_POUNDS = (0.0, 1_000_000.0)
YEARS = (1990, 2100)
ANY_VALUE = (-1_000_000_000.0, 1_000_000_000.0)
#: Most a placement type's weekly cost moves in a year, up or down, before a warning: prices rise
#: by a few percent a year (a market shock by tens of percent), while an annual cost (52 times)
#: or pence (100 times) entered as the weekly one is out by far more.
COST_JUMP = 10.0
#: The top of the typical weekly cost of a placement of each type (pounds per child per week), a
#: cost above which is warned about (``register_cost_implausible``: entered annual, or in pence?).
#: Published unit costs put a placement at: fostering through an agency about £820 a week, a
#: place in the largest providers' children's homes about £3,830 (CMA, children's social care
#: market study, interim report, October 2021; final report March 2022: prices of £10,000 and
#: more a week for children with complex needs are not rare); council foster care, all costs in,
#: about £500-£900 (PSSRU Unit Costs of Health and Social Care); secure children's homes about
#: £7,000-£10,000 (over £1,000 a night); kinship, adoption and placed-with-parents allowances
#: a few hundred pounds. Each top is several times the type's dearest ordinary placement (room for
#: bespoke placements of one child with two or three staff, a home's own fee and years of fee
#: rises: the synthetic councils' costs, grown 6% a year, stay below them to 2040), and below 52
#: times (a yearly cost) and 100 times (pence) the type's cheapest, so either slip, made in a
#: whole series that never jumps from year to year, is named.
WEEKLY_COST_TOP: dict[str, float] = {
    "in_house_fostering": 10_000.0,
    "family_and_friends": 5_000.0,
    "ifa": 10_000.0,
    "other_public_fostering": 10_000.0,
    "in_house_residential": 60_000.0,
    "external_residential": 60_000.0,
    "secure": 60_000.0,
    "supported_accommodation": 15_000.0,
    "independent_living": 5_000.0,
    "residential_school": 60_000.0,
    "parent_and_child": 30_000.0,
    "placed_with_parents": 5_000.0,
    "placed_for_adoption": 5_000.0,
    "health": 60_000.0,
    "custody": 30_000.0,
    "residential_employment": 10_000.0,
    "other": 60_000.0,
}
#: Most the under-18 population moves in a year, up or down, before a warning: births and
#: migration move it by a percent or two; a digit lost or added moves it tenfold, another area's
#: figure by more than a fifth.
POPULATION_JUMP = 1.2


def _placement_type(name: str, *, required: bool = False, help: str = "") -> c.Column:
    return c.enum(name, PLACEMENT_TYPES, required=required, labels=PLACEMENT_TYPE_TITLES, help=help)


def _ages() -> tuple[c.Column, c.Column]:
    return (
        c.integer("age_min", *AGE, help="youngest age accepted (years)"),
        c.integer("age_max", *AGE, help="oldest age accepted (years)"),
    )


_SEX_LABELS = {"any": "Any", "M": "Male only", "F": "Female only", "U": "Not known"}

DECLARATIONS: tuple[RegisterSchema, ...] = (
    RegisterSchema(
        "costs",
        "Weekly cost of a placement type (optionally of one home or provider) in a financial year.",
        (
            _placement_type("placement_type", required=True),
            c.integer(
                "year", *YEARS, required=True, help="year the financial year ends (2024 = 2023-24)"
            ),
            c.money("weekly_cost", *WEEKLY_POUNDS, required=True, help="pounds per child per week"),
            c.urn("urn", help="Ofsted URN when the cost is one home's fee"),
            c.text("provider", help="provider name when the cost is one provider's fee"),
        ),
        steady=(
            Steady(
                "weekly_cost",
                "year",
                COST_JUMP,
                "register_cost_jump",
                "entered annual, or in pence?",
                by=("placement_type", "urn", "provider"),
                repeated="register_cost_same_year",
                repeated_hint="keep one row per placement type and year (a corrected price "
                "replacing the old one)",
            ),
        ),
    ),
    RegisterSchema(
        "carers",
        "In-house foster carer households (and connected-person / Reg 24 arrangements).",
        (
            c.ident("household_id", required=True),
            c.enum("status", CARER_STATUSES, required=True),
            c.enum_list("approval_types", APPROVAL_TYPES, column_required=True),
            c.date("approved_date", help="date of approval (blank while in assessment)"),
            c.date("deregistered_date"),
            c.text("deregistration_reason"),
            c.integer("places", 0, 50, required=True, help="approved places (children)"),
            c.integer("occupied", 0, 50, help="children living with the household now"),
            *_ages(),
            c.integer("siblings", *SIBLINGS, help="largest sibling group the household can take"),
            c.postcode("postcode"),
            c.date(
                "reg24_start",
                span=RECENT,
                help="start of a Regulation 24 temporary approval (16-week clock)",
            ),
            c.date("enquiry_date", help="first enquiry, for the recruitment lag"),
        ),
        key=("household_id",),
        rules=(
            ages_in_order(),
            within("occupied", "places"),
            in_order("enquiry_date", "approved_date"),
            in_order("approved_date", "deregistered_date"),
            dated_status("status", "deregistered", "deregistered_date", "household"),
        ),
    ),
    RegisterSchema(
        "homes",
        "Children's homes (Ofsted-registered), in-house and independent, in and around the area.",
        (
            c.urn("urn", required=True, help="Ofsted unique reference number"),
            c.text("name"),
            c.text("provider"),
            c.enum("sector", SECTORS),
            c.council("local_authority", help="ONS code of the upper-tier LA the home is in"),
            c.postcode("postcode"),
            c.integer("places", *PLACES, required=True, help="registered places (beds)"),
            c.enum("rating", RATINGS, help="latest Ofsted overall effectiveness"),
            c.date("rating_date", span=RECENT),
            c.date("registered_date", span=PLANNED, help="a future date is a planned opening"),
            c.date("closed_date", span=PLANNED, help="a future date is a planned closure"),
            c.yes_no("in_house", help="run by this council"),
            c.text("home_type", length=60, help="e.g. children's home, short breaks, disability"),
        ),
        key=("urn",),
        rules=(in_order("registered_date", "closed_date"),),
    ),
    RegisterSchema(
        "supported_accommodation",
        "Supported accommodation for 16- and 17-year-olds (Ofsted-registered since October 2023).",
        (
            c.text("provider", required=True),
            c.urn("urn"),
            c.postcode("postcode"),
            c.integer("units", *PLACES, required=True, help="places for young people"),
            c.integer("occupied", *PLACES, help="young people living there now"),
            c.yes_no("uasc_only", help="only for unaccompanied asylum-seeking children"),
            c.date("registered_date", span=PLANNED),
        ),
        unique=("urn",),
        rules=(within("occupied", "units"),),
    ),
    RegisterSchema(
        "vacancies",
        "Places open to this council's children now or soon (home finding).",
        (
            c.ident("vacancy_id", required=True),
            c.enum("provider_kind", PROVIDER_KINDS, required=True),
            c.ident("provider_id", help="household_id or URN"),
            _placement_type("placement_type", required=True),
            c.integer("places", *PLACES, required=True),
            c.date("available_from", required=True, span=SOON),
            *_ages(),
            c.enum("sex", VACANCY_SEX, labels=_SEX_LABELS),
            c.integer("siblings", *SIBLINGS),
            c.text_list("needs_accepted", help="needs the provider accepts (blank = none)"),
            c.postcode("postcode"),
            c.money("weekly_cost", *WEEKLY_POUNDS),
            c.enum("contract", VACANCY_CONTRACTS),
            c.enum("rating", RATINGS, help="blank for foster carers"),
            c.text_list("skills", help="carers' / staff skills and experience (scored vs needs)"),
            c.text_list("languages"),
            c.text("faith", length=60),
            c.text("culture", length=100),
            c.yes_no("registered", help="registered with Ofsted (homes / supported)"),
        ),
        key=("vacancy_id",),
        rules=(ages_in_order(),),
    ),
    RegisterSchema(
        "contracts",
        "Block, framework and spot arrangements with providers.",
        (
            c.ident("contract_id", required=True),
            c.text("provider", required=True),
            c.enum("kind", CONTRACT_KINDS, required=True),
            _placement_type("placement_type", required=True),
            c.integer(
                "places",
                *PLACES,
                column_required=True,
                help="places reserved (block) or expected (framework)",
            ),
            c.money("weekly_price", *WEEKLY_POUNDS),
            c.date("start", span=PLANNED),
            c.date("end", span=TARGETS),
        ),
        key=("contract_id",),
        rules=(in_order("start", "end"),),
    ),
    RegisterSchema(
        "recruitment",
        "Fostering recruitment funnel, one row per calendar month.",
        (
            c.month("month", required=True, span=RECENT),
            c.integer("enquiries", 0, 100_000),
            c.integer("applications", 0, 100_000),
            c.integer("assessments_started", 0, 100_000),
            c.integer(
                "approvals", 0, 100_000, help="new households approved (Staffordshire's 'starters')"
            ),
            c.integer(
                "deregistrations", 0, 100_000, help="households leaving (resignations and others)"
            ),
        ),
        key=("month",),
    ),
    RegisterSchema(
        "adopters",
        "Prospective and approved adopter households and their progress from enquiry through "
        "the two assessment stages to approval, a match and a placement. A row holds the dates "
        "of the stages the household has reached (blank: not yet, or skipped, as a fast-track "
        "household skips Stage 1).",
        (
            c.ident("household_id", required=True),
            c.date("enquiry_date", help="first enquiry"),
            c.date("registration_date", help="registration of interest accepted: Stage 1 begins"),
            c.date("stage1_end_date", help="Stage 1 completed"),
            c.date("stage2_start_date", help="Stage 2 (assessment) begins"),
            c.date("approved_date", help="approved as adopters (blank while in assessment)"),
            c.date("matched_date"),
            c.date("placed_date"),
            c.date("withdrawn_date", help="left the process, at whichever stage"),
            c.integer("children_sought", 0, 10),
        ),
        key=("household_id",),
        rules=(
            *in_sequence(*ADOPTER_STAGE_DATES),
            *(in_order(d, "withdrawn_date") for d in ADOPTER_STAGE_DATES[:-1]),
        ),
    ),
    RegisterSchema(
        "referrals",
        "Placement referrals, one row per referral (lists ';'-separated; avoid_areas items as "
        "POSTCODE:MILES). The matching engine reads each row as a referral.",
        (
            c.ident("referral_id", required=True),
            c.integer(
                "age",
                *AGE,
                required=True,
                help="the child's age in years: the homes' age ranges are matched on it",
            ),
            c.enum("sex", REFERRAL_SEX, labels=_SEX_LABELS),
            c.postcode("home_postcode"),
            c.postcode("school_postcode"),
            c.yes_no("uasc"),
            c.yes_no("disability"),
            c.date("needed_by", span=SOON),
            c.enum("urgency", URGENCIES),
            c.integer("siblings", *SIBLINGS, help="siblings to live with the child"),
            _placement_type("requested_type"),
            c.enum("suitability_foster", SUITABILITY),
            c.enum("suitability_residential", SUITABILITY),
            c.enum("suitability_supported", SUITABILITY),
            c.text_list("needs"),
            c.text_list("avoid_areas", help="POSTCODE:MILES items"),
            c.money("budget_weekly", *WEEKLY_POUNDS),
            c.date("referred_date", span=RECENT),
            c.text("language", length=60),
            c.text("culture", length=100),
            c.text("faith", length=60),
            c.text_list("adaptations"),
            c.text_list("can_live_alongside"),
            c.text("pets", length=100),
            c.yes_no("dol_order", help="a deprivation of liberty order applies"),
            c.text_list("risks_to_self"),
            c.text_list("risks_to_others"),
            c.text("preferred_location", length=40, help="POSTCODE:MILES"),
            c.yes_no("siblings_together_required"),
        ),
        key=("referral_id",),
        aliases={"id": "referral_id"},
        keep_text=True,
        children=True,
    ),
    RegisterSchema(
        "outcomes",
        "What happened to each referral: offers, acceptances, placements, reasons for declining.",
        (
            c.ident("referral_id", required=True),
            c.ident("vacancy_id"),
            c.yes_no("offered"),
            c.yes_no("accepted"),
            c.date("placed_date", span=SOON),
            _placement_type("placed_type"),
            c.text("decline_reason"),
            c.yes_no("siblings_together"),
            c.postcode("placed_postcode"),
        ),
        children=True,
    ),
    RegisterSchema(
        "actions",
        "The sufficiency action plan.",
        (
            c.ident("action_id", required=True),
            c.text("area", length=100),
            c.text("activity", required=True, length=1000),
            c.text("expected_impact", length=1000),
            c.text("owner", length=100),
            c.date("due", span=TARGETS),
            c.text("status", length=40),
        ),
        key=("action_id",),
    ),
    RegisterSchema(
        "targets",
        "Targets for catalogue measures.",
        (
            c.ident("measure_id", required=True, length=80),
            c.date("baseline_date", span=SOON),
            c.decimal("baseline", *ANY_VALUE),
            c.decimal("target", *ANY_VALUE, required=True),
            c.date("target_date", span=TARGETS),
            c.enum("direction", DIRECTIONS, help="blank: the measure's published polarity"),
        ),
        rules=(in_order("baseline_date", "target_date"),),
    ),
    RegisterSchema(
        "benchmarks",
        "The council's comparators for catalogue measures (published DfE comparators are built in; "
        "these override and add to them).",
        (
            c.ident("measure_id", required=True, length=80),
            c.integer("year", *YEARS, required=True),
            c.enum("area", BENCHMARK_AREAS, required=True),
            c.decimal("value", *ANY_VALUE, required=True),
            c.text("source", length=400),
        ),
    ),
    RegisterSchema(
        "population",
        "Under-18 population at 31 March (overrides la.toml).",
        (
            c.integer("year", *YEARS, required=True, help="the year of the 31 March"),
            c.integer("population_under_18", 1, 100_000_000, required=True),
        ),
        key=("year",),
        steady=(
            Steady(
                "population_under_18",
                "year",
                POPULATION_JUMP,
                "population_jump",
                "a digit lost or added?",
            ),
        ),
    ),
    *DUTY_DECLARATIONS,
    FINANCE,
)

REGISTERS: dict[str, RegisterSchema] = {s.name: s for s in DECLARATIONS}

#: Values of a register above what a row of its kind typically holds (warnings), by register.
CEILINGS: dict[str, tuple[Ceiling, ...]] = {
    "costs": (
        Ceiling(
            "weekly_cost",
            "year",
            "placement_type",
            WEEKLY_COST_TOP,
            "register_cost_implausible",
            "entered annual, or in pence?",
            by=("placement_type", "urn", "provider"),
            per=" a week",
        ),
    ),
}
