"""Register writes that must not repeat or undo silently: the Add form of a register without a
key sent twice (a double click, the back button) adds one row; an import of a file exported
before a colleague's edit names the rows and values it changes, warns of the edit it would undo
and needs an explicit confirmation, and every changed row's History shows what the import wrote."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from home_finding_records import VACANCY

from sufficiency.web.registers.forms import SAME_ROW


def _body(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("name", "role", "row"),
    [
        (
            "costs",
            "commissioner",
            {"placement_type": "in_house_fostering", "year": "2024", "weekly_cost": "999.5"},
        ),
        (
            "outcomes",
            "home_finder",
            {
                "referral_id": "R00001",
                "vacancy_id": "V00001",
                "offered": "yes",
                "accepted": "no",
                "decline_reason": "double-submit test",
            },
        ),
        (
            "targets",
            "commissioner",
            {
                "measure_id": "cla_rate",
                "baseline_date": "2024-03-31",
                "baseline": "70",
                "target": "60",
                "target_date": "2026-03-31",
                "direction": "down",
            },
        ),
    ],
)
def test_the_same_row_of_a_register_without_a_key_is_added_once(
    client_for: Callable[[str], Client], name: str, role: str, row: dict[str, str]
) -> None:
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    model = EDITABLE_REGISTERS[name]
    client = client_for(role)
    first = client.post(f"/registers/{name}/new/", row)
    assert first.status_code == 302, _body(first)[:2000]
    again = client.post(f"/registers/{name}/new/", row)
    assert again.status_code == 400 and SAME_ROW in _body(again)
    assert model.objects.count() == 1
    # a different value is a different row; editing a row into another's copy is refused
    other = (
        {**row, next(iter(row)): row[next(iter(row))] + "0"}
        if name != "costs"
        else {
            **row,
            "year": "2025",
        }
    )
    assert client.post(f"/registers/{name}/new/", other).status_code == 302
    second = model.objects.order_by("pk").last()
    assert second is not None
    edit = client.post(
        f"/registers/{name}/{second.pk}/edit/", {**row, "read_version": str(second.version)}
    )
    assert edit.status_code == 400 and SAME_ROW in _body(edit)
    assert model.objects.count() == 2


def _stage(client: Client, name: str, content: bytes) -> str:
    checked = client.post(
        f"/registers/{name}/import/", {"file": SimpleUploadedFile(f"{name}.csv", content)}
    )
    assert checked.status_code == 302, _body(checked)[:3000]
    return str(checked["Location"])


def test_an_import_of_a_file_exported_before_a_web_edit_warns_and_needs_confirming(
    client_for: Callable[[str], Client],
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.registers.models import Vacancy

    admin, colleague = client_for("admin"), client_for("commissioner")
    assert colleague.post("/registers/vacancies/new/", VACANCY).status_code == 302
    assert (
        colleague.post("/registers/vacancies/new/", {**VACANCY, "vacancy_id": "V2"}).status_code
        == 302
    )
    old = admin.get("/registers/vacancies/export.csv").content  # 09:00, before the edit
    v1 = Vacancy.objects.get(vacancy_id="V1")
    edited = colleague.post(
        f"/registers/vacancies/{v1.pk}/edit/",
        {**VACANCY, "postcode": "WR1 1AA", "read_version": str(v1.version)},
    )
    assert edited.status_code == 302
    # the old export, with V2's places changed in the spreadsheet
    old = old.replace(
        b"\nV2,in_house_carer,H1,in_house_fostering,2,",
        b"\nV2,in_house_carer,H1,in_house_fostering,3,",
    )
    review_url = _stage(admin, "vacancies", old)
    review = _body(admin.get(review_url))
    assert "Replaces 2 vacancies with 2: 2 changed" in review
    assert "postcode: WR1 1AA -> HR4 9AA" in review
    assert "places: 2 -> 3" in review
    assert "V1 was changed in the web by commissioner_user on " in review
    assert (
        "(postcode: HR4 9AA -> WR1 1AA), after this register was last imported: the file sets "
        "postcode to HR4 9AA" in review
    )
    assert "V2 was changed in the web" not in review  # the file's own change is not an undo
    # confirming without ticking the box imports nothing
    refused = admin.post(review_url + "confirm/")
    assert refused.status_code == 400 and "Nothing was imported" in _body(refused)
    assert Vacancy.objects.get(vacancy_id="V1").postcode == "WR1 1AA"
    done = admin.post(review_url + "confirm/", {"overwrite_web_changes": "yes"})
    assert done.status_code == 302
    assert dict(Vacancy.objects.values_list("vacancy_id", "postcode")) == {
        "V1": "HR4 9AA",
        "V2": "HR4 9AA",
    }
    # each row's History shows what the import wrote, newest first
    history = _body(admin.get(f"/registers/vacancies/{v1.pk}/history/"))
    assert history.index("postcode: WR1 1AA -> HR4 9AA") < history.index(
        "postcode: HR4 9AA -> WR1 1AA"
    )
    entry = LogEntry.objects.filter(object_pk=str(v1.pk), additional_data__event="import").get()
    assert entry.changes == {"postcode": ["WR1 1AA", "HR4 9AA"]}
    assert entry.actor is not None and entry.actor.get_username() == "admin_user"
    summary = LogEntry.objects.get(additional_data__event="register_import")
    assert summary.additional_data["changed_rows"] == ["V1", "V2"]
    # an export taken after that import, changed and imported: nothing to warn of
    now = admin.get("/registers/vacancies/export.csv").content.replace(b",HR4 9AA,", b",HR4 9AB,")
    review = _body(admin.get(_stage(admin, "vacancies", now)))
    assert "changed in the web" not in review and "postcode: HR4 9AA -> HR4 9AB" in review


def test_an_import_leaving_out_a_row_added_in_the_web_since_warns(
    client_for: Callable[[str], Client],
) -> None:
    admin, colleague = client_for("admin"), client_for("commissioner")
    assert colleague.post("/registers/vacancies/new/", VACANCY).status_code == 302
    old = admin.get("/registers/vacancies/export.csv").content
    assert (
        colleague.post("/registers/vacancies/new/", {**VACANCY, "vacancy_id": "V2"}).status_code
        == 302
    )
    review = _body(admin.get(_stage(admin, "vacancies", old)))
    assert "V2 was added in the web by commissioner_user on " in review
    assert "the file leaves it out, so it would be retired" in review
