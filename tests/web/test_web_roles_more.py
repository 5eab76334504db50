"""The fostering manager (the fostering registers) and the director (every page an analyst sees,
unsuppressed, and no edits): what each may open, change and download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sufficiency.web.accounts.roles import ROLE_TITLES, role_of


def test_the_new_roles_are_users_roles(users: dict[str, Any]) -> None:
    assert role_of(users["fostering_manager"]) == "fostering_manager"
    assert role_of(users["director"]) == "director"
    assert ROLE_TITLES["fostering_manager"] == "Fostering manager"
    assert ROLE_TITLES["director"] == "Director"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/registers/carers/new/", 200),
        ("/registers/recruitment/new/", 200),
        ("/registers/adopters/new/", 200),
        ("/registers/carers/", 200),
        ("/registers/vacancies/new/", 403),
        ("/registers/homes/new/", 403),
        ("/registers/costs/new/", 403),
        ("/data/children/", 403),
        ("/data/", 403),
        ("/forecast/", 403),
        ("/matching/", 403),
    ],
)
def test_a_fostering_manager_keeps_the_fostering_registers_only(
    client_for: Callable[[str], Client], url: str, status: int
) -> None:
    assert client_for("fostering_manager").get(url).status_code == status


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/registers/carers/", 200),
        ("/forecast/", 200),
        ("/data/children/", 200),
        ("/registers/carers/new/", 403),
        ("/registers/vacancies/new/", 403),
        ("/forecast/scenarios/new/", 403),
        ("/statement/narrative/foreword/", 403),
        ("/statement/sign-off/", 403),
        ("/data/", 403),
        ("/audit/", 403),
    ],
)
def test_a_director_reads_but_never_edits(
    client_for: Callable[[str], Client], url: str, status: int
) -> None:
    assert client_for("director").get(url).status_code == status


def test_a_director_cannot_post_a_scenario_or_a_register_row(
    client_for: Callable[[str], Client],
) -> None:
    director = client_for("director")
    assert director.post("/forecast/scenarios/new/", {"name": "x"}).status_code == 403
    assert director.post("/registers/carers/new/", {}).status_code == 403


@pytest.mark.slow
def test_a_director_sees_and_downloads_unsuppressed_figures_audited(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    director = client_for("director")
    page = director.get("/?year=2024&suppress=0").content.decode()
    assert "Unsuppressed: internal use only" in page
    assert "Show unsuppressed figures" in page
    forecast = director.get("/forecast/").content.decode()
    assert 'id="new-scenario"' not in forecast
    response = director.get("/dashboard/download/csv/?year=2024&suppress=0&measure=cla_count")
    assert response.status_code == 200
    analyst = client_for("analyst").get(
        "/dashboard/download/csv/?year=2024&suppress=0&measure=cla_count"
    )
    assert response.content == analyst.content
    entries = [
        e
        for e in LogEntry.objects.filter(actor__username="director_user")
        if (e.additional_data or {}).get("event") == "download"
    ]
    assert [e.object_repr for e in entries] == ["dashboard cla_count-2024-unsuppressed (csv)"]
