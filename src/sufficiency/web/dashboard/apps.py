# mypy: allow-subclassing-any
from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "sufficiency.web.dashboard"
    label = "web_dashboard"
