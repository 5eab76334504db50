"""A backup taken while people work restores; a restore that fails leaves the database as it
was, id sequences included (PostgreSQL, as the web suite runs)."""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest


def _add_user(name: str) -> None:
    """A user added from another connection (another worker), committed."""
    from django.contrib.auth.models import User
    from django.db import connection

    def add() -> None:
        try:
            User.objects.create(username=name)
        finally:
            connection.close()

    thread = threading.Thread(target=add)
    thread.start()
    thread.join(timeout=60)


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_rows_are_written_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its manifest counted the tables after the dump: a row written between (an audit entry of
    every child view) made them disagree, and every restore of it was refused."""
    import django.core.management as management
    from django.contrib.auth.models import User

    from sufficiency.web.operations import backup, restore

    real = management.call_command

    def dump_then_someone_writes(name: str, *args: Any, **kwargs: Any) -> Any:
        done = real(name, *args, **kwargs)
        if name == "dumpdata":
            _add_user("meanwhile")
        return done

    monkeypatch.setattr(management, "call_command", dump_then_someone_writes)
    User.objects.create(username="before")
    counted = backup(tmp_path / "b.zip")
    monkeypatch.setattr(management, "call_command", real)
    assert User.objects.count() == 2 and counted["auth.User"] == 1
    assert restore(tmp_path / "b.zip")["auth.User"] == 1
    assert list(User.objects.values_list("username", flat=True)) == ["before"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_restore_leaves_the_id_sequences_as_they_were(tmp_path: Path) -> None:
    """loaddata set PostgreSQL's sequences to the backup's and the rollback kept them: every
    new row then failed on a duplicate id (sign-ins and child views: HTTP 500)."""
    from django.db import connection

    from sufficiency.web.operations import backup, restore
    from sufficiency.web.registers.models import Carer

    assert connection.vendor == "postgresql"

    def carer(name: str) -> Any:
        return Carer.objects.create(household_id=name, status="approved", places=1)

    for i in range(3):
        carer(f"KEPT{i}")
    backup(tmp_path / "b.zip")
    for i in range(4):
        carer(f"LATER{i}")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(tmp_path / "b.zip") as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.namelist():
            content = src.read(item)
            if item == "manifest.json":
                manifest = json.loads(content)
                manifest["counts"]["web_registers.Carer"] += 1
                content = json.dumps(manifest).encode()
            dst.writestr(item, content)
    with pytest.raises(RuntimeError, match="restore verification failed"):
        restore(bad)
    assert Carer.objects.count() == 7
    highest = max(Carer.objects.values_list("pk", flat=True))
    assert carer("NEXT").pk > highest
