"""The audit log: views, downloads and exports of child-level records are recorded; the admin
searches it (text, action, person, dates), pages through it and exports it as formula-safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client


def _entry(repr_: str, action: int, actor: Any = None, **changes: list[object]) -> Any:
    from django.contrib.auth.models import User

    from sufficiency.web.audited import record

    return record(User, repr_, action, actor=actor, changes=changes or None)


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_audit_log_is_searched_by_text_action_person_and_dates(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    _entry("child C0042", LogEntry.Action.ACCESS, users["analyst"])
    _entry("2023-24 return", LogEntry.Action.UPDATE, users["admin"], episodes=[858, 290])
    old = _entry("child C0042", LogEntry.Action.ACCESS, users["home_finder"])
    LogEntry.objects.filter(pk=old.pk).update(timestamp=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC))
    admin = client_for("admin")
    found = admin.get("/audit/", {"q": "C0042"}).content.decode()
    assert "2 entries" in found and "analyst_user" in found and "home_finder_user" in found
    assert "2023-24 return" not in found
    changed = admin.get("/audit/", {"q": "290"}).content.decode()  # the counts are searchable
    assert "2023-24 return" in changed and "episodes: 858 -&gt; 290" in changed
    viewed = admin.get("/audit/", {"q": "C0042", "who": "analyst_user"}).content.decode()
    assert "1 entry" in viewed and "home_finder_user" not in viewed
    updates = admin.get("/audit/", {"action": "update"}).content.decode()
    assert "2023-24 return" in updates and "child C0042" not in updates
    dated = admin.get("/audit/", {"q": "C0042", "until": "2025-12-31"}).content.decode()
    assert "1 entry" in dated and "home_finder_user" in dated and "analyst_user" not in dated
    reversed_dates = admin.get("/audit/", {"since": "2026-02-01", "until": "2026-01-01"})
    assert reversed_dates.status_code == 400
    assert "The &#x27;To&#x27; date must be on or after the &#x27;From&#x27; date." in (
        reversed_dates.content.decode()
    )


def test_the_audit_log_is_paged(users: dict[str, Any], client_for: Callable[[str], Client]) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.audit_log import PER_PAGE

    for i in range(PER_PAGE + 5):
        _entry(f"child P{i:04d}", LogEntry.Action.ACCESS, users["analyst"])
    admin = client_for("admin")
    first = admin.get("/audit/", {"q": "child P"}).content.decode()
    assert f"{PER_PAGE + 5} entries, page 1 of 2" in first
    assert "child P0104" in first and "child P0000" not in first  # newest first
    second = admin.get("/audit/", {"q": "child P", "page": "2"}).content.decode()
    assert "child P0000" in second and "child P0104" not in second


def test_the_export_is_every_match_formula_safe_and_itself_audited(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.audit_log import PER_PAGE

    for i in range(PER_PAGE + 1):
        _entry(f"child E{i:04d}", LogEntry.Action.ACCESS, users["analyst"])
    _entry('=HYPERLINK("http://x.example","open")', LogEntry.Action.UPDATE, users["analyst"])
    response = client_for("admin").get("/audit/export.csv", {"q": "E0"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    rows = _csv(response)
    assert rows[0] == [
        "when",
        "who",
        "action",
        "record type",
        "record id",
        "record",
        "changes",
        "details",
        "from",
    ]
    assert len(rows) == 1 + PER_PAGE + 1  # every match, not one page
    formula = _csv(client_for("admin").get("/audit/export.csv", {"q": "HYPERLINK"}))
    assert formula[1][5] == '\'=HYPERLINK("http://x.example","open")'
    export = LogEntry.objects.get(object_repr__startswith="audit log export (101 entries")
    assert export.actor == users["admin"] and export.action == LogEntry.Action.ACCESS
    assert client_for("analyst").get("/audit/export.csv").status_code == 403


def test_register_exports_are_audited(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    response = client_for("commissioner").get("/registers/carers/export.csv")
    assert response.status_code == 200
    entry = LogEntry.objects.get(object_repr="carers register export (csv)")
    assert entry.actor == users["commissioner"] and entry.action == LogEntry.Action.ACCESS
    assert entry.additional_data["event"] == "download"


@pytest.mark.slow
def test_internal_statement_downloads_are_audited(
    loaded: Path, users: dict[str, Any], client_for: Callable[[str], Client], settings: Any
) -> None:
    from auditlog.models import LogEntry

    settings.STATEMENT_WAIT_SECONDS = 600  # the file, never "being prepared" on a busy machine
    response = client_for("analyst").get("/statement/2024/internal/json/")
    assert response.status_code == 200
    entry = LogEntry.objects.get(object_repr="statement 2024 internal (json)")
    assert entry.actor == users["analyst"] and entry.content_type.model == "returnyear"
    assert entry.additional_data["mode"] == "internal"
