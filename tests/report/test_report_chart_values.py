"""A chart's values read the same in its alt text and its table of figures: money with the pound
sign before the number (it read "1,848£" in the alt text), other units after, one decimal when
not whole, "not shown" / "–" when suppressed."""

from __future__ import annotations

from sufficiency.report.model import Series, chart_value
from sufficiency.report.sections.blocks import alt_text


def test_money_reads_with_the_pound_sign_first() -> None:
    assert chart_value(1848.0, "£") == "£1,848"
    assert chart_value(1234567.5, "£") == "£1,234,567.5"
    assert chart_value(12.25, "%") == "12.2%"
    assert chart_value(411.0, "") == "411"
    assert chart_value(None, "£") == "–"


def test_alt_text_states_each_value_as_the_table_does() -> None:
    alt = alt_text(
        "Weekly cost",
        ["Fostering", "Residential"],
        [Series(name="Cost", values=[1848.0, None])],
        "£",
    )
    assert alt == (
        "Weekly cost. Fostering: £1,848; Residential: not shown. "
        "Values not shown are suppressed or not available."
    )
