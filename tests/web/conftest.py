"""Fixtures for the web tests: users of every role and a small council loaded into the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from sufficiency.web.accounts.roles import ROLES

PASSWORD = "correct-horse-battery-staple-9"


@pytest.fixture
def users(db: None) -> dict[str, object]:
    from sufficiency.web.operations import create_user
    from django.contrib.auth.models import User

    for role in ROLES:
        create_user(f"{role}_user", role, PASSWORD)
    return {role: User.objects.get(username=f"{role}_user") for role in ROLES}


@pytest.fixture
def client_for(users: dict[str, object]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        c = Client()
        c.force_login(users[role])  # type: ignore[arg-type]
        return c

    return make


@pytest.fixture(scope="session")
def small_council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic council (two returns) written once per test session by `sufficiency synth`."""
    from typer.testing import CliRunner

    from sufficiency.cli import app

    out = tmp_path_factory.mktemp("council") / "DATA"
    result = CliRunner().invoke(app, ["synth", str(out), "--seed", "7", "--children", "120", "--years", "2023-2024"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def loaded(db: None, small_council: Path) -> Path:
    from sufficiency.web.bridge import import_data_folder

    results = import_data_folder(small_council)
    assert all(r.ok for r in results), [p for r in results for p in r.problems if p.severity == "error"]
    return small_council
