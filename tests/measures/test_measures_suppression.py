"""Small-number suppression (DESIGN.md; DfE convention) over typed measure results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sufficiency.disclosure.audit import audit
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import typed
from sufficiency.measures.suppression import apply_protection, protect_years, suppress_results
from sufficiency.results import Breakdown, Record, Share, Table, to_json


def _suppress(values: dict[str, Any]) -> dict[str, Any]:
    """Type plain values by their measures' declarations, suppress together, back to JSON."""
    cat = load_catalogue()
    results = {mid: typed(v, cat[mid]) for mid, v in values.items()}
    return {mid: to_json(r) for mid, r in suppress_results(results, cat).items()}


def test_counts_1_to_5_and_rates_on_them_become_c() -> None:
    out = _suppress({"cla_count": 3, "cla_rate_per_10k": 1.5, "starts": 0, "ceased": 6})
    assert out == {"cla_count": "c", "cla_rate_per_10k": "c", "starts": 0, "ceased": 6}
    out = _suppress({"cla_count": 5, "ceased": 7})
    assert out == {"cla_count": "c", "ceased": 7}


def test_share_built_on_a_small_count() -> None:
    out = _suppress({"placed_over_20_miles": Share(2, 40), "fostering_share": Share(30, 40)})
    assert out["placed_over_20_miles"] == {"count": "c", "denominator": 40, "pct": "c"}
    assert out["fostering_share"] == {"count": 30, "denominator": 40, "pct": 75.0}


def test_share_on_a_small_denominator_hides_all_three() -> None:
    assert Share(0, 3).suppressed().to_json() == {"count": "c", "denominator": "c", "pct": "c"}


def test_share_based_on_a_suppressed_count_is_hidden_whole() -> None:
    out = _suppress({"cla_count": 4, "fostering_share": Share(3, 4)})
    assert out["fostering_share"] == {"count": "c", "denominator": "c", "pct": "c"}


def test_secondary_suppression_hides_the_next_smallest_cell() -> None:
    # 3 alone could be recovered from the published total: the next smallest non-zero goes too.
    got = Breakdown({"a": 3, "b": 0, "c": 7, "d": 20}).suppressed()
    assert got.cells == {"a": "c", "b": 0, "c": "c", "d": 20}
    # two suppressed cells already protect each other
    got = Breakdown({"a": 3, "b": 2, "c": 7}).suppressed()
    assert got.cells == {"a": "c", "b": "c", "c": 7}


def test_breakdowns_that_count_no_children_are_left_alone() -> None:
    assert Breakdown({"a": 3}, unit="number", children=False).suppressed().cells == {"a": 3}


def test_table_secondary_suppression_on_rows_and_columns() -> None:
    table = Table(
        {
            "x": {"inside": 2, "distant": 10, "near": 30},
            "y": {"inside": 8, "distant": 9, "near": 40},
        }
    )
    out = table.suppressed().rows
    # x/inside primary; x/distant (row) and y/inside (column) secondary; then y/distant closes
    # the y row and distant column.
    assert out == {
        "x": {"inside": "c", "distant": "c", "near": 30},
        "y": {"inside": "c", "distant": "c", "near": 40},
    }
    for row in out.values():
        assert sum(v == "c" for v in row.values()) != 1
    assert table.rows["x"]["inside"] == 2  # the input is not changed


def test_money_and_bed_nights_are_never_suppressed() -> None:
    out = _suppress(
        {"bed_nights_total": 3, "spend_total": 2, "bed_nights_by_placement_type": {"ifa": 2}}
    )
    assert out == {
        "bed_nights_total": 3,
        "spend_total": 2,
        "bed_nights_by_placement_type": {"ifa": 2},
    }


def test_trends_and_averages() -> None:
    out = _suppress(
        {
            "trends": {
                "cla_count": {
                    "2023": {"value": 3, "change": None},
                    "2024": {"value": 9, "change": 6},
                }
            },
            "adoption_a1_days": {
                "average": 400.0,
                "children": 2,
                "three_year_average": 500.0,
                "three_year_children": 9,
                "target": 426.0,
            },
        }
    )
    assert out["trends"]["cla_count"] == {
        "2023": {"value": "c", "change": None},
        "2024": {"value": 9, "change": "c"},
    }
    assert out["adoption_a1_days"] == {
        "average": "c",
        "children": "c",
        "three_year_average": 500.0,
        "three_year_children": 9,
        "target": 426.0,
    }


def test_measures_are_typed_by_their_declared_unit() -> None:
    cat = load_catalogue()
    assert type(typed(12, cat["cla_count"])).__name__ == "Count"
    assert type(typed(55.2, cat["cla_rate_per_10k"])).__name__ == "Rate"
    assert type(typed(100, cat["spend_total"])).__name__ == "Money"
    assert type(typed({"M": 3, "F": 9}, cat["cla_by_sex"])).__name__ == "Breakdown"
    assert type(typed({"a": {"b": 1}}, cat["placement_type_by_location"])).__name__ == "Table"
    assert typed(None, cat["cla_count"]).to_json() is None


def test_mixed_records_suppress_their_child_counts_and_what_derives_from_them() -> None:
    keys = ("children_in_homes", "children_placed_inside")
    derived = ("beds_per_child", "share_placed_inside_pct")
    record = {
        "homes": 3,
        "beds": 12,
        "children_in_homes": 4,
        "children_placed_inside": 2,
        "beds_per_child": 3.0,
        "share_placed_inside_pct": 50.0,
    }
    got = Record(record, keys, derived).suppressed().to_json()
    assert got == {
        "homes": 3,
        "beds": 12,
        "children_in_homes": "c",
        "children_placed_inside": "c",
        "beds_per_child": "c",
        "share_placed_inside_pct": "c",
    }
    big = {**record, "children_in_homes": 40, "children_placed_inside": 20}
    assert Record(big, keys, derived).suppressed().to_json() == big
    # declared on the measure, the record is typed and suppressed the same way
    assert _suppress({"supply_homes_in_area": record})["supply_homes_in_area"] == got


def test_a_zero_on_a_small_hidden_base_is_protected_where_another_table_prints_it() -> None:
    """None of the 3 children in homes placed inside the area: the share shows its 0 as [c]
    (a reader must not learn that none of the few are), so the protection protects it too and
    withholds the table that prints the same 0, which the gate refused (City of London, 25
    children, synth seed 3)."""
    at = dt.date(2026, 3, 31)
    homes = Record({"children_placed_inside": 0, "children_in_homes": 3})
    years: dict[dt.date, dict[str, Any]] = {
        at: {"childrens_home_inside_share": Share(0, 3), "supply_homes_in_area": homes}
    }
    protection = protect_years(years)
    count = "childrens_home_inside_share.count@2026-03-31"
    assert count in protection.primary
    assert protection.withheld == {"supply_homes_in_area@2026-03-31"}
    assert audit(protection.system, protection.hidden) == []
    done = apply_protection(years, protection)[at]
    assert to_json(done["childrens_home_inside_share"]) == {
        "count": "c",
        "denominator": "c",
        "pct": "c",
    }
    assert to_json(done["supply_homes_in_area"]) is None
