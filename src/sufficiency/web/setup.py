"""Start Django from library code (CLI commands, tests)."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure settings and populate apps once."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sufficiency.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
