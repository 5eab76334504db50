"""A chart is drawn once per specification in a process: a statement built again for the same
figures reuses the drawing; any change of the specification draws afresh."""

from __future__ import annotations

import dataclasses

import pytest

from sufficiency.report import charts
from sufficiency.report.model import Chart, Series


def _chart(values: list[float | None]) -> Chart:
    return Chart(
        id="drawn-once",
        title="Children looked after",
        kind="bar",
        categories=["2024-25", "2025-26"],
        series=[Series(name="Children", values=values)],
        x_label="Year",
        y_label="Children",
        alt="Children looked after: 411 and 416",
    )


def test_the_same_chart_is_drawn_once_and_a_changed_one_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[str] = []
    real = charts.draw_svg

    def counting(chart: Chart) -> str:
        drawn.append(chart.alt)
        return real(chart)

    monkeypatch.setattr(charts, "draw_svg", counting)
    monkeypatch.setattr(charts, "_DRAWN", type(charts._DRAWN)())
    first = charts.render_svg(_chart([411.0, 416.0]))
    assert first.startswith("<svg") and "Children looked after: 411 and 416" in first
    assert charts.render_svg(_chart([411.0, 416.0])) == first
    assert len(drawn) == 1
    changed = dataclasses.replace(_chart([411.0, 417.0]), alt="Children looked after: 411, 417")
    assert charts.render_svg(changed) != first
    assert len(drawn) == 2
