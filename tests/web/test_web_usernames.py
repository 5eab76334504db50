"""User names are unique ignoring case: the account form and ``sufficiency user`` refuse a twin,
the database refuses one saved past them, and its migration names twins stored from before
instead of failing half-way."""

from __future__ import annotations

import importlib

import pytest
from django.db import IntegrityError, connection, transaction


def test_a_name_differing_only_in_case_is_refused_everywhere(db: None) -> None:
    from django.contrib.auth.models import User

    from sufficiency.web.operations import UsernameTaken, create_user

    create_user("carol", "viewer")
    with pytest.raises(UsernameTaken, match="There is already an account called carol"):
        create_user("Carol", "admin")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="CAROL")
    create_user("carol", "analyst")  # the same name again updates the account
    assert list(User.objects.values_list("username", "is_superuser")) == [("carol", False)]


def test_the_migration_names_case_twins_stored_before_it(db: None) -> None:
    from django.apps import apps
    from django.contrib.auth.models import User

    from sufficiency.web.registers.migration_checks import RowsBreakRule

    migration = importlib.import_module(
        "sufficiency.web.accounts.migrations.0002_usernames_ignoring_case"
    )
    migration.refuse_case_twins(apps, None)  # none yet
    with connection.cursor() as cursor:  # as before the migration (rolled back with the test)
        cursor.execute(f"DROP INDEX {migration.INDEX}")
    for name in ("Carol", "carol", "dave", "DAVE", "erin"):
        User.objects.create(username=name)
    with pytest.raises(RowsBreakRule) as refused:
        migration.refuse_case_twins(apps, None)
    assert str(refused.value).startswith(
        "These accounts have the same user name ignoring case: Carol, carol; DAVE, dave."
    )
