"""The web's operations commands as a user runs them: user, backup, retention, restore
(each a separate process on its own state folder and SQLite database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SEED = """
import sys
from sufficiency.web.setup import setup_django
setup_django()
from sufficiency.web.operations import migrate
from sufficiency.web.data.models import CouncilProfile, Episode, ReturnYear
migrate()
CouncilProfile.objects.create(toml='name = "T"\\ncode = "E06000019"\\nregion = "West Midlands"\\n')
for year in (2015, 2024):
    ry = ReturnYear.objects.create(year=year, children=1, episodes=1)
    Episode.objects.create(return_year=ry, child=f"C{year}", decom="2014-05-01")
"""
COUNT = """
from sufficiency.web.setup import setup_django
setup_django()
from django.contrib.auth.models import User
from sufficiency.web.data.models import Episode, ReturnYear
print(sorted(ReturnYear.objects.values_list("year", flat=True)), Episode.objects.count(), User.objects.count())
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )


def test_user_backup_retention_restore(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["SUFFICIENCY_STATE_DIR"] = str(tmp_path / "state")
    assert _run(["-c", SEED], env).returncode == 0
    made = _run(["-m", "sufficiency.cli", "user", "jo", "--role", "commissioner"], env)
    assert made.returncode == 0 and made.stdout.startswith("jo (commissioner) password: ")
    bad = _run(["-m", "sufficiency.cli", "user", "al", "--role", "manager"], env)
    assert bad.returncode == 1 and "role must be one of admin, analyst" in bad.stderr
    backup = tmp_path / "backup.zip"
    done = _run(["-m", "sufficiency.cli", "backup", str(backup)], env)
    assert done.returncode == 0 and backup.is_file(), done.stderr
    kept = _run(["-m", "sufficiency.cli", "retention", "--years", "7"], env)
    assert kept.returncode == 0 and "Deleted returns: 2015" in kept.stdout
    assert _run(["-c", COUNT], env).stdout.strip() == "[2024] 1 1"
    restored = _run(["-m", "sufficiency.cli", "restore", str(backup)], env)
    assert restored.returncode == 0 and "Restored and verified" in restored.stdout, restored.stderr
    assert _run(["-c", COUNT], env).stdout.strip() == "[2015, 2024] 2 1"
    missing = _run(["-m", "sufficiency.cli", "restore", str(tmp_path / "nope.zip")], env)
    assert missing.returncode == 1 and "no such backup file" in missing.stderr


def test_operations_refuse_what_would_lose_or_corrupt_data(tmp_path: Path) -> None:
    """Before: `retention --years 0` (or -1) deleted every return; a junk or tampered backup
    stopped `restore` with a traceback (or wrote outside the uploads folder); `backup` into a
    missing folder and `user "  "` were a traceback and a blank user. Now each is one line, exit 1,
    and nothing changes."""
    import zipfile

    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["SUFFICIENCY_STATE_DIR"] = str(tmp_path / "state")
    assert _run(["-c", SEED], env).returncode == 0

    def refused(args: list[str], extra: dict[str, str] | None = None) -> str:
        done = _run(["-m", "sufficiency.cli", *args], {**env, **(extra or {})})
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert _run(["-c", COUNT], env).stdout.strip() == "[2015, 2024] 2 0"
        return " ".join(done.stderr.split())

    for years in ("0", "-1"):
        assert refused(["retention", "--years", years]) == (
            f"error: --years: years kept must be at least 1, not {years}: fewer would delete the "
            "returns in use; nothing deleted"
        )
    assert refused(["retention"], {"SUFFICIENCY_RETENTION_YEARS": "seven"}) == (
        "error: SUFFICIENCY_RETENTION_YEARS='seven': expected a whole number from 1 to 100"
    )
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    assert refused(["restore", str(junk)]) == (
        f"error: {junk}: not a backup (not a zip file): nothing restored"
    )
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert refused(["restore", str(empty)]) == (
        f"error: {empty}: not a backup (There is no item named 'manifest.json' in the archive): "
        "nothing restored"
    )
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as zf:
        zf.writestr("manifest.json", '{"counts": {}}')
        zf.writestr("database.json", "[]")
        zf.writestr("uploads/../../escaped.txt", "x")
    assert refused(["restore", str(tampered)]) == (
        f"error: {tampered}: upload '../../escaped.txt' would be written outside the uploads "
        "folder: nothing restored"
    )
    assert not (tmp_path / "escaped.txt").exists()
    missing = tmp_path / "no-such-folder" / "b.zip"
    assert refused(["backup", str(missing)]) == (
        f"error: {missing}: no such folder {missing.parent}: nothing written"
    )
    assert refused(["user", " ", "--role", "viewer"]) == (
        "error: user name ' ' refused: 1 to 150 characters, not blank"
    )
