# mypy: allow-subclassing-any
"""``/health/``: for load balancers and monitoring, no sign-in needed, nothing personal in it.

django-health-check runs two checks: the database answers a ``SELECT 1`` and the static files
the pages link to are there to serve. The answer is JSON (``{"Database(alias='default')": "OK",
"StaticFiles()": "OK"}``), status 200 when all pass, else 500 with each failure's short reason.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpResponse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

#: A file every page links to: if it cannot be found, pages are unstyled.
PROBE = "web/app.css"


@dataclasses.dataclass
class StaticFiles(HealthCheck):
    """The static files are present: collected (production) or findable (development)."""

    def run(self) -> None:
        from django.conf import settings
        from django.contrib.staticfiles import finders
        from django.contrib.staticfiles.storage import staticfiles_storage

        if staticfiles_storage.exists(PROBE):
            return
        if getattr(settings, "WHITENOISE_USE_FINDERS", False) and finders.find(PROBE):
            return
        raise ServiceUnavailable(
            "static files are missing: run `sufficiency serve` to collect them"
        )


class HealthView(HealthCheckView):
    """The health checks, always answered as JSON (the package's HTML page needs inline styles,
    which the CSP refuses)."""

    checks = ("health_check.checks.Database", StaticFiles)

    def render_to_response(self, context: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = self.render_to_response_json(kwargs.get("status", 200))
        return response
