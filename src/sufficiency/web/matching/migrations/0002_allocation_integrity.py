# ruff: noqa: RUF012
"""Allocations keep their vacancy's id (not a row link), can be withdrawn, record overrides; one
live allocation per referral and per vacancy place; referral references are URL-safe."""

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import sufficiency.web.matching.models


def copy_vacancy_ids(apps: Any, schema_editor: Any) -> None:
    allocation = apps.get_model("web_matching", "Allocation")
    for row in allocation.objects.select_related("vacancy"):
        row.vacancy_ref = row.vacancy.vacancy_id
        row.save(update_fields=["vacancy_ref"])


class Migration(migrations.Migration):
    dependencies = [
        ("web_matching", "0001_initial"),
        ("web_registers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="allocation", name="one_child_per_vacancy_place"),
        migrations.AddField(
            model_name="allocation",
            name="vacancy_ref",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(copy_vacancy_ids, migrations.RunPython.noop),
        migrations.RemoveField(model_name="allocation", name="vacancy"),
        migrations.RenameField(
            model_name="allocation", old_name="vacancy_ref", new_name="vacancy_id"
        ),
        migrations.AlterField(
            model_name="allocation",
            name="vacancy_id",
            field=models.CharField(db_index=True, max_length=40),
        ),
        migrations.AlterField(
            model_name="allocation",
            name="referral",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="allocations",
                to="web_matching.referral",
            ),
        ),
        migrations.AlterField(
            model_name="allocation",
            name="score",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="allocation",
            name="excluded_by",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="allocation",
            name="override_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="allocation",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="allocation",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="allocation",
            name="withdrawal_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddConstraint(
            model_name="allocation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=("vacancy_id", "slot"),
                name="one_child_per_vacancy_place",
            ),
        ),
        migrations.AddConstraint(
            model_name="allocation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=("referral",),
                name="one_live_allocation_per_referral",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="referral",
            name="referral_id",
            field=models.CharField(
                max_length=40,
                unique=True,
                validators=[sufficiency.web.matching.models.valid_reference],
            ),
        ),
        migrations.AddField(
            model_name="outcome",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
