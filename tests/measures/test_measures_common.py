"""The shared building blocks of the measures (``measures.common``, ``dates``) on tiny frames."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sufficiency.dates import age_expr
from sufficiency.measures.common import (
    DFE_AGE_BANDS,
    code_expr,
    counts_by_band,
    counts_by_group,
    share_where,
)
from sufficiency.results import Share


def test_age_expr_on_a_date_column_is_age_expr_on_that_date() -> None:
    dob = [dt.date(2008, 3, 31), dt.date(2008, 4, 1), dt.date(2012, 2, 29), None]
    on = dt.date(2026, 3, 31)
    frame = pl.DataFrame({"DOB": dob, "on": [on] * 4})
    got = frame.select(age_expr("on").alias("a"), age_expr(on).alias("b"))
    assert got.get_column("a").to_list() == got.get_column("b").to_list() == [18, 17, 14, None]


def test_code_expr_trims_and_upper_cases() -> None:
    frame = pl.DataFrame({"PLACE": [" u4 ", "K2", None]})
    assert frame.select(code_expr("PLACE")).to_series().to_list() == ["U4", "K2", None]


def test_counts_by_group_keeps_zero_groups_and_counts_others_after_them() -> None:
    frame = pl.DataFrame({"LS": ["c2", "C1", "V2", "ZZ", None]})
    groups = {"care_order": ("C1", "C2"), "section_20": ("V2",), "youth_justice": ("J1",)}
    assert counts_by_group(frame, "LS", groups, "unknown") == {
        "care_order": 2,
        "section_20": 1,
        "youth_justice": 0,
        "unknown": 2,
    }
    assert counts_by_group(frame, "LS", groups, "unknown", extra=False) == {
        "care_order": 2,
        "section_20": 1,
        "youth_justice": 0,
    }


def test_counts_by_band_in_band_order() -> None:
    frame = pl.DataFrame({"age": [0, 4, 4, 16, 17]})
    assert counts_by_band(frame, pl.col("age"), DFE_AGE_BANDS) == {
        "under_1": 1,
        "1_to_4": 2,
        "5_to_9": 0,
        "10_to_15": 0,
        "16_plus": 2,
    }


def test_share_where_counts_rows_meeting_the_condition_of_all_rows() -> None:
    frame = pl.DataFrame({"x": [1, 5, 30, None]})
    assert share_where(frame, pl.col("x") > 2) == Share(2, 4)
