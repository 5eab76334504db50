"""The optional finance register: placement budget and outturn by placement type and year.

The statement's spend is modelled (nights of care x the costs register's weekly rates); a
council that gives its finance system's budget and outturn sees them beside it. Declared like
every other register (``schema.registers`` lists it in ``REGISTERS``).
"""

from __future__ import annotations

from sufficiency.codes import PLACEMENT_TYPE_TITLES, PLACEMENT_TYPES
from sufficiency.schema import columns as c
from sufficiency.schema.register import RegisterSchema

POUNDS = (0.0, 10_000_000_000.0)
YEARS = (1990, 2100)

FINANCE = RegisterSchema(
    "finance",
    "Placement budget and outturn (actual spend) by placement type and financial year, from "
    "the council's finance system (optional; shown beside the statement's modelled spend).",
    (
        c.enum(
            "placement_type",
            PLACEMENT_TYPES,
            required=True,
            labels=PLACEMENT_TYPE_TITLES,
            help="the placement type the budget line pays for",
        ),
        c.integer(
            "year", *YEARS, required=True, help="year the financial year ends (2024 = 2023-24)"
        ),
        c.money("budget", *POUNDS, help="pounds budgeted for the year"),
        c.money("outturn", *POUNDS, help="pounds actually spent in the year"),
    ),
    key=("placement_type", "year"),
)
