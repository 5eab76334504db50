"""Home finding: referrals, vacancy pool, hard rules, explainable scores, batch allocation and
outcome measures (DESIGN.md ``match``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.measures.catalogue import Period

__all__ = ["outcomes_summary"]


def outcomes_summary(ds: Dataset, period: Period | None = None) -> dict[str, Any]:
    """The statement's home-finding figures (see :mod:`sufficiency.matching.outcomes`)."""
    from sufficiency.matching.outcomes import outcomes_summary as _summary

    return _summary(ds, period)
