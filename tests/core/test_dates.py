"""The date rules every layer shares (sufficiency.dates)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.dates import (
    age_expr,
    age_on,
    financial_year,
    financial_year_expr,
    months_before,
    open_during,
    open_on,
    same_day,
)

D = dt.date


def test_financial_year_turns_on_1_april() -> None:
    assert financial_year(D(2024, 3, 31)) == 2024
    assert financial_year(D(2024, 4, 1)) == 2025
    assert financial_year(D(2024, 1, 1)) == 2024
    frame = pl.DataFrame({"d": [D(2024, 3, 31), D(2024, 4, 1), D(2025, 12, 31)]})
    assert frame.select(financial_year_expr("d")).to_series().to_list() == [2024, 2025, 2026]


def test_a_child_whose_episode_ends_on_d_has_left_by_d() -> None:
    frame = pl.DataFrame(
        {
            "DECOM": [D(2024, 1, 1), D(2024, 1, 1), D(2024, 3, 31), D(2024, 4, 1)],
            "DEC": [D(2024, 3, 31), None, None, None],
        }
    )
    assert frame.select(open_on(D(2024, 3, 31))).to_series().to_list() == [
        False,
        True,
        True,
        False,
    ]


def test_open_during_needs_one_night_of_the_period() -> None:
    frame = pl.DataFrame(
        {
            "s": [D(2023, 1, 1), D(2023, 1, 1), D(2024, 3, 31), D(2024, 4, 1)],
            "e": [D(2023, 4, 1), D(2023, 4, 2), None, None],
        }
    )
    got = frame.select(open_during(D(2023, 4, 1), D(2024, 3, 31), "s", "e")).to_series()
    assert got.to_list() == [False, True, True, False]


def test_age_is_completed_years_and_the_birthday_counts() -> None:
    dobs = [D(2008, 3, 31), D(2008, 4, 1), D(2008, 2, 29)]
    frame = pl.DataFrame({"DOB": dobs})
    on = D(2024, 3, 31)
    assert frame.select(age_expr(on)).to_series().to_list() == [16, 15, 16]
    assert [age_on(d, on) for d in dobs] == [16, 15, 16]
    assert age_on(D(2008, 2, 29), D(2024, 2, 28)) == 15


def test_same_day_and_months_before_clamp_to_the_month() -> None:
    assert same_day(2023, D(2024, 2, 29)) == D(2023, 2, 28)
    assert months_before(D(2024, 3, 31), 1) == D(2024, 2, 29)
    assert months_before(D(2024, 1, 15), 13) == D(2022, 12, 15)


def test_looked_after_during_counts_the_leaving_day() -> None:
    from sufficiency.dates import looked_after_during

    frame = pl.DataFrame(
        {
            "DECOM": [D(2023, 1, 1), D(2023, 1, 1), D(2024, 3, 31), D(2024, 4, 1)],
            "DEC": [D(2023, 3, 31), D(2023, 4, 1), None, None],
        }
    )
    got = frame.select(looked_after_during(D(2023, 4, 1), D(2024, 3, 31))).to_series()
    assert got.to_list() == [False, True, True, False]
