"""Registers in the web: create, edit with optimistic locking, export and import (staged, then
confirmed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from home_finding_records import VACANCY


def confirm_import(client: Client, name: str, file_name: str, content: bytes) -> Any:
    """Check a register file, then confirm it: the response after confirming."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    checked = client.post(
        f"/registers/{name}/import/", {"file": SimpleUploadedFile(file_name, content)}
    )
    assert checked.status_code == 302, checked.content.decode()[:3000]
    review = checked["Location"]
    assert client.get(review).status_code == 200
    return client.post(review + "confirm/")


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
    from sufficiency.web.registers.models import Vacancy

    client = client_for("commissioner")
    client.post("/registers/vacancies/new/", VACANCY)
    exported = client.get("/registers/vacancies/export.csv").content
    Vacancy.objects.all().delete()
    response = confirm_import(client, "vacancies", "vacancies.csv", exported)
    assert response.status_code == 302, response.content.decode()[:2000]
    v = Vacancy.objects.get()
    assert (v.vacancy_id, v.places, v.needs_accepted, v.weekly_cost, v.postcode) == (
        "V1",
        2,
        ["autism"],
        450.0,
        "HR4 9AA",
    )
    assert client.get("/registers/vacancies/export.csv").content == exported


def test_an_import_writing_a_key_in_another_case_changes_the_stored_row(
    client_for: Callable[[str], Client],
) -> None:
    """``v1`` in a file is the stored ``V1`` (the database holds keys ignoring case): the row
    is changed, not retired beside a second vacancy the database refuses."""
    from sufficiency.web.registers.models import Vacancy

    client = client_for("commissioner")
    client.post("/registers/vacancies/new/", VACANCY)
    stored = Vacancy.objects.get()
    exported = client.get("/registers/vacancies/export.csv").content.decode()
    assert "\nV1,in_house_carer,H1,in_house_fostering,2," in exported
    changed = exported.replace(
        "\nV1,in_house_carer,H1,in_house_fostering,2,",
        "\nv1,in_house_carer,H1,in_house_fostering,3,",
    )
    response = confirm_import(client, "vacancies", "vacancies.csv", changed.encode())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Vacancy.rows.values_list("pk", "vacancy_id", "places", "retired_at")) == [
        (stored.pk, "v1", 3, None)
    ]


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
    assert "vacancies.csv row 2 places: places: not a whole number &#x27;two&#x27;" in body
    assert list(Vacancy.objects.values_list("vacancy_id", flat=True)) == ["V1"]


def test_the_form_checks_rows_with_the_library_register_rules(
    client_for: Callable[[str], Client],
) -> None:
    from sufficiency.web.registers.models import Vacancy

    client = client_for("home_finder")
    reversed_ages = client.post(
        "/registers/vacancies/new/", {**VACANCY, "age_min": "11", "age_max": "10"}
    )
    assert reversed_ages.status_code == 400
    assert "age_min 11 is above age_max 10 (expected age_min &lt;= age_max)" in (
        reversed_ages.content.decode()
    )
    bad_type = client.post(
        "/registers/vacancies/new/", {**VACANCY, "placement_type": "foster_home"}
    )
    body = bad_type.content.decode()
    assert bad_type.status_code == 400 and "foster_home" in body and "govuk-error-message" in body
    assert not Vacancy.objects.exists()


