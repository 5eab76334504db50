"""A column unique when given (supported accommodation's URN) in the web: the row form refuses a
URN another row has, as it refuses a repeated key; an import of a file repeating one is refused
with the file's problem; a blank URN may repeat."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

NEW = "/registers/supported_accommodation/new/"
HAVEN = {"provider": "Haven", "urn": "SC805111", "postcode": "HR1 2HX", "units": "6"}
REPEATED = "urn 'SC805111' appears more than once (expected one row per urn)"


@pytest.fixture
def commissioner(client_for: Callable[[str], Client]) -> Client:
    return client_for("commissioner")


def _body(response: Any) -> str:
    return html.unescape(response.content.decode())


def _settings() -> list[tuple[str, str, int]]:
    from sufficiency.web.registers.models import SupportedAccommodation

    return list(SupportedAccommodation.objects.values_list("provider", "urn", "units"))


def test_the_form_refuses_a_urn_another_row_has(commissioner: Client) -> None:
    from sufficiency.web.registers.models import SupportedAccommodation

    assert commissioner.post(NEW, HAVEN).status_code == 302
    again = commissioner.post(NEW, {**HAVEN, "urn": "sc 805111", "units": "8"})
    assert again.status_code == 400 and REPEATED in _body(again)
    assert _settings() == [("Haven", "SC805111", 6)]
    # blank URNs (settings awaiting registration) may repeat
    for units in ("4", "5"):
        blank = commissioner.post(
            NEW, {**HAVEN, "provider": "New Start", "urn": "", "units": units}
        )
        assert blank.status_code == 302
    # a row keeps its own URN when edited, and may not take another's
    haven = SupportedAccommodation.objects.get(urn="SC805111")
    edit = f"/registers/supported_accommodation/{haven.pk}/edit/"
    read = {"read_version": haven.version}
    assert commissioner.post(edit, {**HAVEN, "units": "7", **read}).status_code == 302
    other = SupportedAccommodation.objects.filter(urn="").first()
    assert other is not None
    taken = commissioner.post(
        f"/registers/supported_accommodation/{other.pk}/edit/",
        {**HAVEN, "provider": "New Start", "read_version": other.version},
    )
    assert taken.status_code == 400 and REPEATED in _body(taken)
    assert sorted(_settings()) == [
        ("Haven", "SC805111", 7),
        ("New Start", "", 4),
        ("New Start", "", 5),
    ]


def test_a_retired_rows_urn_is_restored_not_added_again(commissioner: Client) -> None:
    from sufficiency.web.registers.models import SupportedAccommodation

    assert commissioner.post(NEW, HAVEN).status_code == 302
    haven = SupportedAccommodation.objects.get()
    retired = commissioner.post(
        f"/registers/supported_accommodation/{haven.pk}/retire/",
        {"reason": "Closed in March", "read_version": haven.version},
    )
    assert retired.status_code == 302
    again = commissioner.post(NEW, {**HAVEN, "units": "8"})
    assert again.status_code == 400
    assert REPEATED + ": a retired row has it, restore that row instead" in _body(again)
    assert SupportedAccommodation.rows.count() == 1


def _check(client: Client, content: bytes) -> Any:
    return client.post(
        "/registers/supported_accommodation/import/",
        {"file": SimpleUploadedFile("supported_accommodation.csv", content)},
    )


def test_an_import_repeating_a_urn_is_refused_with_the_files_problem(
    commissioner: Client,
) -> None:
    from sufficiency.web.registers.models import StagedImport

    assert commissioner.post(NEW, HAVEN).status_code == 302
    response = _check(
        commissioner, b"provider,urn,units\nHaven,SC805111,6\nNew Start,,4\nHaven,SC805111,8\n"
    )
    body = _body(response)
    assert response.status_code == 400
    assert "govuk-error-summary" in body and REPEATED in body and "nothing was changed" in body
    assert _settings() == [("Haven", "SC805111", 6)]
    assert not StagedImport.objects.exists()


def test_an_import_changing_a_settings_units_leaves_it_editable_and_its_old_row_retired(
    commissioner: Client,
) -> None:
    """A keyless register matches rows by every column: a setting whose units change is its
    old row retired and a new row added. The retired row's URN does not stop the new row being
    edited, and it cannot be restored beside it (its units would count twice)."""
    from sufficiency.web.registers.models import SupportedAccommodation

    assert commissioner.post(NEW, HAVEN).status_code == 302
    old = SupportedAccommodation.objects.get()
    checked = _check(
        commissioner, b"provider,urn,postcode,units\nHaven,SC805111,HR1 2HX,8\nNew Start,,,4\n"
    )
    assert checked.status_code == 302, _body(checked)[:3000]
    assert commissioner.post(checked["Location"] + "confirm/").status_code == 302
    new = SupportedAccommodation.rows.get(urn="SC805111", retired_at__isnull=True)
    assert new.pk != old.pk and new.units == 8
    edited = commissioner.post(
        f"/registers/supported_accommodation/{new.pk}/edit/",
        {**HAVEN, "units": "9", "read_version": new.version},
    )
    assert edited.status_code == 302, _body(edited)[:3000]
    restore = commissioner.post(
        f"/registers/supported_accommodation/{old.pk}/restore/", follow=True
    )
    assert f"This row cannot be restored: {REPEATED}: a row in use has it" in _body(restore)
    assert SupportedAccommodation.rows.get(pk=old.pk).retired_at is not None
    assert sorted(_settings()) == [("Haven", "SC805111", 9), ("New Start", "", 4)]
