"""The ONS 0-17 estimates as the DfE uses them: the rate at 31 March Y divides by mid-year Y-1."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from published_sources import read_csv

from sufficiency.published import comparators, population_under_18


def test_herefordshire_2025_reproduces_the_published_rate() -> None:
    """344 children looked after / 34,439 children (mid-2024) x 10,000 = 99.9, published 100."""
    est = population_under_18("E06000019", 2025)
    assert est is not None
    assert (est.value, est.mid_year, est.lagged) == (34439, 2024, False)
    c = comparators("E06000019", "cla_rate_per_10k", 2025)
    assert c is not None and c.published_la is not None
    assert c.published_la.count == 344 and c.published_la.denominator == est.value
    assert round(344 / est.value * 10_000) == c.published_la.value == 100


def test_later_years_use_the_latest_estimate_and_say_so() -> None:
    est = population_under_18("884", 2026)
    assert est is not None
    assert (est.value, est.mid_year, est.lagged) == (34439, 2024, True)
    assert population_under_18("884", 2012) is None  # mid-2011 is not in the file


def test_no_estimate_for_a_year_the_council_did_not_exist() -> None:
    assert population_under_18("E06000063", 2023) is None  # Cumberland, created April 2023
    cumberland = population_under_18("E06000063", 2024)
    assert cumberland is not None and (cumberland.value, cumberland.mid_year) == (52019, 2023)
    assert population_under_18("909", 2024) is None  # Cumbria, abolished


def test_a_former_code_uses_the_same_area_series() -> None:
    """Somerset's estimates are filed under E10000027 up to mid-2022."""
    old = population_under_18("E10000027", 2022)
    new = population_under_18("E06000066", 2022)
    assert old == new and new is not None and new.value == 109389


def test_every_published_denominator_is_the_estimate_for_the_year_before(source: Path) -> None:
    """Every population the DfE printed beside a 2021-2025 rate is our fallback's value."""
    rows = read_csv("cla_number_and_rate_per_10k_children.csv").filter(
        pl.col("population_type") == "Children looked after on 31 March each year",
        pl.col("population_estimate") != "x",
    )
    checked = 0
    for r in rows.iter_rows(named=True):
        area = r["new_la_code"] or r["region_code"] or r["country_code"]
        est = population_under_18(area, int(r["time_period"]))
        assert est is not None and est.value == int(r["population_estimate"]), r
        checked += 1
    assert checked == 821  # 167 areas x 5 years, less 14 printed "x" (councils not existing)
