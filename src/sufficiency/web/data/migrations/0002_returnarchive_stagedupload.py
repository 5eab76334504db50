# ruff: noqa: RUF012
"""Staged (unconfirmed) uploads and archived versions of returns."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("web_data", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReturnArchive",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(db_index=True)),
                ("children", models.PositiveIntegerField(default=0)),
                ("episodes", models.PositiveIntegerField(default=0)),
                ("warnings", models.PositiveIntegerField(default=0)),
                ("loaded_at", models.DateTimeField()),
                ("archived_at", models.DateTimeField(auto_now_add=True)),
                ("reason", models.CharField(max_length=200)),
                ("files", models.BinaryField(help_text="A zip of the return's CSV files")),
                (
                    "archived_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "loaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-archived_at", "-pk"]},
        ),
        migrations.CreateModel(
            name="StagedUpload",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("source", models.CharField(default="upload", max_length=200)),
                (
                    "files",
                    models.BinaryField(help_text="A zip of the files as uploaded (names kept)"),
                ),
                ("year", models.PositiveSmallIntegerField()),
                ("children", models.PositiveIntegerField(default=0)),
                ("episodes", models.PositiveIntegerField(default=0)),
                ("problems", models.JSONField(default=list)),
                ("basis", models.CharField(blank=True, max_length=400)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
