"""Registers in the browser: create, edit with optimistic locking, export and import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client

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


def test_add_a_vacancy(client_for: Callable[[str], Client]) -> None:
    from sufficiency.web.registers.models import Vacancy

    response = client_for("home_finder").post("/registers/vacancies/new/", VACANCY)
    assert response.status_code == 302
    v = Vacancy.objects.get(vacancy_id="V1")
    assert (v.places, v.available_from, v.version) == (2, dt.date(2024, 4, 1), 1)


def test_two_people_editing_one_vacancy_cannot_overwrite_each_other(
    client_for: Callable[[str], Client],
) -> None:
    from sufficiency.web.registers.models import Vacancy

    client_for("commissioner").post("/registers/vacancies/new/", VACANCY)
    pk = Vacancy.objects.get().pk
    alice, bob = client_for("commissioner"), client_for("home_finder")
    # both open the form at version 1
    assert 'value="1"' in alice.get(f"/registers/vacancies/{pk}/edit/").content.decode()
    first = alice.post(
        f"/registers/vacancies/{pk}/edit/", {**VACANCY, "places": "3", "read_version": "1"}
    )
    assert first.status_code == 302
    second = bob.post(
        f"/registers/vacancies/{pk}/edit/", {**VACANCY, "places": "1", "read_version": "1"}
    )
    assert second.status_code == 409
    assert "Someone else changed this record" in second.content.decode()
    v = Vacancy.objects.get()
    assert (v.places, v.version) == (3, 2)


def test_export_then_import_round_trip(client_for: Callable[[str], Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sufficiency.web.registers.models import Vacancy

    client = client_for("commissioner")
    client.post("/registers/vacancies/new/", VACANCY)
    exported = client.get("/registers/vacancies/export.csv").content
    Vacancy.objects.all().delete()
    response = client.post(
        "/registers/vacancies/import/", {"file": SimpleUploadedFile("vacancies.csv", exported)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    v = Vacancy.objects.get()
    assert (v.vacancy_id, v.places, v.needs_accepted, str(v.weekly_cost)) == (
        "V1",
        2,
        "autism",
        "450.00",
    )


def test_a_bad_register_file_is_refused_whole(client_for: Callable[[str], Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sufficiency.web.registers.models import Vacancy

    client = client_for("commissioner")
    client.post("/registers/vacancies/new/", VACANCY)
    bad = b"vacancy_id,provider_kind,provider_id,placement_type,places,available_from\nV9,in_house_carer,H1,in_house_fostering,two,2024-01-01\n"
    response = client.post(
        "/registers/vacancies/import/", {"file": SimpleUploadedFile("vacancies.csv", bad)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body and "places" in body
    assert list(Vacancy.objects.values_list("vacancy_id", flat=True)) == ["V1"]


def test_the_form_checks_rows_with_the_library_register_rules(
    client_for: Callable[[str], Client],
) -> None:
    from sufficiency.web.registers.models import Vacancy

    client = client_for("home_finder")
    reversed_ages = client.post(
        "/registers/vacancies/new/", {**VACANCY, "age_min": "11", "age_max": "10"}
    )
    assert reversed_ages.status_code == 200
    assert "Enter an age of 11 or more" in reversed_ages.content.decode()
    bad_type = client.post(
        "/registers/vacancies/new/", {**VACANCY, "placement_type": "foster_home"}
    )
    body = bad_type.content.decode()
    assert bad_type.status_code == 200 and "foster_home" in body and "govuk-error-message" in body
    assert not Vacancy.objects.exists()
