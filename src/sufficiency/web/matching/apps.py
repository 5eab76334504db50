# mypy: allow-subclassing-any
from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "sufficiency.web.matching"
    label = "web_matching"
