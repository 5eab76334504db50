"""``{% chart_config %}``: the charts' config (``chart_labels.chart_config``) as a JSON script
element, ``#app-chart-config``, which ``web/charts.js`` reads (no inline script: the strict CSP)."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from sufficiency.web.dashboard.chart_labels import chart_config

register = template.Library()

#: The id of the script element charts.js reads.
ELEMENT_ID = "app-chart-config"


def chart_config_script() -> SafeString:
    return json_script(chart_config(), ELEMENT_ID)


register.simple_tag(chart_config_script, name="chart_config")
