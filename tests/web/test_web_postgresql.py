"""The web suite runs on PostgreSQL, the production database: ``conftest`` starts a throwaway
server per test process and points Django's test database at it."""

from __future__ import annotations

import glob

import pytest
from django.db import connection


@pytest.mark.django_db
def test_web_runs_on_postgresql() -> None:
    assert glob.glob("/usr/lib/postgresql/*/bin/initdb"), (
        "PostgreSQL is not installed: run `bash scripts/install-system.sh` (make test does)"
    )
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select current_setting('server_version_num')::int")
        (version,) = cursor.fetchone()
    assert version >= 130000
