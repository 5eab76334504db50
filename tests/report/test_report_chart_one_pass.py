"""A chart is drawn in one pass (matplotlib's savefig drew each twice, laying it out each time)
into the very SVG savefig wrote."""

from __future__ import annotations

import io

import pytest

from sufficiency.report import charts
from sufficiency.report.model import Chart, Series


def _chart() -> Chart:
    return Chart(
        id="one-pass",
        title="Children looked after by placement type",
        kind="barh",
        categories=["Foster care (in house)", "Independent fostering agency", "Children's homes"],
        series=[Series(name="Children", values=[120.0, 85.0, None])],
        x_label="Children",
        y_label="Placement type",
        alt="Children looked after by placement type: 120, 85 and not shown",
    )


def _draws(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The figures drawn from now on, one entry a draw."""
    from matplotlib.figure import Figure

    draws: list[object] = []
    real = Figure.draw

    def counting(self: Figure, renderer: object) -> None:
        draws.append(self)
        real(self, renderer)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "draw", counting)
    return draws


def test_a_chart_is_drawn_once_where_savefig_drew_it_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draws = _draws(monkeypatch)
    charts.draw_svg(_chart())
    assert len(draws) == 1
    charts.figure(_chart()).savefig(io.StringIO(), format="svg")
    assert len(draws) == 3


def test_the_svg_is_the_one_savefig_writes() -> None:
    buf = io.StringIO()
    charts.figure(_chart()).savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    assert charts._print_svg(charts.figure(_chart())) == buf.getvalue()
    drawn = charts.draw_svg(_chart())
    assert drawn == charts._accessible(buf.getvalue(), _chart())
    assert drawn.startswith('<svg role="img" aria-labelledby="one-pass-title"')
    assert ">Independent fostering agency</text>" in drawn
