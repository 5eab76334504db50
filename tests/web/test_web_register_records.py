"""Register records in the web: every register listed, searched, paged and exported; imports
staged (named problems, what would change) and landing only on confirmation; rows retired with
a reason and restored; every change an audit entry; bad numbers a named form error."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

CARERS_HEADER = "household_id,status,approval_types,places,occupied,approved_date\n"


def carers_csv(ids: list[str], places: int = 2) -> bytes:
    """A carers register file with one approved household per id."""
    rows = "".join(f"{h},approved,mainstream,{places},0,2020-04-01\n" for h in ids)
    return (CARERS_HEADER + rows).encode()


def check(client: Client, name: str, file_name: str, content: bytes) -> Any:
    return client.post(
        f"/registers/{name}/import/", {"file": SimpleUploadedFile(file_name, content)}
    )


def load_carers(client: Client, ids: list[str], places: int = 2) -> Any:
    """Import a carers file and confirm it; the confirming response."""
    checked = check(client, "carers", "carers.csv", carers_csv(ids, places))
    assert checked.status_code == 302, checked.content.decode()[:3000]
    return client.post(checked["Location"] + "confirm/")


def active_ids() -> list[str]:
    from sufficiency.web.registers.models import Carer

    return sorted(Carer.objects.values_list("household_id", flat=True))


@pytest.fixture
def commissioner(client_for: Callable[[str], Client]) -> Client:
    return client_for("commissioner")


@pytest.mark.parametrize("role", ["admin", "commissioner"])
def test_every_register_is_listed_viewable_exportable_and_has_an_import_page(
    client_for: Callable[[str], Client], role: str
) -> None:
    """Every register for the admin; for a commissioner every one but the child-level ones
    (seen as a child's record is: tests/web/test_web_child_registers.py)."""
    from sufficiency.schema import REGISTERS

    client = client_for(role)
    index = client.get("/registers/").content.decode()
    shown = [n for n, s in REGISTERS.items() if role == "admin" or not s.children]
    assert len(shown) == (20 if role == "admin" else 15)
    for name in shown:
        assert f'href="/registers/{name}/"' in index, name
        assert client.get(f"/registers/{name}/").status_code == 200, name
        assert client.get(f"/registers/{name}/new/").status_code == 200, name
        assert client.get(f"/registers/{name}/import/").status_code == 200, name
        exported = client.get(f"/registers/{name}/export.csv")
        header = exported.content.decode().splitlines()[0]
        assert header == ",".join(REGISTERS[name].column_names), name
    assert len(REGISTERS) == 20  # 14, the five of the wider duty (issue 19) and finance


def test_an_import_shows_what_would_change_and_lands_only_on_confirmation(
    commissioner: Client,
) -> None:
    from auditlog.models import LogEntry

    load_carers(commissioner, ["H1", "H2", "H3"])
    before = LogEntry.objects.count()
    # H1 unchanged, H2 with more places, H3 left out, H4 and H5 new
    content = carers_csv(["H1"]) + carers_csv(["H2"], places=3)[len(CARERS_HEADER) :]
    content += carers_csv(["H4", "H5"])[len(CARERS_HEADER) :]
    checked = check(commissioner, "carers", "carers-new.csv", content)
    assert checked.status_code == 302
    review = commissioner.get(checked["Location"])
    change = html.unescape(review.content.decode())
    assert (
        "Replaces 3 carers with 4: 2 added, 1 changed, 1 retired (not in the file), 1 unchanged"
    ) in change
    assert active_ids() == ["H1", "H2", "H3"]  # nothing yet
    done = commissioner.post(checked["Location"] + "confirm/")
    assert done.status_code == 302
    assert active_ids() == ["H1", "H2", "H4", "H5"]
    from sufficiency.web.registers.models import Carer

    h3 = Carer.rows.get(household_id="H3")
    assert h3.retired_reason.startswith("Not in carers-new.csv, imported by commissioner_user")
    assert Carer.objects.get(household_id="H2").places == 3
    # the whole import is one summarised audit entry, with its counts, after an entry for each
    # row it changed or retired (column: before -> after)
    entries = LogEntry.objects.order_by("pk")[before:]
    assert [(e.object_repr, e.additional_data["event"]) for e in entries] == [
        ("H2", "import"),
        ("H3", "import"),
        ("carers register import from carers-new.csv", "register_import"),
    ]
    assert entries[0].changes == {"places": ["2", "3"]}
    assert entries[1].changes == {"retired_reason": ["", h3.retired_reason]}
    entry = entries[2]
    assert entry.additional_data["event"] == "register_import"
    assert {k: entry.additional_data[k] for k in ("added", "changed", "retired")} == {
        "added": 2,
        "changed": 1,
        "retired": 1,
    }
    assert entry.actor.username == "commissioner_user"


@pytest.mark.parametrize(
    ("file_name", "content", "message"),
    [
        (
            "carers.csv",
            CARERS_HEADER.encode(),
            "the file has no rows: an import replaces the whole register, so it would remove all 2 carers",
        ),
        ("carers.csv", b"", "the file is empty: an import replaces the whole register"),
        (
            "carers.txt",
            carers_csv(["H9"]),
            "a register is imported from a CSV or XLSX file, not .txt",
        ),
        ("carers.csv", carers_csv(["H9"], places=-1), "places"),
    ],
    ids=["header-only", "empty", "txt", "negative"],
)
def test_a_file_that_would_wipe_or_corrupt_a_register_changes_nothing(
    commissioner: Client, file_name: str, content: bytes, message: str
) -> None:
    from sufficiency.web.registers.models import Carer, StagedImport

    load_carers(commissioner, ["H1", "H2"])
    versions = list(Carer.rows.values_list("pk", "version"))
    response = check(commissioner, "carers", file_name, content)
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "govuk-error-summary" in body and message in body
    assert "nothing was changed" in body
    assert list(Carer.rows.values_list("pk", "version")) == versions
    assert not StagedImport.objects.exists()


def test_a_file_without_a_column_the_register_fills_would_blank_it_and_is_refused(
    commissioner: Client,
) -> None:
    """An optional column left out of the file (or blank in every row) reads as blank, so the
    import would have blanked it in every row that has a value ("2 changed"): it is refused,
    naming the column and how many rows would lose their value. A column the register leaves
    blank may be left out, and so may one whose rows the file retires (kept, values and all)."""
    from sufficiency.web.registers.models import Carer, StagedImport

    load_carers(commissioner, ["H1", "H2"])
    versions = list(Carer.rows.values_list("pk", "version"))
    short = b"household_id,status,approval_types,places\nH1,approved,mainstream,2\nH2,approved,mainstream,2\n"
    response = check(commissioner, "carers", "carers.csv", short)
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    for column in ("occupied", "approved_date"):
        assert (
            f"the file has no {column} (the column is missing, or blank in every row), so "
            f"importing it would blank {column} in 2 carers that have one: include the column "
            "with its values (an export of the register has every column)"
        ) in body
    assert "blank postcode" not in body  # no carer has one
    assert list(Carer.rows.values_list("pk", "version")) == versions
    assert not StagedImport.objects.exists()
    same = carers_csv(["H1", "H2"])
    assert check(commissioner, "carers", "carers.csv", same).status_code == 302
    others = short.replace(b"H1,", b"H3,").replace(b"H2,", b"H4,")
    assert check(commissioner, "carers", "carers.csv", others).status_code == 302


def test_a_long_file_name_keeps_its_type(commissioner: Client) -> None:
    """A name longer than the 200 characters kept is shortened in the middle, not cut at the
    end: the file is still read as the CSV it is (it was refused as 'a file without a type')."""
    from sufficiency.web.registers.models import StagedImport

    checked = check(commissioner, "carers", "c" * 250 + ".csv", carers_csv(["H1"]))
    assert checked.status_code == 302
    staged = StagedImport.objects.get()
    assert (len(staged.file_name), staged.file_name[-8:]) == (200, "ccc….csv")


def test_cancelling_or_a_register_changed_since_the_check_imports_nothing(
    commissioner: Client,
) -> None:
    from sufficiency.web.registers.models import StagedImport

    load_carers(commissioner, ["H1"])
    checked = check(commissioner, "carers", "carers.csv", carers_csv(["H7"]))
    assert commissioner.post(checked["Location"] + "cancel/").status_code == 302
    assert active_ids() == ["H1"] and not StagedImport.objects.exists()
    checked = check(commissioner, "carers", "carers.csv", carers_csv(["H7"]))
    commissioner.post(
        "/registers/carers/new/", {"household_id": "H8", "status": "approved", "places": "1"}
    )
    stale = commissioner.post(checked["Location"] + "confirm/", follow=True)
    assert "changed after carers.csv was checked, so nothing was imported" in html.unescape(
        stale.content.decode()
    )
    assert active_ids() == ["H1", "H8"]


def test_confirming_an_import_again_says_so_and_imports_nothing_twice(
    commissioner: Client,
) -> None:
    """The second click of a double click arrives after the first imported the file: it is told
    so (not "page not found"), and the file's rows are there once."""
    checked = check(commissioner, "carers", "carers.csv", carers_csv(["H1", "H2"]))
    first = commissioner.post(checked["Location"] + "confirm/", follow=True)
    assert first.redirect_chain == [("/registers/carers/", 302)]
    again = commissioner.post(checked["Location"] + "confirm/", follow=True)
    assert again.redirect_chain == [("/registers/carers/", 302)]
    assert [str(m) for m in again.context["messages"]] == [
        "This import was already confirmed or cancelled: nothing more was changed."
    ]
    assert active_ids() == ["H1", "H2"]


def test_someone_elses_staged_import_is_not_theirs_to_confirm(
    client_for: Callable[[str], Client],
) -> None:
    mine = client_for("commissioner")
    checked = check(mine, "carers", "carers.csv", carers_csv(["H1"]))
    other = client_for("admin")
    assert other.get(checked["Location"]).status_code == 404
    assert other.post(checked["Location"] + "confirm/").status_code == 404
    assert active_ids() == []


def test_a_row_is_retired_with_a_reason_kept_and_restored_with_its_history(
    commissioner: Client,
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.registers.models import Carer

    load_carers(commissioner, ["H1", "H2"])
    h1 = Carer.objects.get(household_id="H1")
    url = f"/registers/carers/{h1.pk}/retire/"
    blank = commissioner.post(url, {"reason": "  ", "read_version": h1.version})
    assert blank.status_code == 400 and "Enter why this row is retired" in blank.content.decode()
    done = commissioner.post(url, {"reason": "Deregistered 3 March", "read_version": h1.version})
    assert done.status_code == 302
    assert active_ids() == ["H2"]
    listed = commissioner.get("/registers/carers/?retired=1").content.decode()
    assert "Deregistered 3 March" in listed and "H1" in listed
    assert "H1" not in commissioner.get("/registers/carers/export.csv").content.decode()
    # a new row cannot take a retired row's key: it is restored instead
    again = commissioner.post(
        "/registers/carers/new/", {"household_id": "H1", "status": "approved", "places": "1"}
    )
    assert again.status_code == 400
    assert "a retired row has it, restore that row instead" in html.unescape(again.content.decode())
    assert commissioner.post(f"/registers/carers/{h1.pk}/restore/").status_code == 302
    assert active_ids() == ["H1", "H2"]
    history = html.unescape(
        commissioner.get(f"/registers/carers/{h1.pk}/history/").content.decode()
    )
    assert "Retire" in history and "Restore" in history
    assert "retired_reason:  -> Deregistered 3 March" in history
    events = list(
        LogEntry.objects.filter(object_pk=str(h1.pk), content_type__model="carer")
        .order_by("pk")
        .values_list("additional_data__event", flat=True)
    )
    assert events == ["retire", "restore"]


def test_an_edit_is_an_audit_entry_with_before_and_after(commissioner: Client) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.registers.forms import initial_values
    from sufficiency.web.registers.models import Carer

    assert (
        commissioner.post(
            "/registers/carers/new/", {"household_id": "H1", "status": "approved", "places": "2"}
        ).status_code
        == 302
    )
    carer = Carer.objects.get()
    form = {k: v for k, v in initial_values(carer).items() if v not in ("", [])}
    edited = commissioner.post(
        f"/registers/carers/{carer.pk}/edit/", {**form, "places": "4", "read_version": 1}
    )
    assert edited.status_code == 302
    entries = LogEntry.objects.filter(object_pk=str(carer.pk), content_type__model="carer")
    assert [e.action for e in entries.order_by("pk")] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    update = entries.order_by("pk").last()
    assert update is not None
    assert update.changes_dict == {"places": ["2", "4"]}
    assert update.actor.username == "commissioner_user"


def test_an_edit_that_does_not_say_which_version_it_changes_overwrites_nothing(
    commissioner: Client,
) -> None:
    """A form sent without the version it was read at (an old page, a script) is refused with a
    message, not saved over a change made since it was read."""
    from sufficiency.web.registers.forms import initial_values
    from sufficiency.web.registers.models import Carer

    commissioner.post(
        "/registers/carers/new/", {"household_id": "H1", "status": "approved", "places": "2"}
    )
    carer = Carer.objects.get()
    form = {k: v for k, v in initial_values(carer).items() if v not in ("", [])}
    carer.postcode = "HR9 9ZZ"  # someone else's change, saved after the form was read
    assert carer.save_versioned(1)
    stale = commissioner.post(f"/registers/carers/{carer.pk}/edit/", {**form, "places": "4"})
    assert stale.status_code == 400
    assert (
        "This form did not say which version of the row it was read from, so nothing was saved: "
        "reload the row and make your change again." in html.unescape(stale.content.decode())
    )
    assert Carer.objects.values_list("postcode", "places", "version").get() == ("HR9 9ZZ", 2, 2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "99999999999999999999",
            "places: outside the allowed range '99999999999999999999' (expected a whole number from 0 to 50)",
        ),
        ("-1", "places: outside the allowed range '-1' (expected a whole number from 0 to 50)"),
    ],
)
def test_an_out_of_range_number_is_a_named_form_error_not_a_server_error(
    commissioner: Client, value: str, message: str
) -> None:
    from sufficiency.web.registers.models import Carer

    response = commissioner.post(
        "/registers/carers/new/", {"household_id": "H1", "status": "approved", "places": value}
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "govuk-error-summary" in body and message in body
    assert not Carer.rows.exists()


def test_a_register_is_searched_and_paged(commissioner: Client) -> None:
    load_carers(commissioner, [f"H{i:03d}" for i in range(120)])
    first = commissioner.get("/registers/carers/").content.decode()
    assert "120 rows, page 1 of 3" in first and "H049" in first and "H050" not in first
    third = commissioner.get("/registers/carers/?page=3").content.decode()
    assert "H119" in third and "H099" not in third
    found = commissioner.get("/registers/carers/?q=h11").content.decode()
    assert "10 rows matching" in html.unescape(found)
    assert "H110" in found and "H009" not in found


def test_vacancies_reimport_when_allocations_exist(
    client_for: Callable[[str], Client], users: dict[str, Any]
) -> None:
    from sufficiency.ingest.registers import csv_text
    from sufficiency.web.matching.models import Allocation, Referral
    from sufficiency.web.registers.models import Vacancy
    from sufficiency.web.registers.store import register_frame

    client = client_for("home_finder")
    rows = "vacancy_id,provider_kind,provider_id,placement_type,places,available_from\n"
    rows += "V1,in_house_carer,H1,in_house_fostering,2,2024-04-01\n"
    rows += "V2,in_house_carer,H2,in_house_fostering,1,2024-04-01\n"
    checked = check(client, "vacancies", "vacancies.csv", rows.encode())
    assert client.post(checked["Location"] + "confirm/").status_code == 302
    Allocation.objects.create(
        referral=Referral.objects.create(referral_id="R1", data={}), vacancy_id="V1", slot=1
    )
    again = csv_text("vacancies", register_frame("vacancies")).encode()
    checked = check(client, "vacancies", "vacancies.csv", again)
    assert checked.status_code == 302
    assert "Replaces 2 vacancies with 2: 2 unchanged" in html.unescape(
        client.get(checked["Location"]).content.decode()
    )
    assert client.post(checked["Location"] + "confirm/").status_code == 302
    assert sorted(Vacancy.objects.values_list("vacancy_id", flat=True)) == ["V1", "V2"]
    # the allocated vacancy cannot be retired; the other can
    v1 = Vacancy.objects.get(vacancy_id="V1")
    refused = client.post(
        f"/registers/vacancies/{v1.pk}/retire/", {"reason": "closed", "read_version": v1.version}
    )
    assert refused.status_code == 302 and Vacancy.objects.filter(vacancy_id="V1").exists()
