"""Home-finding records the web tests make directly in the database: an in-house vacancy and a
referral (a 12-year-old girl needing a foster home today), with the fields the matcher reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

#: The vacancies register's form, filled in as a commissioner adds one in-house place.
VACANCY = {
    "vacancy_id": "V1",
    "provider_kind": "in_house_carer",
    "provider_id": "H1",
    "placement_type": "in_house_fostering",
    "places": "2",
    "available_from": "2024-04-01",
    "age_min": "0",
    "age_max": "17",
    "sex": "any",
    "siblings": "1",
    "needs_accepted": "autism",
    "postcode": "HR4 9AA",
    "weekly_cost": "450.00",
    "contract": "in_house",
    "rating": "",
}


def make_vacancy(vid: str, places: int = 1, age_min: int = 0, age_max: int = 17) -> Any:
    from sufficiency.web.registers.models import Vacancy

    return Vacancy.objects.create(
        vacancy_id=vid,
        provider_kind="in_house_carer",
        provider_id=f"FC{vid}",
        placement_type="in_house_fostering",
        places=places,
        available_from=dt.date(2024, 1, 1),
        age_min=age_min,
        age_max=age_max,
        sex="any",
        siblings=0,
        contract="in_house",
    )


def referral_data(rid: str, age: int = 12) -> dict[str, Any]:
    return {
        "id": rid,
        "child": {"age": age, "sex": "F", "uasc": False, "disability": False},
        "needed_by": dt.date.today().isoformat(),
        "urgency": "today",
        "siblings": 0,
        "suitability": {
            "foster": "preferred",
            "residential": "unsuitable",
            "supported": "unsuitable",
        },
        "needs": [],
        "avoid_areas": [],
    }


def make_referral(rid: str, age: int = 12) -> Any:
    from sufficiency.web.matching.models import Referral

    return Referral.objects.create(referral_id=rid, data=referral_data(rid, age))


def referral_form(rid: str, **changes: str) -> dict[str, str]:
    """The new-referral page's form for the same girl, as a home finder sends it."""
    return {
        "referral_id": rid,
        "age": "12",
        "sex": "F",
        "needed_by": dt.date.today().isoformat(),
        "urgency": "today",
        "siblings": "0",
        "foster": "preferred",
        "residential": "unsuitable",
        "supported": "unsuitable",
        **changes,
    }
