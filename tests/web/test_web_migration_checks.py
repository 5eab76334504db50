"""A migration that makes the database hold a rule first names the stored rows that break it,
with what to do, instead of stopping half-way on the database's bare integrity error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Migrate a fresh SQLite state to just before ``STEP``, store ``ROWS`` through that step's
#: models, then migrate on; print what stopped it.
SCRIPT = """
import sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

before, rows = sys.argv[1], eval(sys.argv[2])
call_command("migrate", verbosity=0)
call_command("migrate", "web_registers", before, verbosity=0)
apps = MigrationExecutor(connection).loader.project_state(("web_registers", before)).apps
for model, values in rows:
    apps.get_model("web_registers", model)._base_manager.create(**values)
try:
    call_command("migrate", verbosity=0)
except Exception as error:
    print(type(error).__name__, error)
    sys.exit(3)
"""


def _migrate(tmp_path: Path, before: str, rows: list[tuple[str, dict[str, object]]]) -> str:
    env = {
        **os.environ,
        "SUFFICIENCY_STATE_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "sufficiency.web.settings",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, before, repr(rows)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode in (0, 3), done.stderr
    return done.stdout.strip()


def test_ids_repeated_in_another_case_stop_the_migration_named(tmp_path: Path) -> None:
    carer = {"status": "approved", "places": 1}
    said = _migrate(
        tmp_path,
        "0009_declared_uniqueness_in_the_database",
        [
            ("carer", {"household_id": "FC1", **carer}),
            ("carer", {"household_id": "fc1", **carer}),
            ("carer", {"household_id": "FC2", **carer}),
        ],
    )
    assert said.startswith("RowsBreakRule These register rows repeat a key")
    assert "carer household_id: fc1 x 2." in said
    assert "FC2" not in said


def test_without_repeats_the_migration_holds_keys_ignoring_case(tmp_path: Path) -> None:
    carer = {"status": "approved", "places": 1}
    said = _migrate(
        tmp_path,
        "0009_declared_uniqueness_in_the_database",
        [("carer", {"household_id": "FC1", **carer}), ("carer", {"household_id": "FC2", **carer})],
    )
    assert said == ""


def test_a_referral_with_no_age_stops_the_migration_named(tmp_path: Path) -> None:
    said = _migrate(
        tmp_path,
        "0008_adopters_stages_before_approval",
        [
            ("referralrecord", {"referral_id": "R7"}),
            ("referralrecord", {"referral_id": "R8", "age": 9}),
        ],
    )
    assert said == (
        "RowsBreakRule 1 referralrecord row(s) have no age (referral_id R7), which is now "
        "required: give each referral the child's age in years in the referrals register, then "
        "run the migration again."
    )
