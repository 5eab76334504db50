"""Change on the previous year (measures.change) and the comparator for a year
(measures.comparators): one rule each, shared by trends, benchmarks, the statement and the web."""

from __future__ import annotations

import polars as pl

from sufficiency.measures.change import change, percent_change
from sufficiency.measures.comparators import Comparator, comparator_for, lags, read_comparators
from sufficiency.schema import conform_register


def test_change_is_in_the_measures_own_unit() -> None:
    assert change(395, 415) == 20  # children
    assert isinstance(change(395, 415), int)
    assert change(9.3, 9.0) == -0.3  # percentage points of a share
    assert change(72.46, 75.0) == 2.5  # a rate, one decimal
    assert change(None, 5) is None and change(5, "n/a") is None
    assert change("c", 5) == "c" and change(5, "c") == "c"


def test_percent_change_is_relative_to_the_previous_year() -> None:
    assert percent_change(395, 415) == 5.1
    assert percent_change(1030, 977) == -5.1
    assert percent_change(395, 415, ndigits=0) == 5.0
    assert percent_change(0, 7) is None  # no per cent change from zero
    assert percent_change(None, 7) is None
    assert percent_change("c", 7) == "c"


def test_the_comparator_for_a_year_is_that_years_else_the_latest_earlier() -> None:
    marks = [
        Comparator("cla_rate_per_10k", 2022, "england", 70.0, "DfE"),
        Comparator("cla_rate_per_10k", 2023, "england", 71.0, "DfE"),
        Comparator("cla_rate_per_10k", 2025, "england", 73.0, "DfE"),
        Comparator("cla_rate_per_10k", 2023, "region", 80.0, None),
    ]
    hit = comparator_for(marks, "cla_rate_per_10k", 2024, "england")
    assert hit is not None and (hit.year, hit.value) == (2023, 71.0) and lags(hit, 2024)
    same = comparator_for(marks, "cla_rate_per_10k", 2025, "england")
    assert same is not None and same.value == 73.0 and not lags(same, 2025)
    assert comparator_for(marks, "cla_rate_per_10k", 2021, "england") is None  # never a later
    assert comparator_for(marks, "stability_three_plus", 2024, "england") is None
    twice = [*marks, Comparator("cla_rate_per_10k", 2023, "england", 71.5, "revised")]
    again = comparator_for(twice, "cla_rate_per_10k", 2024, "england")
    assert again is not None and again.value == 71.5  # the later row of the same year wins


def test_the_benchmarks_register_is_read_once() -> None:
    frame = pl.DataFrame(
        {
            "measure_id": [" cla_rate_per_10k", "stability_three_plus", "x"],
            "year": ["2023", "2024", ""],
            "area": ["England", "region", "england"],
            "value": ["70.5", "9.8", "1"],
            "source": ["DfE", "", "DfE"],
        }
    )
    assert read_comparators(conform_register("benchmarks", frame)) == [
        Comparator("cla_rate_per_10k", 2023, "england", 70.5, "DfE"),
        Comparator("stability_three_plus", 2024, "region", 9.8, None),
    ]
    assert read_comparators(None) == []
