"""The registers of the wider sufficiency duty (issue 19): disabled children and EHCPs,
short-break provision, permanence plans, care leavers to 25 and intervention programmes.

Declared like every other register (``schema.registers`` lists them in ``REGISTERS``), so ingest,
the Dataset, the web models and forms, the codec, synth and ``docs/registers.md`` follow.
"""

from __future__ import annotations

from sufficiency.schema import columns as c
from sufficiency.schema.columns import RECENT, SOON
from sufficiency.schema.register import RegisterSchema
from sufficiency.schema.rules import dated_status, in_order, within

#: Primary need of a disabled child or a child with an EHCP (the SEN2 need types, shortened).
NEED_TYPES = (
    "autism",
    "learning_difficulty",
    "physical_disability",
    "sensory_impairment",
    "complex_health",
    "social_emotional_mental_health",
    "speech_language_communication",
    "other",
)
#: Kinds of overnight short break: with a foster carer (sleepover schemes, shared care) or in a
#: residential short-break home.
SHORT_BREAK_TYPES = ("foster", "residential")
PLAN_TYPES = ("adoption", "sgo", "cao", "reunification", "long_term_fostering")
PLAN_STATUSES = ("open", "achieved", "changed")
#: Where a care-experienced young adult lives (the OC3 accommodation groups, in words, plus the
#: arrangements the duty names: staying put, staying close, supported lodgings).
LEAVER_ACCOMMODATION = (
    "parents_or_relatives",
    "staying_put",
    "staying_close",
    "supported_lodgings",
    "supported_accommodation",
    "independent",
    "higher_education",
    "custody",
    "emergency_or_bed_and_breakfast",
    "no_fixed_abode",
    "other",
    "not_known",
)
NIGHTS_A_YEAR = (0, 366)
POUNDS = (0.0, 100_000_000.0)
CHILDREN_IN_A_QUARTER = (0, 10_000)

_PLAN_LABELS = {
    "sgo": "Special guardianship order",
    "cao": "Child arrangements order",
    "long_term_fostering": "Long-term fostering",
}

DISABLED_CHILDREN = RegisterSchema(
    "disabled_children",
    "Disabled children and children with an education, health and care plan (EHCP), looked "
    "after or not, with their assessed overnight short-break package.",
    (
        c.ident("child_id", required=True, help="CHILD as in the returns (when looked after)"),
        c.enum("need_type", NEED_TYPES, help="primary need"),
        c.yes_no("ehcp", help="has an education, health and care plan"),
        c.date("ehcp_date", span=RECENT, help="date the EHCP was issued"),
        c.yes_no("residential_school", help="attends a residential special school"),
        c.enum("short_break_type", SHORT_BREAK_TYPES, help="overnight short breaks assessed as"),
        c.integer(
            "nights_assessed", *NIGHTS_A_YEAR, help="overnight short-break nights a year assessed"
        ),
        c.integer(
            "nights_agreed",
            *NIGHTS_A_YEAR,
            help="nights a year a provider has agreed to deliver (0 or blank: need unmet)",
        ),
        c.ident("provision_id", help="short_break_provision row delivering the package"),
        c.date("assessed_date", span=RECENT),
    ),
    key=("child_id",),
    children=True,
    rules=(within("nights_agreed", "nights_assessed"),),
)

SHORT_BREAK_PROVISION = RegisterSchema(
    "short_break_provision",
    "Overnight short-break provision: foster sleepover schemes and residential short-break "
    "homes, with their nights a year, unit cost and emergency beds.",
    (
        c.ident("provision_id", required=True),
        c.text("provider", required=True),
        c.enum("short_break_type", SHORT_BREAK_TYPES, required=True),
        c.integer(
            "nights_available", 0, 100_000, required=True, help="nights a year the provision offers"
        ),
        c.money("unit_cost", 0.0, 100_000.0, help="pounds per night"),
        c.integer("households", 0, 999, help="carer households (foster schemes)"),
        c.integer("beds", 0, 999, help="beds (residential)"),
        c.yes_no("in_area", help="inside the council's area"),
        c.yes_no("emergency_bed", help="keeps an emergency bed (stays of up to six weeks)"),
        c.urn("urn"),
    ),
    key=("provision_id",),
)

PERMANENCE_PLANS = RegisterSchema(
    "permanence_plans",
    "Permanence plans of children looked after (adoption, special guardianship, child "
    "arrangements, reunification, long-term fostering); what became of them is read from the "
    "returns.",
    (
        c.ident("child_id", required=True, help="CHILD as in the returns"),
        c.enum("plan", PLAN_TYPES, required=True, labels=_PLAN_LABELS),
        c.date("date_set", required=True, span=RECENT, help="date the plan was agreed"),
        c.enum("status", PLAN_STATUSES, help="changed: replaced by another plan"),
        c.date("outcome_date", span=RECENT, help="date the plan was achieved or changed"),
        c.yes_no("might_benefit", help="SGO/CAO: not yet the plan, but might benefit from it"),
    ),
    key=("child_id", "plan", "date_set"),
    children=True,
    rules=(
        in_order("date_set", "outcome_date"),
        dated_status("status", "changed", "outcome_date", "plan"),
    ),
)

CARE_LEAVERS_25 = RegisterSchema(
    "care_leavers_25",
    "Care-experienced young adults aged 18 to 25 (the OC3 return stays the source for the ages "
    "it covers; this register adds the rest).",
    (
        c.ident("person_id", required=True),
        c.month("birth_month", required=True, span=RECENT),
        c.enum("accommodation", LEAVER_ACCOMMODATION),
        c.yes_no("staying_put"),
        c.yes_no("staying_close"),
        c.yes_no("in_touch"),
        c.yes_no("suitable", help="accommodation judged suitable"),
        c.date("recorded_date", span=RECENT),
    ),
    key=("person_id",),
    children=True,
)

INTERVENTIONS = RegisterSchema(
    "interventions",
    "Early help and edge-of-care programmes (family group conferencing, edge-of-care teams), one "
    "row a programme a quarter: children diverted from care and returned home, and cost.",
    (
        c.text("programme", required=True, length=100),
        c.date("start", span=SOON, help="date the programme began"),
        c.date("quarter", required=True, span=SOON, help="first day of the quarter"),
        c.integer(
            "diverted",
            *CHILDREN_IN_A_QUARTER,
            help="children prevented from entering care in the quarter",
        ),
        c.integer(
            "returned",
            *CHILDREN_IN_A_QUARTER,
            help="children returned home from care in the quarter",
        ),
        c.money("cost", *POUNDS, help="pounds spent in the quarter"),
    ),
    key=("programme", "quarter"),
)

DUTY_DECLARATIONS: tuple[RegisterSchema, ...] = (
    DISABLED_CHILDREN,
    SHORT_BREAK_PROVISION,
    PERMANENCE_PLANS,
    CARE_LEAVERS_25,
    INTERVENTIONS,
)
