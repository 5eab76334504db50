"""The PDF takes each chart as an image of its SVG (``charts.as_images``): the same PDF, byte for
byte, as from the inline SVG of statement.html, tagged alike, at a tenth less of WeasyPrint's time
(it parses an image's SVG apart from the page's HTML and style cascade)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from chart_samples import line_chart

from sufficiency.report import charts, render
from sufficiency.report.model import Chart


def _chart() -> Chart:
    return line_chart("pdf-chart", alt='Children looked after: 411, 416 & 420 ("this council")')


def _page(svg: str) -> str:
    css = render._template_text("statement.css")
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Charts</title>'
        f"<style>{css}</style></head><body><main><h2>Children</h2>"
        f'<figure class="chart" id="f-pdf-chart">{svg}<figcaption>Caption</figcaption></figure>'
        f"<p>After the chart.</p></main></body></html>"
    )


def test_each_chart_becomes_an_image_of_its_svg_with_its_alt_text() -> None:
    svg = charts.draw_svg(_chart())
    page = charts.as_images(_page(svg) + _page(svg))
    assert "<svg" not in page
    images = re.findall(r'<img alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]*)">', page)
    assert len(images) == 2
    alt, data = images[0]
    assert alt == "Children looked after: 411, 416 &amp; 420 (&quot;this council&quot;)"
    assert base64.b64decode(data).decode("utf-8") == svg.rstrip("\n")
    assert page.replace(images[0][1], "").count("This council") == 0  # nothing else inline


def test_the_pdf_is_the_one_the_inline_svg_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(charts.draw_svg(_chart()))
    assert render.render_pdf(page, tmp_path / "images.pdf") == 1
    monkeypatch.setattr(charts, "as_images", lambda page: page)  # the inline SVG, as before
    render.render_pdf(page, tmp_path / "inline.pdf")
    # the tagged PDF (its Figure named by the alt text) is the same either way
    assert (tmp_path / "images.pdf").read_bytes() == (tmp_path / "inline.pdf").read_bytes()
