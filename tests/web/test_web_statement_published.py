"""Publishing the statement in the workspace: a director publishes the approved statement after
a confirmation page, each publish is kept as a numbered version whose stored files (and their
SHA-256) never change, every publish and download is audited, and nobody else publishes.

The PDF renderer is replaced by a fast one that writes the statement HTML's hash (WeasyPrint
takes about 12 s of CPU per statement; tests/report check the real PDF): which files are stored
and whether their bytes change is what is tested here, not how a PDF is drawn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

FORMATS = ("html", "pdf", "xlsx", "json")
PUBLISH = "/statement/publish/2024/"


def _fast_pdf(html_text: str, target: Path) -> None:
    target.write_bytes(b"%PDF-1.7 " + hashlib.sha256(html_text.encode()).hexdigest().encode())


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _published(event: str) -> list[Any]:
    from auditlog.models import LogEntry

    from sufficiency.web.dashboard.models import PublishedStatement

    return [
        e
        for e in LogEntry.objects.filter(object_repr__contains="statement 2024 version").order_by(
            "pk"
        )
        if (e.additional_data or {}).get("event") == event
        and e.content_type.model_class() is PublishedStatement
    ]


def _data_version(page: Any) -> str:
    return str(page.context["data_version"])


@pytest.mark.slow
def test_a_director_publishes_the_approved_statement_and_each_version_is_kept(
    loaded: Path,
    client_for: Callable[[str], Client],
    users: dict[str, Any],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sufficiency.report import render
    from sufficiency.web.dashboard.models import (
        PublishedFile,
        PublishedStatement,
        PublishedVersionIsFinal,
    )
    from sufficiency.web.dashboard.statement_views import statement_folder

    monkeypatch.setattr(render, "render_pdf", _fast_pdf)
    director, commissioner, viewer = (client_for(r) for r in ("director", "commissioner", "viewer"))

    # the imported approval is withdrawn: publishing is refused, saying why, and nothing is built
    withdrawn = commissioner.post(
        "/statement/narrative/sign_off/",
        {"text": "The statement is reviewed each year.\n", "read_version": "1"},
    )
    assert withdrawn.status_code == 302
    confirm = director.get(PUBLISH)
    assert confirm.status_code == 200 and 'id="publish"' not in confirm.content.decode()
    refused = director.post(PUBLISH, {"data_version": _data_version(confirm)})
    assert refused.status_code == 409
    assert refused.context["problem"] == (
        "This statement cannot be published: it has not been approved (the sign-off has no "
        "'Approved by' or 'Approved on'). Record who approved it and when under 'Sign-off and "
        "review' on the statement page, then publish."
    )
    assert "it has not been approved" in refused.content.decode()
    assert not PublishedStatement.objects.exists()
    assert not statement_folder(2024, "publish").exists()

    # approved on the web; the confirmation page says what will be published
    approve = {
        "approved_by": "Director of Children's Services",
        **{f"approved_on_{i}": v for i, v in enumerate(("30", "6", "2025"))},
        **{f"next_review_{i}": v for i, v in enumerate(("30", "6", "2026"))},
        "read_version": "2",
    }
    assert commissioner.post("/statement/sign-off/", approve).status_code == 302
    # (the statement page is seen once the narrative is final: each change loads the data anew)
    page = director.get("/statement/").content.decode()
    assert 'href="/statement/publish/2024/"' in page and 'href="/statement/published/"' in page
    assert 'href="/statement/publish/2024/"' not in commissioner.get("/statement/").content.decode()
    confirm = director.get(PUBLISH)
    body = confirm.content.decode()
    key = _data_version(confirm)
    assert key == statement_folder(2024, "publish").parent.name
    for shown in (
        "Year ending 31 March 2024, version 1",
        "Director of Children&#x27;s Services",
        "30 June 2025",
        "by commissioner_user",
        f"<code>{key}</code>",
        "Web page (HTML), PDF, Workbook (XLSX), Data (JSON)",
    ):
        assert shown in body, shown

    # the files are built in the background: a page that asks again, nothing published yet
    settings.STATEMENT_WAIT_SECONDS = 0
    waiting = director.post(PUBLISH, {"data_version": key})
    assert waiting.status_code == 202
    assert waiting["Refresh"] == f"5; url={PUBLISH}?waiting=1"
    assert not PublishedStatement.objects.exists()
    settings.STATEMENT_WAIT_SECONDS = 300
    done = director.post(PUBLISH, {"data_version": key})
    assert (done.status_code, done["Location"]) == (302, "/statement/published/")
    (v1,) = PublishedStatement.objects.all()
    assert (v1.year, v1.number, v1.published_by, v1.data_version) == (
        2024,
        1,
        users["director"],
        key,
    )
    assert (v1.approved_by, str(v1.approved_on), v1.approval_recorded_by) == (
        "Director of Children's Services",
        "2025-06-30",
        "commissioner_user",
    )
    # the bytes the publish-mode download gives, each with its hash
    built = statement_folder(2024, "publish")
    first = {f.format: bytes(f.content) for f in PublishedFile.objects.filter(statement=v1)}
    assert first == {fmt: (built / f"statement.{fmt}").read_bytes() for fmt in FORMATS}
    assert {f.format: f.sha256 for f in v1.files.all()} == {k: _sha(b) for k, b in first.items()}
    # the waiting page's refresh, once the files are there, offers the next version
    ready = director.get(f"{PUBLISH}?waiting=1")
    assert ready.status_code == 200 and ready.context["ready"] is True
    assert "Year ending 31 March 2024, version 2 (version 1 was published on" in (
        ready.content.decode()
    )
    download = viewer.get("/statement/2024/publish/json/")
    assert b"".join(download.streaming_content) == first["json"]
    listed = viewer.get("/statement/published/").content.decode()
    assert "2024 statement, version 1" in listed and "by director_user" in listed
    for fmt, content in first.items():
        assert _sha(content) in listed and f'href="/statement/published/{v1.pk}/{fmt}/"' in listed

    # the narrative changes: a page opened before the change publishes nothing
    foreword = {"text": "Our promise to every child in our care.\n", "read_version": "0"}
    assert commissioner.post("/statement/narrative/foreword/", foreword).status_code == 302
    stale = director.post(PUBLISH, {"data_version": key})
    assert (
        stale.status_code == 409 and "The data or the narrative changed" in stale.context["problem"]
    )
    assert PublishedStatement.objects.count() == 1
    # confirmed again, it is version 2, listed first
    key2 = _data_version(director.get(PUBLISH))
    assert key2 != key
    assert director.post(PUBLISH, {"data_version": key2}).status_code == 302
    v2 = PublishedStatement.objects.get(number=2)
    second = {f.format: bytes(f.content) for f in PublishedFile.objects.filter(statement=v2)}
    assert "Our promise to every child" in json.dumps(json.loads(second["json"]))
    assert "Our promise to every child" not in json.dumps(json.loads(first["json"]))
    listed = viewer.get("/statement/published/").content.decode()
    assert listed.index("2024 statement, version 2") < listed.index("2024 statement, version 1")
    settings.LIST_PAGE_SIZE = 1
    paged = viewer.get("/statement/published/?page=2").content.decode()
    assert "2024 statement, version 1" in paged and "version 2" not in paged

    # version 1's files are still its own bytes
    assert [fmt for fmt in FORMATS if first[fmt] != second[fmt]] == list(FORMATS)
    for fmt in FORMATS:
        got = viewer.get(f"/statement/published/{v1.pk}/{fmt}/")
        assert got.status_code == 200 and got.content == first[fmt], fmt
        assert _sha(got.content) == v1.files.get(format=fmt).sha256, fmt
        assert got["Content-Disposition"] == (
            f'attachment; filename="sufficiency-statement-2024-version-1.{fmt}"'
        )

    # every publish and every download is in the audit log
    publishes = _published("statement published")
    assert [(e.actor, e.additional_data["version"]) for e in publishes] == [
        (users["director"], 1),
        (users["director"], 2),
    ]
    assert publishes[0].additional_data["sha256"] == {k: _sha(b) for k, b in first.items()}
    downloads = _published("download")
    assert [(e.actor, e.object_repr) for e in downloads] == [
        (users["viewer"], f"published statement 2024 version 1 ({fmt})") for fmt in FORMATS
    ]

    # a version cannot be changed or deleted, and a changed file is not sent
    with pytest.raises(PublishedVersionIsFinal):
        v1.save()
    with pytest.raises(PublishedVersionIsFinal):
        v1.delete()
    PublishedFile.objects.filter(statement=v1, format="json").update(content=b"{}")
    tampered = viewer.get(f"/statement/published/{v1.pk}/json/")
    assert tampered.status_code == 500
    assert "no longer matches the fingerprint" in tampered.content.decode()


def test_roles_that_may_not_publish_are_refused_and_nothing_is_stored(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.accounts.roles import CAPABILITIES, ROLES
    from sufficiency.web.dashboard.models import PublishedStatement

    refused = [r for r in ROLES if r not in CAPABILITIES["statement_publish"]]
    assert refused == [
        "analyst",
        "home_finder",
        "commissioner",
        "viewer",
        "fostering_manager",
        "regional",
    ]
    for role in refused:
        client = client_for(role)
        assert client.get(PUBLISH).status_code == 403, role
        assert client.post(PUBLISH, {"data_version": "0" * 16}).status_code == 403, role
    assert not PublishedStatement.objects.exists()
    # who may read statements may read the published ones; a home finder may not
    assert client_for("viewer").get("/statement/published/").status_code == 200
    assert client_for("home_finder").get("/statement/published/").status_code == 403


def test_backup_and_restore_keep_the_published_versions_byte_for_byte(
    users: dict[str, Any], tmp_path: Path
) -> None:
    """A restore loads the versions without ``save`` and empties the tables without ``delete``,
    which a published version refuses."""
    import datetime as dt

    from django.utils import timezone

    from sufficiency.web.dashboard.models import PublishedFile, PublishedStatement
    from sufficiency.web.operations import backup, restore

    version = PublishedStatement.objects.create(
        year=2024,
        number=1,
        published_at=timezone.now(),
        published_by=users["director"],
        published_by_name="director_user",
        approved_by="Corporate Parenting Board",
        approved_on=dt.date(2025, 6, 30),
        data_version="0123456789abcdef",
    )
    content = bytes(range(256)) * 4  # every byte value, as a PDF has
    PublishedFile.objects.create(
        statement=version, format="pdf", content=content, sha256=_sha(content), size=len(content)
    )
    backup(tmp_path / "backup.zip")
    PublishedFile.objects.all().delete()
    PublishedStatement.objects.all().delete()
    counts = restore(tmp_path / "backup.zip")
    assert counts["web_dashboard.PublishedStatement"] == counts["web_dashboard.PublishedFile"] == 1
    stored = PublishedFile.objects.get()
    assert bytes(stored.content) == content and stored.sha256 == _sha(content)
    assert stored.statement.published_by.get_username() == "director_user"
