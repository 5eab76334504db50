"""The comparator year rule, series breaks and the DfE's polarity."""

from __future__ import annotations

from sufficiency.published import (
    comparators,
    comparison_series,
    measure_info,
    polarity,
    published_measures,
)


def test_a_later_year_gets_the_latest_published_labelled() -> None:
    c = comparators("E06000019", "stability_three_plus", 2026)
    assert c is not None
    assert (c.year, c.requested_year, c.lags) == (2025, 2026, True)
    assert c.comparators_json()["england"]["year"] == 2025
    assert comparators("E06000019", "stability_three_plus", 2015) is None  # LAIT starts 2016


def test_a_measure_published_from_2018_lags_to_its_first_year() -> None:
    """Long-term stability is in LAIT from 2018: asking for 2017 gets nothing, not 2018."""
    assert comparators("E06000019", "stability_long_term", 2017) is None
    c = comparators("E06000019", "stability_long_term", 2018)
    assert c is not None and c.published_la is not None
    assert (c.year, c.published_la.value, c.published_la.source) == (
        2018,
        72.0,
        "DfE, Local Authority Interactive Tool",
    )


def test_series_are_latest_first_and_never_spliced_across_a_reorganisation() -> None:
    years = [c.year for c in comparison_series("E06000019", "cla_count")]
    assert years == list(range(2025, 2015, -1))
    cumberland = comparison_series("E06000063", "cla_count")
    assert [(c.year, c.published_la.value if c.published_la else None) for c in cumberland] == [
        (2025, 458.0),
        (2024, 482.0),
        *((y, None) for y in range(2023, 2015, -1)),  # before it was created: not Cumbria's
    ]
    # England and the North West were published in those years: compared with them still
    early = {c.year: c for c in comparison_series("E06000063", "cla_rate_per_10k")}[2021]
    assert early.published_la is not None and early.published_la.symbol == "z"
    assert (early.england.value, early.region.value) == (69.0, 98.0)  # type: ignore[union-attr]
    assert early.region.area_name == "North West"  # type: ignore[union-attr]
    cumbria = comparison_series("E10000006", "cla_count")
    assert cumbria[0].year == 2023 and cumbria[0].published_la is not None
    assert cumbria[0].published_la.value == 740.0


def test_polarity_as_the_lait_dictionary_publishes_it() -> None:
    assert polarity("stability_three_plus") == "down"  # "Low"
    assert polarity("stability_long_term") == "up"  # "High"
    assert polarity("placed_over_20_miles_outside_la") == "down"
    assert polarity("cla_rate_per_10k") == "neutral"  # "-"
    assert polarity("new_placements_over_20_miles_outside_la") is None  # not in LAIT
    assert polarity("not_a_measure") is None


def test_the_distance_comparator_is_shipped_under_the_dfe_definition_only() -> None:
    """The DfE counts over 20 miles AND outside the boundary: never beside our any-distance
    placed_over_20_miles, which has no published counterpart."""
    assert comparators("E06000019", "placed_over_20_miles", 2025) is None
    info = measure_info("placed_over_20_miles_outside_la")
    assert info is not None and info.lait_code == "LACDistance"
    assert "outside LA boundary" in info.title
    assert "AND outside the council's boundary" in info.note


def test_every_shipped_measure_has_a_2025_england_figure() -> None:
    for info in published_measures():
        c = comparators("E06000019", info.measure_id, 2025)
        assert c is not None and c.england is not None and c.england.value is not None, info


def test_an_areas_rows_are_its_published_rows() -> None:
    """The rows remembered for each area are its rows of the shipped values, row by row as
    Polars gives them (every column's value; of two rows of a measure and year, the later)."""
    from sufficiency.published.comparators import FIGURE_COLUMNS, _area_rows
    from sufficiency.published.tables import table

    want: dict[str, dict[tuple[str, int], tuple[object, ...]]] = {}
    values = table("values")
    for measure_id, row in zip(
        values.get_column("measure_id"), values.select(FIGURE_COLUMNS).iter_rows(), strict=True
    ):
        want.setdefault(row[0], {})[(measure_id, row[3])] = row
    assert len(want) > 150
    for area, rows in want.items():
        assert _area_rows(area) == rows, area
    assert _area_rows("E99999999") == {}
