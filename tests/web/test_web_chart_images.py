"""Every chart downloads as PNG and SVG from plotly's mode bar: each page that draws charts
carries the one chart config (chart_labels.chart_config), which charts.js gives every chart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sufficiency.web as web

WEB = Path(web.__file__).parent
CONFIG = re.compile(r'<script id="app-chart-config" type="application/json">(.*?)</script>', re.S)


def test_the_config_every_chart_gets_offers_png_and_svg() -> None:
    from django.template.loader import render_to_string

    head = render_to_string("web/includes/plotly_head.html", {"plotly_stylesheets": []})
    found = CONFIG.search(head)
    assert found is not None
    config = json.loads(found.group(1))
    assert config["imageFormats"] == ["png", "svg"]
    assert config["plotly"]["toImageButtonOptions"] == {"format": "png", "scale": 2}
    assert config["plotly"]["displaylogo"] is False
    # every page that draws charts carries the config (charts.js reads it for each chart)
    drawing = [
        p.relative_to(WEB / "templates").as_posix()
        for p in (WEB / "templates").rglob("*.html")
        if "web/charts.js" in p.read_text(encoding="utf-8")
    ]
    assert {"web/dashboard.html", "web/forecast.html", "web/scenario_compare.html"} <= set(drawing)
    for name in drawing:
        text = (WEB / "templates" / name).read_text(encoding="utf-8")
        assert '{% include "web/includes/plotly_head.html" %}' in text
    script = (WEB / "static" / "web" / "charts.js").read_text(encoding="utf-8")
    assert 'document.getElementById("app-chart-config")' in script
    assert "window.Plotly.newPlot(target, spec.data, layout, chartConfig(target, config))" in script
    assert "formats.slice(1).map(" in script and "window.Plotly.downloadImage(" in script


def test_the_content_security_policy_lets_plotly_export_a_png() -> None:
    """plotly draws the chart's SVG from a blob: URL onto a canvas to make the PNG; without
    ``blob:`` in img-src the browser blocks it and the camera button does nothing."""
    from sufficiency.web.security import CSP

    [img] = [d for d in CSP.split("; ") if d.startswith("img-src")]
    assert img == "img-src 'self' data: blob:"
    assert "script-src 'self'" in CSP.split("; ")  # still no inline script nor eval
