"""A sample chart the chart tests draw: two series over three years, one value not shown."""

from __future__ import annotations

from sufficiency.report.model import Chart, Series


def line_chart(chart_id: str, alt: str = "Children looked after: 411, 416 and 420") -> Chart:
    """A line chart of a council against England, named ``chart_id``, with ``alt`` text."""
    return Chart(
        id=chart_id,
        title="Children looked after",
        kind="line",
        categories=["2022-23", "2023-24", "2024-25"],
        series=[
            Series(name="This council", values=[411.0, 416.0, 420.0]),
            Series(name="England", values=[400.0, 405.0, None]),
        ],
        x_label="Year",
        y_label="Children",
        alt=alt,
    )
