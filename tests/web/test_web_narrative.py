"""The council's narrative and sign-off in the web workspace: imported with a data folder,
written back to the folder the statement is built from, edited on the statement page (audited,
never overwriting someone else's save), and required before a statement is published."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

SIGN_OFF_FILE = Path("narrative") / "sign_off.md"


def _council_copy(small_council: Path, tmp_path: Path, **files: str | None) -> Path:
    """The synthetic council with narrative files added (text) or removed (None)."""
    folder = tmp_path / "DATA"
    shutil.copytree(small_council, folder)
    for name, text in files.items():
        path = folder / "narrative" / f"{name}.md"
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def _import(folder: Path) -> list[Any]:
    from sufficiency.web.bridge import import_data_folder

    return import_data_folder(folder)


def _entries(event: str) -> list[Any]:
    from auditlog.models import LogEntry

    return [
        e
        for e in LogEntry.objects.order_by("pk")
        if (e.additional_data or {}).get("event") == event
    ]


def _sign_off_post(version: int, **fields: str) -> dict[str, str]:
    data = {
        "approved_by": "Director of Children's Services",
        "approved_on_0": "30",
        "approved_on_1": "6",
        "approved_on_2": "2025",
        "next_review_0": "30",
        "next_review_1": "6",
        "next_review_2": "2026",
        "read_version": str(version),
    }
    data.update(fields)
    return data


# ------------------------------------------------------------------------------ import, export
def test_the_synthetic_councils_sign_off_lands_with_its_import(
    loaded: Path, users: dict[str, object], tmp_path: Path
) -> None:
    from sufficiency.web import bridge
    from sufficiency.web.data.models import Narrative

    text = (loaded / SIGN_OFF_FILE).read_text(encoding="utf-8")
    assert list(Narrative.objects.values_list("section", "text")) == [("sign_off", text)]
    # written back as the same file, and so into the web's Dataset
    out = bridge.export_data_folder(tmp_path / "OUT")
    assert sorted(p.name for p in (out / "narrative").iterdir()) == ["sign_off.md"]
    assert (out / SIGN_OFF_FILE).read_text(encoding="utf-8") == text
    ds = bridge.current_dataset().dataset
    assert ds is not None and dict(ds.narrative) == {"sign_off": text}
    imported = _entries("narrative imported")
    assert [e.object_repr for e in imported] == ["narrative/sign_off.md"]
    # the import's one summary names the section among its changes
    (summary,) = _entries("data folder imported")
    assert summary.changes_dict["narrative/sign_off.md"] == [None, len(text)]


def test_importing_again_replaces_the_sections_it_has_and_keeps_the_others(
    db: None, small_council: Path, tmp_path: Path
) -> None:
    from sufficiency.web.data.models import Narrative

    first = _council_copy(small_council, tmp_path / "a", foreword="Our first foreword.\n")
    assert all(r.ok for r in _import(first))
    second = _council_copy(small_council, tmp_path / "b")
    (second / "narrative" / "partnerships.md").write_text("We work with three neighbours.\n")
    assert all(r.ok for r in _import(second))
    assert dict(Narrative.objects.values_list("section", "text")) == {
        "foreword": "Our first foreword.\n",
        "partnerships": "We work with three neighbours.\n",
        "sign_off": (small_council / SIGN_OFF_FILE).read_text(encoding="utf-8"),
    }
    # unchanged files write no new entries; each new or changed one writes one
    assert sorted(e.object_repr for e in _entries("narrative imported")) == [
        "narrative/foreword.md",
        "narrative/partnerships.md",
        "narrative/sign_off.md",
    ]


def test_a_folder_whose_sign_off_does_not_read_is_refused_whole(
    db: None, small_council: Path, tmp_path: Path
) -> None:
    from sufficiency.web.data.models import Narrative, ReturnYear

    folder = _council_copy(
        small_council,
        tmp_path,
        sign_off="Approved by: Board\nApproved on: 31/02/2026\nNext review: 2027-01-01\n",
    )
    (result,) = _import(folder)
    assert not result.ok
    errors = [p for p in result.problems if p.severity == "error"]
    assert [(p.code, p.file, p.row, p.column, p.value) for p in errors] == [
        ("sign_off_invalid", "narrative/sign_off.md", 2, "Approved on", "31/02/2026")
    ]
    assert "expected a date as YYYY-MM-DD or DD/MM/YYYY" in errors[0].message
    assert not ReturnYear.objects.exists() and not Narrative.objects.exists()


def test_backup_and_restore_keep_the_narrative(
    loaded: Path, users: dict[str, object], tmp_path: Path
) -> None:
    from sufficiency.web.data.models import Narrative
    from sufficiency.web.data.narrative import save_section
    from sufficiency.web.operations import backup, counts, restore

    assert save_section("foreword", "Kept in the backup.", 0, users["analyst"])
    before = counts()
    assert before["web_data.Narrative"] == 2
    backup(tmp_path / "backup.zip")
    Narrative.objects.all().delete()
    assert restore(tmp_path / "backup.zip") == before
    row = Narrative.objects.get(section="foreword")
    assert row.text == "Kept in the backup." and row.updated_by.get_username() == "analyst_user"


# ------------------------------------------------------------------------------ permissions
@pytest.mark.parametrize("role", ["admin", "analyst", "commissioner"])
def test_writers_see_and_use_the_narrative_forms(
    loaded: Path, client_for: Callable[[str], Client], role: str
) -> None:
    client = client_for(role)
    page = client.get("/statement/").content.decode()
    assert 'id="narrative"' in page and 'href="/statement/sign-off/"' in page
    # every registered section and every prose-only one is listed, the sign-off apart
    from sufficiency.report.narrative import known_ids

    for section in known_ids():
        if section != "sign_off":
            assert f'href="/statement/narrative/{section}/"' in page, section
    assert "Director of Children&#x27;s Services" in page  # the imported approval
    for url in ("/statement/sign-off/", "/statement/narrative/foreword/"):
        assert client.get(url).status_code == 200
    assert client.get("/statement/narrative/sign_off/history/").status_code == 200


@pytest.mark.parametrize("role", ["viewer", "home_finder"])
def test_other_roles_see_no_form_and_change_nothing(
    loaded: Path, client_for: Callable[[str], Client], role: str
) -> None:
    from sufficiency.web.data.models import Narrative

    client = client_for(role)
    page = client.get("/statement/")
    if role == "viewer":  # the statement itself, without the narrative area
        body = page.content.decode()
        assert page.status_code == 200
        assert "Narrative and sign-off" not in body and "/statement/sign-off/" not in body
    else:
        assert page.status_code == 403
    before = list(Narrative.objects.values_list("section", "text", "version"))
    assert client.get("/statement/sign-off/").status_code == 403
    assert client.post("/statement/sign-off/", _sign_off_post(1)).status_code == 403
    posted = client.post("/statement/narrative/foreword/", {"text": "x", "read_version": "0"})
    assert posted.status_code == 403
    assert client.get("/statement/narrative/sign_off/history/").status_code == 403
    assert list(Narrative.objects.values_list("section", "text", "version")) == before


def test_a_section_the_statement_does_not_know_is_not_found(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    client = client_for("analyst")
    assert client.get("/statement/narrative/no_such_section/").status_code == 404
    assert client.get("/statement/narrative/no_such_section/history/").status_code == 404


# ------------------------------------------------------------------------------ sign-off form
@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"approved_by": " ", "approved_on_0": "", "approved_on_1": "", "approved_on_2": "",
             "next_review_0": "", "next_review_1": "", "next_review_2": ""},
            ["Enter who approved the statement", "Enter the date approved", "Enter the next review"],
        ),
        (
            {"approved_on_1": "", "approved_on_2": ""},
            ["Date approved must include a month", "Date approved must include a year"],
        ),
        ({"approved_on_0": "31", "approved_on_1": "2"}, ["Date approved must be a real date"]),
        ({"next_review_1": "June"}, ["Next review must be a real date"]),
        ({"approved_on_2": "25"}, ["Year of the date approved must include 4 numbers"]),
        ({"next_review_2": "2025"}, ["The next review must be after the date approved"]),
        ({"next_review_2": "2024"}, ["The next review must be after the date approved"]),
    ],
)  # fmt: skip
def test_the_sign_off_form_names_each_error_and_saves_nothing(
    loaded: Path, client_for: Callable[[str], Client], fields: dict[str, str], errors: list[str]
) -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from sufficiency.web.data.models import Narrative

    client = client_for("commissioner")
    about = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Narrative))
    before = (list(Narrative.objects.values_list("text", "version")), about.count())
    response = client.post("/statement/sign-off/", _sign_off_post(1, **fields))
    assert response.status_code == 400
    form = response.context["form"]
    found = [str(m) for field in form for m in field.errors]
    assert found == errors
    body = response.content.decode()
    assert "govuk-error-summary" in body
    for message in errors:
        assert message in body
    assert (list(Narrative.objects.values_list("text", "version")), about.count()) == before


def test_the_sign_off_form_shows_the_approval_and_replaces_only_its_lines(
    loaded: Path, client_for: Callable[[str], Client], users: dict[str, object]
) -> None:
    from sufficiency.report.sign_off import parse_sign_off
    from sufficiency.web import bridge
    from sufficiency.web.data.models import Narrative

    client = client_for("commissioner")
    form = client.get("/statement/sign-off/").context["form"]
    assert form.initial["approved_by"] == "Director of Children's Services"
    assert str(form.initial["approved_on"]) == "2024-06-30"
    assert str(form.initial["next_review"]) == "2025-06-30"
    revision = bridge.revision()
    response = client.post(
        "/statement/sign-off/",
        _sign_off_post(
            1, approved_by="Corporate Parenting Board", next_review_0="1", next_review_1="7"
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/statement/#narrative"
    row = Narrative.objects.get(section="sign_off")
    assert row.text == (
        "The statement was agreed by the Corporate Parenting Board and is reviewed each year.\n\n"
        "Approved by: Corporate Parenting Board\n"
        "Approved on: 2025-06-30\n"
        "Next review: 2026-07-01\n"
    )
    assert (row.version, row.updated_by) == (2, users["commissioner"])
    signed = parse_sign_off(row.text)
    assert (signed.approved_by, str(signed.approved_on), str(signed.next_review)) == (
        "Corporate Parenting Board",
        "2025-06-30",
        "2026-07-01",
    )
    assert bridge.revision() != revision  # the next statement is built afresh
    (entry,) = _entries("sign-off changed")
    assert entry.actor == users["commissioner"]
    assert entry.object_repr == "narrative/sign_off.md"
    changes = entry.changes_dict
    assert changes["approved_by"] == [
        "Director of Children's Services",
        "Corporate Parenting Board",
    ]
    assert changes["approved_on"] == ["2024-06-30", "2025-06-30"]
    assert changes["next_review"] == ["2025-06-30", "2026-07-01"]
    # the history shows the new version and the imported one
    history = client.get("/statement/narrative/sign_off/history/").content.decode()
    assert history.index("Sign-off changed") < history.index("Narrative imported")
    assert "Approved by: Corporate Parenting Board" in history


# ------------------------------------------------------------------------------ section edits
def test_a_section_edit_is_saved_audited_and_never_overwrites_another(
    loaded: Path, client_for: Callable[[str], Client], users: dict[str, object]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.data.models import Narrative

    analyst, admin = client_for("analyst"), client_for("admin")
    assert analyst.get("/statement/narrative/foreword/").context["form"].initial == {
        "text": "",
        "read_version": 0,
    }
    saved = analyst.post(
        "/statement/narrative/foreword/", {"text": "Our foreword.\r\n", "read_version": "0"}
    )
    assert saved.status_code == 302
    row = Narrative.objects.get(section="foreword")
    assert (row.text, row.version, row.updated_by) == ("Our foreword.\n", 1, users["analyst"])
    # the admin opened the form before the analyst saved: their save is refused, nothing lost
    late = admin.post("/statement/narrative/foreword/", {"text": "Theirs.", "read_version": "0"})
    assert late.status_code == 409
    assert "Someone else saved this section" in late.content.decode()
    assert Narrative.objects.get(section="foreword").text == "Our foreword.\n"
    # blank removes the section's narrative; the history keeps every version
    removed = analyst.post("/statement/narrative/foreword/", {"text": "  ", "read_version": "1"})
    assert removed.status_code == 302
    assert not Narrative.objects.filter(section="foreword").exists()
    edits = _entries("narrative edited")
    assert [(e.action, e.actor, e.changes_dict["text"]) for e in edits] == [
        (LogEntry.Action.CREATE, users["analyst"], ["", "Our foreword.\n"]),
        (LogEntry.Action.DELETE, users["analyst"], ["Our foreword.\n", ""]),
    ]
    history = analyst.get("/statement/narrative/foreword/history/").content.decode()
    assert history.count("Narrative edited") == 2 and "(removed)" in history


def test_the_sign_off_text_is_checked_when_edited_as_markdown(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data.models import Narrative

    response = client_for("admin").post(
        "/statement/narrative/sign_off/",
        {"text": "Approved by: Board\nApproved on: 2026-01-01\nNext review: 2025-01-01\n",
         "read_version": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert (
        "narrative/sign_off.md line 3: Next review &#x27;2025-01-01&#x27;: expected a date after "
        "the approval (2026-01-01)" in response.content.decode()
    )
    assert Narrative.objects.get(section="sign_off").version == 1


# ------------------------------------------------------------------------------ the statement
@pytest.mark.slow
def test_publishing_needs_the_sign_off_and_shows_the_councils_words(
    db: None,
    small_council: Path,
    tmp_path: Path,
    client_for: Callable[[str], Client],
    settings: Any,
) -> None:
    """A council without a sign-off cannot publish (409 naming it); once a commissioner signs
    off and writes the foreword on the web, the published statement carries both."""
    settings.STATEMENT_WAIT_SECONDS = 300
    folder = _council_copy(
        small_council, tmp_path, sign_off=None, foreword="An imported foreword, to be replaced.\n"
    )
    assert all(r.ok for r in _import(folder))
    viewer, commissioner = client_for("viewer"), client_for("commissioner")
    refused = viewer.get("/statement/2024/publish/json/")
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Governance, sign-off and review" in text and "narrative/sign_off.md" in text
    assert "under 'Narrative and sign-off' on the statement page" in text

    assert commissioner.post("/statement/sign-off/", _sign_off_post(0)).status_code == 302
    edited = commissioner.post(
        "/statement/narrative/foreword/",
        {"text": "Our promise to every child in our care.\n", "read_version": "1"},
    )
    assert edited.status_code == 302
    published = viewer.get("/statement/2024/publish/json/")
    assert published.status_code == 200
    statement = json.loads(b"".join(published.streaming_content))
    dumped = json.dumps(statement)
    assert "Our promise to every child in our care." in dumped
    assert "An imported foreword" not in dumped
    assert (
        "This statement was approved by Director of Children's Services on 30 June 2025. "
        "It will be reviewed by 30 June 2026." in dumped
    )


def test_a_stored_sign_off_that_does_not_read_is_named_not_a_server_error(
    loaded: Path, client_for: Callable[[str], Client], settings: Any
) -> None:
    """Text saved before the checks (or by hand in the database) still gets a clear answer."""
    from sufficiency.web.data.models import Narrative

    settings.STATEMENT_WAIT_SECONDS = 300
    Narrative.objects.filter(section="sign_off").update(text="Approved on: 2025-13-01\n")
    response = client_for("viewer").get("/statement/2024/publish/json/")
    assert response.status_code == 409
    assert response.content.decode().startswith(
        "This statement cannot be built: narrative/sign_off.md line 1: Approved on '2025-13-01': "
        "expected a date as YYYY-MM-DD or DD/MM/YYYY."
    )
    page = client_for("analyst").get("/statement/").content.decode()
    assert "narrative/sign_off.md line 1: Approved on &#x27;2025-13-01&#x27;" in page
