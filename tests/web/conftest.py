"""Fixtures for the web tests: users of every role and a small council loaded into the database."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parent))  # browser_journeys, import_snapshot

from sufficiency.web.accounts.roles import ROLES

PASSWORD = "correct-horse-battery-staple-9"


@pytest.fixture(autouse=True)
def state_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test writes statements and uploads under its own folder, never the checkout's."""
    state = tmp_path / "state"
    settings.STATE_DIR = state
    settings.MEDIA_ROOT = state / "uploads"
    return state


@pytest.fixture(autouse=True)
def fresh_data_version() -> None:
    """Values a process keeps until a change is made on the web (``data_version``) start afresh
    for each test: the database a test changed is rolled back behind their back."""
    from sufficiency.web import data_version

    data_version.forget()


@pytest.fixture
def password() -> str:
    """The password of every user the ``users`` fixture creates."""
    return PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Tests sign in many times: a fast hasher keeps them quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db: None) -> dict[str, object]:
    from django.contrib.auth.models import User

    from sufficiency.web.operations import create_user

    for role in ROLES:
        create_user(f"{role}_user", role, PASSWORD)
    return {role: User.objects.get(username=f"{role}_user") for role in ROLES}


@pytest.fixture
def client_for(users: dict[str, object]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        c = Client()
        c.force_login(users[role])
        return c

    return make


@pytest.fixture(scope="session")
def small_council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic council (two returns) written once per test session by `sufficiency synth`.

    Run as a separate process, as a user would: synth imports qlacref_authorities, which replaces
    its own module object, and geo's package lookup then fails in the same process.
    """
    out = tmp_path_factory.mktemp("council") / "DATA"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sufficiency.cli",
            "synth",
            str(out),
            "--seed",
            "7",
            "--children",
            "120",
            "--years",
            "2023-2024",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def _import(folder: Path) -> None:
    from sufficiency.web.bridge import import_data_folder

    results = import_data_folder(folder)
    assert all(r.ok for r in results), [
        p for r in results for p in r.problems if p.severity == "error"
    ]


@pytest.fixture
def loaded(db: None, small_council: Path) -> Path:
    """The small council imported (the import runs once per test process; later tests that
    start from the same database get the rows it wrote copied back: ``import_snapshot``)."""
    from import_snapshot import load

    load(small_council, _import)
    return small_council


def postgres_installed() -> bool:
    """True when Debian's PostgreSQL server is installed (``make test`` installs it)."""
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


# The concurrency tests need PostgreSQL's row locks.
collect_ignore = (
    []
    if postgres_installed()
    else ["test_web_concurrency_pg.py", "test_web_concurrent_writes_pg.py"]
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, request: pytest.FixtureRequest
) -> Iterator[None]:
    """The web suite runs on PostgreSQL, the production database: a throwaway server per test
    process, started once (SQLite, the development default, only where PostgreSQL is not
    installed; ``test_web_runs_on_postgresql`` then fails and says how to install it)."""
    if not postgres_installed() or os.environ.get("DATABASE_URL"):
        yield
        return
    import dj_database_url
    from django.conf import settings
    from django.db import connections

    default = settings.DATABASES["default"]
    default.update(dj_database_url.parse(request.getfixturevalue("postgres_url")))
    default["OPTIONS"] = {}
    default["TEST"]["NAME"] = "test_sufficiency"
    # a connection made before this point (at import) is SQLite's: make the next one afresh
    connections["default"].close()
    del connections["default"]
    yield


# ------------------------------------------------------------------ PostgreSQL


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(
            f"PostgreSQL's {name} is not installed: run `bash scripts/install-system.sh`"
        )
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield its DATABASE_URL; stop and delete it."""
    root = Path(tempfile.mkdtemp(prefix="sufficiency-pg-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the postgres user
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    try:
        subprocess.run(
            [
                *as_user,
                _bin("initdb"),
                "-D",
                str(data),
                "--auth=trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *as_user,
                _bin("pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(root / "log"),
                "-o",
                f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, _bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server (Debian's, installed by scripts/install-system.sh)."""
    with postgres_server() as url:
        yield url


# ------------------------------------------------------------------ browser journeys
@pytest.fixture(scope="module")
def app(small_council: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`sufficiency serve` on a free port with a fresh state folder, one per journey module:
    profile, registers and one user per role, but no returns (the journeys upload them)."""
    from browser_journeys import running_app

    with running_app(small_council, tmp_path_factory.mktemp("web-state")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright."""
    from browser_journeys import launched_browser

    with launched_browser() as b:
        yield b
