"""The analyses the statement calls instead of computing them itself: the 100-mile child list
(measures.drilldown), the population by ethnicity (measures.child_population) and the cells of
change and share (measures.change, results.Share)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.measures import compute
from sufficiency.measures.child_population import population_ethnicity
from sufficiency.measures.drilldown import placed_at_least
from sufficiency.report.sections.blocks import change_cell as _change_cell
from sufficiency.report.sections.blocks import pct_cell as _pct_cell

AT = dt.date(2024, 3, 31)


def test_the_100_mile_list_is_the_cohort_the_measure_counts(council: Dataset) -> None:
    far = placed_at_least(council, AT)
    share = compute(council, AT, ids=["placed_over_100_miles"]).values["placed_over_100_miles"]
    assert far.height == share.get("count") > 0
    assert far.columns == ["CHILD", "placement_type", "placement_start", "distance_miles", "pl_la"]
    miles = far.get_column("distance_miles").to_list()
    assert min(miles) >= 100.0 and miles == sorted(miles, reverse=True)
    assert far.get_column("CHILD").n_unique() == far.height
    # nobody is listed at 500 miles or more in a council whose farthest placements are ~200
    assert placed_at_least(council, AT, 500.0).height == 0


def test_population_by_ethnicity_is_the_years_row_else_the_latest_earlier(
    council: Dataset,
) -> None:
    expected = {"white": 91.5, "mixed": 3.5, "asian": 2.5, "black": 1.0, "other": 1.5}
    assert population_ethnicity(council, 2024) == expected
    assert population_ethnicity(council, 2026) == expected  # 2024 is the latest
    assert population_ethnicity(council, 2021) == {}  # nothing that early
    pop = pl.DataFrame({"year": [2023, 2024], "population_under_18": [10, 11]})
    plain = dataclasses.replace(council, registers={**council.registers, "population": pop})
    assert population_ethnicity(plain, 2024) == {}  # no ethnicity columns


def test_change_and_share_cells_use_the_shared_rules() -> None:
    assert _change_cell(395, 415, "s").value == 5.1
    assert _change_cell("c", 415, "s").value == "c"
    assert _change_cell(0, 415, "s").value is None
    assert _pct_cell(154, 978, "s").value == 15.7
    assert _pct_cell(3, "c", "s").value == "c"
    assert _pct_cell(5, 0, "s").value is None
    assert _pct_cell(None, 10, "s").value is None