def test_a_form_names_a_bad_value_in_the_words_a_file_import_uses(
    client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    """Same declaration, same message: the form, a CSV and an XLSX import agree."""
    import html

    from sufficiency.ingest.registers import load_registers

    client = client_for("commissioner")
    cases = {"places": "-2", "weekly_cost": "nan", "postcode": "NOT KNOWN", "age_max": "99"}
    for column, bad in cases.items():
        body = html.unescape(
            client.post("/registers/vacancies/new/", {**VACANCY, column: bad}).content.decode()
        )
        folder = tmp_path / column / "registers"
        folder.mkdir(parents=True)
        (folder / "vacancies.csv").write_text(
            ",".join(VACANCY) + "\n" + ",".join({**VACANCY, column: bad}.values()) + "\n"
        )
        _, problems = load_registers(folder)
        (problem,) = problems
        assert problem.column == column
        assert problem.message in body, (column, problem.message)


def test_a_repeated_key_is_refused_by_the_form(client_for: Callable[[str], Client]) -> None:
    from sufficiency.web.registers.models import Vacancy

    client = client_for("commissioner")
    assert client.post("/registers/vacancies/new/", VACANCY).status_code == 302
    again = client.post("/registers/vacancies/new/", {**VACANCY, "places": "1"})
    assert again.status_code == 400
    assert "vacancy_id &#x27;V1&#x27; appears more than once" in again.content.decode()
    # the same id in other letters is the same id, as a file import reads it
    lower = client.post("/registers/vacancies/new/", {**VACANCY, "vacancy_id": "v1"})
    assert lower.status_code == 400
    assert "vacancy_id &#x27;v1&#x27; appears more than once" in lower.content.decode()
    assert Vacancy.objects.count() == 1
    # editing the row itself keeps its own key
    pk = Vacancy.objects.get().pk
    edited = client.post(
        f"/registers/vacancies/{pk}/edit/", {**VACANCY, "places": "3", "read_version": "1"}
    )
    assert edited.status_code == 302


def test_an_edit_form_shows_the_row_as_its_file_does(client_for: Callable[[str], Client]) -> None:
    from sufficiency.web.registers.models import Carer

    client = client_for("commissioner")
    carer = {
        "household_id": "H1",
        "status": "approved",
        "approval_types": ["mainstream", "emergency"],
        "places": "2",
        "occupied": "1",
        "approved_date": "2020-04-01",
    }
    assert client.post("/registers/carers/new/", carer).status_code == 302
    saved = Carer.objects.get()
    assert (saved.approval_types, saved.places, saved.approved_date) == (
        ["mainstream", "emergency"],
        2,
        dt.date(2020, 4, 1),
    )
    initial = client.get(f"/registers/carers/{saved.pk}/edit/").context["form"].initial
    assert {k: initial[k] for k in ("approval_types", "approved_date", "places", "postcode")} == {
        "approval_types": ["mainstream", "emergency"],
        "approved_date": "2020-04-01",
        "places": "2",
        "postcode": "",
    }


@pytest.mark.slow
def test_every_demo_register_round_trips_file_database_file(
    db: None, tmp_path: Path, demo_dir: Path
) -> None:
    """file -> database -> file on the demo council: the same typed frames and the same text."""
    from polars.testing import assert_frame_equal

    from sufficiency.ingest.registers import csv_text, load_registers
    from sufficiency.web.registers.store import import_registers, register_frame, write_registers

    demo = demo_dir / "registers"
    files, _ = load_registers(demo)
    import_registers(demo)
    for name, frame in files.items():
        assert_frame_equal(register_frame(name), frame)
    write_registers(tmp_path / "registers")
    again, problems = load_registers(tmp_path / "registers")
    assert problems == []
    for name, frame in files.items():
        assert_frame_equal(again[name], frame)
        assert (tmp_path / "registers" / f"{name}.csv").read_text() == csv_text(name, frame)


def test_xlsx_export_imports_back_unchanged(client_for: Callable[[str], Client]) -> None:
    client = client_for("commissioner")
    client.post("/registers/vacancies/new/", VACANCY)
    before = client.get("/registers/vacancies/export.csv").content
    workbook = client.get("/registers/vacancies/export.xlsx")
    assert workbook["Content-Disposition"] == 'attachment; filename="vacancies.xlsx"'
    response = confirm_import(client, "vacancies", "vacancies.xlsx", workbook.content)
    assert response.status_code == 302
    assert client.get("/registers/vacancies/export.csv").content == before
