"""Fixtures for the matching tests: hand-built vacancy pools at known grid references."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from sufficiency.matching.engine import MatchResult, match_referral
from sufficiency.matching.pool import VacancyPool, build_pool
from sufficiency.matching.referral import Referral, parse_referral

LA = "E06000019"
NEIGHBOUR = "E10000034"
DISTANT = "E10000028"
HOME = (400000.0, 300000.0)
#: Metres in one mile by the DfE formula (miles = metres / 1000 / 1.6093).
MILE = 1609.3

#: Postcode -> (easting, northing, upper-tier LA) of the referral's invented postcodes.
LOCATIONS: dict[str, tuple[float, float, str | None]] = {
    "ZZ1 1AA": (HOME[0], HOME[1], LA),  # home
    "ZZ2 2AA": (HOME[0], HOME[1] + 4 * MILE, LA),  # school, 4 miles north of home
    "ZZ3 3AA": (HOME[0] - 30 * MILE, HOME[1], LA),  # an exclusion-zone centre, 30 miles west
    "ZZ4 4AA": (HOME[0] + 20 * MILE, HOME[1], LA),  # a preferred location, 20 miles east
}

DEFAULT_VACANCY: dict[str, str] = {
    "provider_kind": "in_house_carer",
    "provider_id": "H1",
    "placement_type": "in_house_fostering",
    "places": "1",
    "available_from": "2024-05-01",
    "age_min": "0",
    "age_max": "17",
    "sex": "any",
    "siblings": "0",
    "needs_accepted": "",
    "postcode": "",
    "weekly_cost": "500",
    "contract": "in_house",
    "rating": "",
    "la": LA,
}


def vacancy(vid: str, east_miles: float = 0.0, **over: Any) -> dict[str, str]:
    """One vacancy row ``east_miles`` due east of the child's home."""
    row = dict(DEFAULT_VACANCY)
    row["vacancy_id"] = vid
    row["easting"] = str(HOME[0] + east_miles * MILE)
    row["northing"] = str(HOME[1])
    row.update({k: str(v) for k, v in over.items()})
    return row


def pool_of(
    rows: list[dict[str, str]], registers: dict[str, pl.DataFrame] | None = None
) -> VacancyPool:
    cols = sorted({k for r in rows for k in r})
    frame = pl.DataFrame({c: [r.get(c, "") for r in rows] for c in cols})
    return build_pool(frame, LA, [NEIGHBOUR], registers or {})


def referral(**over: Any) -> Referral:
    """A 12-year-old girl needing a home by 1 June 2024; fields overridable (child.* via child=)."""
    data: dict[str, Any] = {
        "id": "R1",
        "child": {"age": 12, "sex": "F", "home_postcode": "ZZ1 1AA"},
        "needed_by": "2024-06-01",
        "urgency": "later",
        "siblings": 0,
    }
    child = over.pop("child", None)
    if child:
        data["child"] = {**data["child"], **child}
    data.update(over)
    return parse_referral(data)


def run(rows: list[dict[str, str]], ref: Referral | None = None, **kw: Any) -> MatchResult:
    return match_referral(
        pool_of(rows, kw.pop("registers", None)), ref or referral(), locations=LOCATIONS, **kw
    )


@pytest.fixture
def mk() -> SimpleNamespace:
    """The helpers above, for tests (pytest's importlib mode does not import conftest by name)."""
    return SimpleNamespace(
        vacancy=vacancy,
        pool_of=pool_of,
        referral=referral,
        run=run,
        MILE=MILE,
        LA=LA,
        NEIGHBOUR=NEIGHBOUR,
        DISTANT=DISTANT,
        LOCATIONS=LOCATIONS,
        HOME=HOME,
    )
