"""One figure, one printing (truth1 findings 3 and 4).

Distance is compared like for like: the DfE publishes comparators only for its own measure
(outside the council's area and more than 20 miles from home), so the statement's comparison
table and the distance key message set that measure beside them; "placed_over_20_miles" has
none. A key message prints a figure as the table beside it does (one decimal for a share), and
a printed total is the sum of its printed rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sufficiency.ingest import load_data
from sufficiency.measures.comparators import Comparator
from sufficiency.report.build import build_statement
from sufficiency.report.messages import key_messages
from sufficiency.report.model import StatementData, Table
from sufficiency.report.sections.costs import _spend
from sufficiency.report.sources import YearValues


def yv(year: int, **values: Any) -> YearValues:
    return YearValues(dt.date(year, 3, 31), dict(values))


#: The DfE's 2024-25 LACDistance figures for Herefordshire's comparators (shipped).
DISTANCE_MARKS = [
    Comparator("placed_over_20_miles_outside_la", 2025, "england", 18.0, "DfE"),
    Comparator("placed_over_20_miles_outside_la", 2025, "region", 16.0, "DfE"),
    Comparator("placed_over_20_miles_outside_la", 2025, "statistical_neighbours", 20.3, "DfE"),
]


def test_the_distance_message_compares_the_dfe_measure_with_its_comparators() -> None:
    year = yv(
        2026,
        placed_over_20_miles={"count": 173, "denominator": 529, "pct": 32.7},
        placed_over_20_miles_outside_la={"count": 133, "denominator": 529, "pct": 25.1},
        placed_over_100_miles={"count": 34, "denominator": 529, "pct": 6.4},
    )
    assert key_messages([year], DISTANCE_MARKS) == [
        "32.7% of children looked after lived more than 20 miles from home; 25.1% lived outside "
        "the council's area and more than 20 miles away (the DfE's measure), above statistical "
        "neighbours (20.3%, 2024-25) and the region (16.0%, 2024-25) and England (18.0%, "
        "2024-25). 34 children (6.4%) lived 100 miles or more away."
    ]


def test_key_message_shares_are_printed_as_the_tables_print_them() -> None:
    """Herefordshire (seed 11) 2026: the table says 2.5, 9.6% and 32.3%; the messages said
    "rose 3%", "(10%)" and "(32%)"."""
    years = [
        yv(2025, cla_count=516),
        yv(
            2026,
            cla_count=529,
            uasc_count=51,
            cla_by_placement_type={"in_house_fostering": 171, "ifa": 120},
        ),
    ]
    msgs = key_messages(years, [])
    assert "Children looked after rose 2.5% from 516 to 529 (31 March 2025 to 31 March 2026)." in (
        msgs
    )
    assert (
        "51 children looked after (9.6%) were unaccompanied asylum-seeking (separated migrant) "
        "children." in msgs
    )
    assert (
        "The most common placement was in-house fostering: 171 children (32.3% of children "
        "looked after)." in msgs
    )


def test_a_comparator_is_printed_as_the_comparison_table_prints_it() -> None:
    marks = [Comparator("stability_three_plus", 2025, "england", 10.0, "DfE")]
    share = {"count": 40, "denominator": 529, "pct": 7.6}
    (msg,) = key_messages([yv(2026, stability_three_plus=share)], marks)
    assert msg.endswith("below England (10.0%, 2024-25).")


def test_forecast_and_gap_messages_print_the_tables_figures() -> None:
    forecast = {
        "scenarios": {
            "baseline": {
                "yearly": [
                    {
                        "date": "2029-03-31",
                        "total": {"mean": 551.14, "p10": 498.71, "p90": 603.62},
                    }
                ]
            }
        }
    }
    gap = {"years": [{"year": 2027, "by_type": {"ifa": {"shortfall": 145.94}}}]}
    msgs = key_messages([], [], {"forecast": forecast, "gap": gap})
    assert (
        "On current trends the council expects about 551.1 children looked after on "
        "31 March 2029 (likely range 498.7 to 603.6)." in msgs
    )
    assert any("'independent fostering agency' placements: 145.9 places" in m for m in msgs)


def test_the_spend_total_is_the_sum_of_its_printed_rows() -> None:
    """Each type's spend is to the pound and the total rounded once: 41,855,794 printed under
    rows adding to 41,855,795. The printed total is the rows' sum."""
    cur = yv(
        2026,
        spend_total=1_000_001,
        spend_by_placement_type={"in_house_fostering": 600_001, "ifa": 400_001, "secure": 0},
        bed_nights_total=300,
        bed_nights_by_placement_type={"in_house_fostering": 200, "ifa": 100, "secure": 0},
        average_weekly_cost_by_type={"in_house_fostering": 21_000, "ifa": 28_000},
    )
    (block,) = _spend(cur)
    assert block.table is not None
    total = next(r for r in block.table.rows if r.total)
    assert [c.value for c in total.cells] == [300, None, 1_000_002]
    assert total.cells[0].ref == "bed_nights_total@2026-03-31"  # it already adds up
    assert total.cells[2].ref is None and total.cells[2].source is not None


def test_a_hidden_row_leaves_the_measures_total() -> None:
    cur = yv(
        2026,
        spend_total=1_000_001,
        spend_by_placement_type={"in_house_fostering": 600_001, "ifa": "c"},
        bed_nights_total=300,
        bed_nights_by_placement_type={"in_house_fostering": 200, "ifa": "c"},
    )
    (block,) = _spend(cur)
    assert block.table is not None
    total = next(r for r in block.table.rows if r.total)
    assert total.cells[2].value == 1_000_001 and total.cells[2].ref == "spend_total@2026-03-31"


def _table(data: StatementData, table_id: str) -> Table:
    return next(t for t in data.tables() if t.id == table_id)


@pytest.fixture(scope="module")
def demo_statement(demo_dir: Path) -> StatementData:
    ds = load_data(demo_dir).dataset
    assert ds is not None
    return build_statement(ds, 2026, "internal")


def test_the_demo_statement_compares_distance_and_prints_figures_once(
    demo_statement: StatementData,
) -> None:
    """The demo council (seed 2026) at 31 March 2026: 106 of 411 children (25.8%) outside the
    council and more than 20 miles away, beside the DfE's 2024-25 England 18, region 16 and
    neighbours 20.3."""
    rows = {
        r.header: [c.value for c in r.cells]
        for r in _table(demo_statement, "stability_benchmarks").rows
    }
    label = "Placed outside the council's area and more than 20 miles from home"
    assert rows[f"{label}: England"] == [25.8, 18.0]
    assert rows[f"{label}: Region"] == [25.8, 16.0]
    assert rows[f"{label}: Statistical neighbours"] == [25.8, 20.3]
    (distance,) = [m for m in demo_statement.key_messages if "20 miles" in m]
    assert distance.startswith(
        "33.6% of children looked after lived more than 20 miles from home; 25.8% lived "
        "outside the council's area and more than 20 miles away (the DfE's measure), above "
        "statistical neighbours (20.3%, 2024-25)"
    )
    spend = _table(demo_statement, "spend_by_type").rows
    assert sum(r.cells[2].value for r in spend if not r.total) == next(  # type: ignore[misc]
        r.cells[2].value for r in spend if r.total
    )
