"""Children aged 0-17 by council from the ONS mid-year estimates, as the DfE uses them for rates.

The DfE's rate per 10,000 at 31 March of year Y divides by the ONS estimate for mid-year Y-1
(Herefordshire at 31 March 2025: 344 children looked after / 34,439 children (mid-2024) x 10,000
= 99.9, published as 100). When that estimate is not yet published, the latest earlier one is
used and says so (``lagged``); never a later one, and never one from before a council existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sufficiency.published.areas import resolve_la
from sufficiency.published.tables import table

SOURCE = "ONS, mid-year population estimates"
_NOT_COUNCILS = ("E92", "E12", "E13")


@dataclass(frozen=True)
class PopulationEstimate:
    """Children aged 0-17 in an area: the estimate for ``mid_year``, used for 31 March ``year``."""

    value: int
    mid_year: int
    year: int
    area_code: str
    source: str = SOURCE

    @property
    def lagged(self) -> bool:
        """True when the estimate is older than mid-year ``year - 1`` (not yet published)."""
        return self.mid_year != self.year - 1


def rate_mid_year(year: int) -> int:
    """The ONS mid-year whose estimate the DfE divides by for a rate at 31 March ``year``."""
    return year - 1


@cache
def _estimates() -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for code, mid_year, value in (
        table("population").select("area_code", "mid_year", "population").iter_rows()
    ):
        out.setdefault(code, {})[mid_year] = value
    return out


def population_under_18(area: str | int, year: int) -> PopulationEstimate | None:
    """Children aged 0-17 for a rate at 31 March ``year`` in a council (any code, number or name
    ``resolve_la`` takes), a region or England (E12/E13/E92 codes): the ONS estimate for mid-year
    ``year - 1``, else the latest earlier one; None when there is none or the council did not
    exist at 31 March ``year``."""
    text = str(area).strip().upper()
    if text.startswith(_NOT_COUNCILS):
        code = text
    else:
        la = resolve_la(area)
        if not la.exists_in(year):
            return None
        code = la.code
    series = _estimates().get(code, {})
    usable = [m for m in series if m <= rate_mid_year(year)]
    if not usable:
        return None
    mid = max(usable)
    return PopulationEstimate(value=series[mid], mid_year=mid, year=year, area_code=code)
