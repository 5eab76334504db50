"""What a forecast may be asked for: its longest horizon and the cost inflation it accepts (the
command line's options and the library's checks read these; no Polars here, so ``--help`` stays
light)."""

from __future__ import annotations

import math

#: The longest horizon, in calendar months from the reference end (20 years).
MAX_HORIZON_MONTHS = 240
#: A rate a year is a fraction (0.03 is 3%): outside this range it is a slip (3 for 3%). Cost
#: inflation and a scenario's population growth are both such rates.
ANNUAL_RATE_RANGE = (-0.5, 0.5)


def inflation_problem(inflation: float) -> str | None:
    """Why ``inflation`` cannot be an annual cost inflation, or None."""
    low, high = ANNUAL_RATE_RANGE
    if math.isfinite(inflation) and low <= inflation <= high:
        return None
    return (
        f"inflation {inflation:g}: expected an annual rate as a fraction from {low:g} to "
        f"{high:g}, e.g. 0.03 for 3%"
    )


def horizon_problem(months: int) -> str | None:
    """Why ``months`` cannot be a forecast's horizon, or None."""
    if 1 <= months <= MAX_HORIZON_MONTHS:
        return None
    return f"horizon of {months} months: expected 1 to {MAX_HORIZON_MONTHS} (20 years)"
