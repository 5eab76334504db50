"""The whole regional run (``sufficiency region REGION.toml``): needs, market, outlook, as one
stable JSON document (docs/regional.md lists its fields)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sufficiency.forecast.scenarios import Scenario
from sufficiency.measures import Period
from sufficiency.region.load import Region
from sufficiency.region.market import (
    across_borders,
    capacity_against_need,
    hidden_by_councils,
    homes_by_type,
    homes_by_urn,
    looked_after_in_region,
)
from sufficiency.region.needs import HEADLINE, RegionalMeasures, regional_measures
from sufficiency.region.outlook import Outlook, regional_outlook


@dataclass(frozen=True)
class RegionalRun:
    """Everything a regional run computes."""

    name: str
    at: dt.date
    councils: dict[str, str]
    measures: RegionalMeasures
    market: dict[str, Any]
    outlook: Outlook | None
    #: Figures of where each council's children live that its own outputs hide (not in the JSON:
    #: the published forms hide them, ``report.regional``).
    hidden_by_councils: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: The region's children looked after on the day by placement type, every type (not in the
    #: JSON: the published forms hide the small ones, ``report.regional.market_hidden_types``).
    looked_after: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.name,
            "at": self.at.isoformat(),
            "councils": dict(self.councils),
            "needs": self.measures.to_json(),
            "market": copy.deepcopy(self.market),  # a caller's changes are not the run's
            "outlook": None if self.outlook is None else self.outlook.to_json(),
        }


def default_date(region: Region) -> dt.date:
    """The latest 31 March every member's returns reach."""
    return min(ds.last_date for ds in region.councils.values())


def _covered(councils: Mapping[str, Any], day: dt.date) -> None:
    """A ValueError naming a council whose returns do not cover the year ending ``day`` (its
    figures would read 0, and the region's total would lack them)."""
    start = Period.year_ending(day).start
    for code, ds in councils.items():
        uncovered = ds.outside(start, day)
        if uncovered:
            raise ValueError(
                f"{ds.profile.name} ({code}): the regional figures count the year ending "
                f"{day:%d/%m/%Y}, and {uncovered}"
            )


def threshold(region: Region) -> int:
    """The region's small-count threshold: its own, else the highest of its councils'."""
    return region.config.small_count_max or max(
        ds.profile.small_count_max for ds in region.councils.values()
    )


def analyse(
    region: Region,
    at: dt.date | None = None,
    *,
    ids: list[str] | None = None,
    suppress: bool = True,
    forecast: bool = True,
    horizon_months: int = 36,
    scheduler: str | None = None,
    scenarios: Sequence[Scenario] = (),
) -> RegionalRun:
    """The regional needs analysis, market and (unless ``forecast`` is False) outlook."""
    day = at or default_date(region)
    councils = region.councils
    _covered(councils, day)
    small = threshold(region)
    measures = regional_measures(
        councils,
        day,
        list(ids or HEADLINE),
        suppress=suppress,
        small_max=small,
        scheduler=scheduler,
    )
    # the market's children are protected by its published forms (``report.regional``)
    market = {
        "homes": homes_by_urn(councils, day),
        "homes_by_type": homes_by_type(councils, day),
        "capacity_against_need": capacity_against_need(councils, day),
        "across_borders": across_borders(councils, day),
    }
    outlook = None
    if forecast:
        outlook = regional_outlook(
            councils,
            horizon_months=horizon_months,
            scheduler=scheduler,
            block=region.config.block_contract,
            scenarios=scenarios,
            as_at=day,
        )
    names = {code: ds.profile.name for code, ds in councils.items()}
    return RegionalRun(
        region.config.name,
        day,
        names,
        measures,
        market,
        outlook,
        hidden_by_councils(councils, day),
        looked_after_in_region(councils, day),
    )
