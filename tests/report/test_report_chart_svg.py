"""A chart's SVG as the statement inlines it: no id another chart repeats, and its drawing
properties as presentation attributes, which an HTML renderer's stylesheet step leaves alone."""

from __future__ import annotations

import re

from chart_samples import line_chart

from sufficiency.report import charts


def test_two_charts_on_a_page_share_no_id() -> None:
    first, second = (charts.draw_svg(line_chart(i)) for i in ("svg-one", "svg-two"))
    ids = [set(re.findall(r'\sid="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and ids[1]
    assert ids[0] & ids[1] == set()


def test_drawing_properties_are_attributes_but_the_joins_stay_in_style() -> None:
    svg = charts.draw_svg(line_chart("svg-attributes"))
    styles = re.findall(r'\sstyle="([^"]*)"', svg)
    names = {d.split(":")[0].strip() for s in styles for d in s.split(";") if d.strip()}
    # matplotlib's own stylesheet sets these on every element: only a style attribute beats it
    assert names <= {"stroke-linejoin", "stroke-linecap"}
    assert 'stroke="#0072b2"' in svg and 'fill="none"' in svg
    assert "stroke-linejoin: miter" in svg  # the markers' square corners


def test_an_element_with_a_property_set_both_ways_keeps_its_style() -> None:
    tag = '<path d="M 0 0" fill="red" style="fill: blue; stroke: #000"/>'
    assert charts._STYLED.sub(charts._as_attributes, tag) == tag
    plain = '<path d="M 0 0" style="fill: blue; stroke-linecap: butt"/>'
    assert (
        charts._STYLED.sub(charts._as_attributes, plain)
        == '<path d="M 0 0" fill="blue" style="stroke-linecap: butt"/>'
    )
