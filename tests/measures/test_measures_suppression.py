"""Small-number suppression (DESIGN.md; DfE convention) over measures JSON."""

from __future__ import annotations

from sufficiency.measures import load_catalogue
from sufficiency.measures.suppression import suppress, suppress_counts, suppress_table


def _doc(measures: dict[str, object]) -> dict[str, object]:
    return {"la": "E06000019", "at": "2024-03-31", "period": {}, "measures": measures}


def test_counts_1_to_4_and_rates_on_them_become_c() -> None:
    load_catalogue()
    out = suppress(_doc({"cla_count": 3, "cla_rate_per_10k": 1.5, "starts": 0, "ceased": 5}))
    assert out["measures"] == {"cla_count": "c", "cla_rate_per_10k": "c", "starts": 0, "ceased": 5}


def test_share_built_on_a_small_count() -> None:
    load_catalogue()
    out = suppress(_doc({"placed_over_20_miles": {"count": 2, "denominator": 40, "pct": 5.0},
                         "fostering_share": {"count": 30, "denominator": 40, "pct": 75.0}}))  # fmt: skip
    assert out["measures"]["placed_over_20_miles"] == {"count": "c", "denominator": 40, "pct": "c"}
    assert out["measures"]["fostering_share"] == {"count": 30, "denominator": 40, "pct": 75.0}


def test_secondary_suppression_hides_the_next_smallest_cell() -> None:
    # 3 alone could be recovered from the published total: the next smallest non-zero goes too.
    assert suppress_counts({"a": 3, "b": 0, "c": 7, "d": 20}) == {
        "a": "c",
        "b": 0,
        "c": "c",
        "d": 20,
    }
    # two suppressed cells already protect each other
    assert suppress_counts({"a": 3, "b": 2, "c": 7}) == {"a": "c", "b": "c", "c": 7}


def test_table_secondary_suppression_on_rows_and_columns() -> None:
    table = {
        "x": {"inside": 2, "distant": 10, "near": 30},
        "y": {"inside": 8, "distant": 9, "near": 40},
    }
    out = suppress_table(table)
    # x/inside primary; x/distant (row) and y/inside (column) secondary; then y/distant closes
    # the y row and distant column.
    assert out == {
        "x": {"inside": "c", "distant": "c", "near": 30},
        "y": {"inside": "c", "distant": "c", "near": 40},
    }
    for row in out.values():
        assert sum(v == "c" for v in row.values()) != 1


def test_money_and_bed_nights_are_never_suppressed() -> None:
    load_catalogue()
    out = suppress(
        _doc({"bed_nights_total": 3, "spend_total": 2, "bed_nights_by_placement_type": {"ifa": 2}})
    )
    assert out["measures"] == {
        "bed_nights_total": 3,
        "spend_total": 2,
        "bed_nights_by_placement_type": {"ifa": 2},
    }


def test_trends_and_averages() -> None:
    load_catalogue()
    out = suppress(
        _doc(
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
    )
    assert out["measures"]["trends"]["cla_count"] == {
        "2023": {"value": "c", "change": None},
        "2024": {"value": 9, "change": "c"},
    }
    assert out["measures"]["adoption_a1_days"] == {
        "average": "c",
        "children": "c",
        "three_year_average": 500.0,
        "three_year_children": 9,
        "target": 426.0,
    }


def test_input_is_not_changed() -> None:
    load_catalogue()
    doc = _doc({"cla_count": 3})
    suppress(doc)
    assert doc["measures"] == {"cla_count": 3}


def test_mixed_records_suppress_their_child_counts_and_what_derives_from_them() -> None:
    from sufficiency.measures.suppression import suppress_record

    record = {
        "homes": 3,
        "beds": 12,
        "children_in_homes": 4,
        "children_placed_inside": 2,
        "beds_per_child": 3.0,
        "share_placed_inside_pct": 50.0,
    }
    got = suppress_record(
        record,
        ("children_in_homes", "children_placed_inside"),
        ("beds_per_child", "share_placed_inside_pct"),
    )
    assert got == {
        "homes": 3,
        "beds": 12,
        "children_in_homes": "c",
        "children_placed_inside": "c",
        "beds_per_child": "c",
        "share_placed_inside_pct": "c",
    }
    big = {**record, "children_in_homes": 40, "children_placed_inside": 20}
    assert (
        suppress_record(
            big,
            ("children_in_homes", "children_placed_inside"),
            ("beds_per_child", "share_placed_inside_pct"),
        )
        == big
    )
