"""Days since 1970-01-01, the simulation's time unit: conversions and the collection year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sufficiency.synth.daynumbers import (
    add_years,
    add_years_expr,
    date_of,
    days,
    dmy,
    iso_date,
    return_year,
)


def test_days_and_dates_round_trip() -> None:
    d = dt.date(2024, 2, 29)
    assert date_of(days(d)) == d
    assert iso_date(days(d)) == "2024-02-29"
    assert iso_date(None) is None and iso_date(-1) is None


def test_return_year_runs_1_april_to_31_march() -> None:
    first, last = return_year(2024)
    assert (date_of(first), date_of(last)) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))


def test_add_years_moves_29_february_to_28_february() -> None:
    born = np.array([days(dt.date(2008, 2, 29)), days(dt.date(2008, 3, 1))])
    assert [date_of(d) for d in add_years(born, 17)] == [dt.date(2025, 2, 28), dt.date(2025, 3, 1)]
    frame = pl.DataFrame({"d": born}).select(dmy(add_years_expr(pl.col("d"), 16)).alias("x"))
    assert frame["x"].to_list() == ["29/02/2024", "01/03/2024"]  # 2024 has a 29 February
