"""Uploading returns (validated by the library, landing whole or not at all), child records and
their audit trail, retention, backup and restore."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

PROFILE = """name = "Test Council"
code = "E06000019"
region = "West Midlands"
neighbours = ["E10000028", "E10000034", "E10000013"]

[population_under_18]
"2024" = 36000
"""
HEADER = b"""CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
C0001,1,01/05/2012,WBRI,A123456789012,,
C0002,2,15/09/2008,WBRI,A123456789013,,
"""
EPISODES = b"""CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
C0001,01/06/2023,S,C2,N1,U4,PR1,,,,HR1 2AB,HR4 9AA,
C0002,10/10/2023,S,V2,N2,K2,PR4,15/02/2024,E8,,HR2 6AA,WR1 1AA,SC123456
"""


@pytest.fixture
def profile(db: None) -> None:
    from sufficiency.web.data.models import CouncilProfile

    CouncilProfile.objects.create(toml=PROFILE)


def _upload(client: Client, year: int, files: dict[str, bytes]) -> str:
    """Upload and, when the files pass the checks, confirm them; the page the user ends on."""
    payload = [
        SimpleUploadedFile(name, content, content_type="text/csv")
        for name, content in files.items()
    ]
    response = client.post("/data/", {"year": str(year), "files": payload})
    if response.status_code == 302:
        response = client.post(response["Location"] + "confirm/", follow=True)
    assert response.status_code == 200
    return str(response.content.decode())


def _load(files: dict[str, bytes]) -> None:
    """Load one return as an upload confirmed by an analyst would."""
    from sufficiency.web.data import returns
    from sufficiency.web.operations import create_user

    create_user("loader", "analyst", "loader-password-12345")
    from django.contrib.auth.models import User

    checked, staged = returns.stage(files, User.objects.get(username="loader"))
    assert staged is not None, checked.problems
    returns.confirm(staged, staged.created_by)


def test_upload_with_an_error_names_it_and_saves_nothing(
    profile: None, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data.models import Episode, ReturnYear

    bad = EPISODES.replace(b"15/02/2024", b"31/02/2024")
    body = _upload(client_for("analyst"), 2024, {"header.csv": HEADER, "episodes.csv": bad})
    assert "was not loaded" in body and "Nothing was saved" in body
    assert "episodes.csv" in body and "DEC" in body and "31/02/2024" in body
    assert ReturnYear.objects.count() == 0 and Episode.objects.count() == 0


def test_good_upload_lands_whole(profile: None, client_for: Callable[[str], Client]) -> None:
    from sufficiency.web.data.models import Child, Episode, ReturnYear

    _upload(client_for("analyst"), 2024, {"header.csv": HEADER, "episodes.csv": EPISODES})
    year = ReturnYear.objects.get()
    assert (year.year, year.children, year.episodes) == (2024, 2, 2)
    assert Child.objects.count() == 2
    ep = Episode.objects.get(child="C0002")
    assert (ep.decom, ep.dec, ep.place, ep.urn) == (
        dt.date(2023, 10, 10),
        dt.date(2024, 2, 15),
        "K2",
        "SC123456",
    )


def test_dataset_rebuilt_from_the_database_equals_the_files(profile: None, tmp_path: Path) -> None:
    from sufficiency.ingest import load_data
    from sufficiency.web import bridge

    _load({"header.csv": HEADER, "episodes.csv": EPISODES})
    folder = tmp_path / "DATA" / "ssda903" / "2024"
    folder.mkdir(parents=True)
    (tmp_path / "DATA" / "la.toml").write_text(PROFILE)
    (folder / "header.csv").write_bytes(HEADER)
    (folder / "episodes.csv").write_bytes(EPISODES)
    from_files = load_data(tmp_path / "DATA").dataset
    from_db = bridge.current_dataset().dataset
    assert from_files is not None and from_db is not None
    assert from_db.episodes.equals(from_files.episodes)
    assert from_db.children.equals(from_files.children)


def test_viewing_a_child_record_is_audited(
    profile: None, users: dict[str, object], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    _load({"header.csv": HEADER, "episodes.csv": EPISODES})
    before = dt.datetime.now(dt.UTC)
    response = client_for("analyst").get("/data/children/C0002/")
    assert response.status_code == 200
    assert "SC123456" in response.content.decode()
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_repr="child C0002").get()
    # the list of children is child-level data too
    assert client_for("analyst").get("/data/children/", {"q": "C00"}).status_code == 200
    listed = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_repr="children list (search 'C00')"
    ).get()
    assert listed.actor == users["analyst"]
    assert entry.actor == users["analyst"]
    assert entry.object_repr == "child C0002"
    assert entry.timestamp >= before
    # and the admin can find it in the audit log search
    page = client_for("admin").get("/audit/", {"q": "C0002"}).content.decode()
    assert "analyst_user" in page and "child C0002" in page


def test_retention_deletes_old_returns_with_an_audit_entry(profile: None) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.data.models import Episode, ReturnArchive, ReturnYear
    from sufficiency.web.operations import apply_retention

    _load({"header.csv": HEADER, "episodes.csv": EPISODES})
    _load({"header.csv": HEADER, "episodes.csv": EPISODES})  # the first version is archived
    assert ReturnArchive.objects.count() == 1
    assert apply_retention(7, today=dt.date(2030, 4, 1)) == []
    before = set(LogEntry.objects.values_list("pk", flat=True))
    assert apply_retention(5, today=dt.date(2030, 4, 1)) == [2024]
    assert not ReturnYear.objects.exists() and not Episode.objects.exists()
    assert not ReturnArchive.objects.exists()  # earlier versions hold child records too
    # one entry for the return and one for its earlier version, none per child or episode row
    new = LogEntry.objects.exclude(pk__in=before)
    assert sorted(e.content_type.model for e in new) == ["returnarchive", "returnyear"]
    assert all("older than 5 years" in str(e.changes) for e in new)


def test_backup_and_restore_round_trip(
    profile: None, users: dict[str, object], tmp_path: Path
) -> None:
    from sufficiency.web.data.models import Episode, ReturnYear
    from sufficiency.web.operations import backup, counts, restore

    _load({"header.csv": HEADER, "episodes.csv": EPISODES})
    before = counts()
    zip_path = tmp_path / "backup.zip"
    backup(zip_path)
    ReturnYear.objects.all().delete()
    assert Episode.objects.count() == 0
    after = restore(zip_path)
    assert after == before
    assert Episode.objects.filter(child="C0002", urn="SC123456").count() == 1


@pytest.mark.slow
def test_a_council_imported_into_the_database_gives_back_the_same_dataset(loaded: Path) -> None:
    """Returns and every register survive the database: rebuilt frames equal the files' frames."""
    from sufficiency.ingest import load_data
    from sufficiency.web import bridge

    from_files = load_data(loaded).dataset
    from_db = bridge.current_dataset().dataset
    assert from_files is not None and from_db is not None
    assert from_db.returns == from_files.returns
    assert dict(from_db.narrative) == dict(from_files.narrative) != {}
    assert from_db.episodes.equals(from_files.episodes)
    assert from_db.children.equals(from_files.children)
    assert sorted(from_db.registers) == sorted(from_files.registers)
    for name, frame in from_files.registers.items():
        rebuilt = from_db.registers[name]
        assert rebuilt.select(frame.columns).equals(frame), name
