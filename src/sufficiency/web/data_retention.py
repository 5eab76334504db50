"""How many years of child-level data the workspace keeps at least (read by the settings and by
``operations.apply_retention``; no Django here, the settings import it)."""

from __future__ import annotations

#: Fewer years than this would delete the current returns: ``retention --years 0`` (or -1) took
#: every return, and a typo in SUFFICIENCY_RETENTION_YEARS would have done the same.
MIN_RETENTION_YEARS = 1


def retention_problem(years: int) -> str | None:
    """Why ``years`` cannot be the years of child data kept, or None."""
    if years >= MIN_RETENTION_YEARS:
        return None
    return (
        f"years kept must be at least {MIN_RETENTION_YEARS}, not {years}: fewer would delete "
        "the returns in use"
    )
