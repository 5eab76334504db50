# ruff: noqa: RUF012
"""User names unique ignoring case in the database (``Carol`` and ``carol`` are one account), as
the account form already compares them: two requests sent at once cannot both create one.

Accounts already differing only in case are named first, and nothing is changed until they
are renamed or one is removed, instead of the database's bare error half-way through."""

from typing import Any

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

from sufficiency.web.registers.migration_checks import RowsBreakRule

INDEX = "auth_user_username_lower_unique"


def refuse_case_twins(apps: Any, schema_editor: Any) -> None:
    """Stop, naming them, when accounts share a user name ignoring case."""
    user = apps.get_model("auth", "User")
    twins = (
        user._base_manager.annotate(name=Lower("username"))
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("name")
    )
    found = [
        ", ".join(
            sorted(
                user._base_manager.filter(username__iexact=t["name"]).values_list(
                    "username", flat=True
                )
            )
        )
        for t in twins
    ]
    if found:
        raise RowsBreakRule(
            "These accounts have the same user name ignoring case: "
            + "; ".join(found)
            + ". Rename all but one of each in the database (for example UPDATE auth_user SET "
            "username = 'carol-2' WHERE username = 'CAROL'; an account's audit entries are kept "
            "by its id), then run the migration again (`sufficiency serve` runs it)."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_case_twins, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(username))",
            f"DROP INDEX {INDEX}",
        ),
    ]
