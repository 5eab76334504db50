"""``dataset.sorted_by`` (the merge's and the Dataset's sort): the rows a stable sort gives, and
the frame itself when it is already in order (the usual return, found without sorting)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sufficiency.dataset import sorted_by

D = dt.date


def _frame(children: list[str | None], days: list[dt.date | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"CHILD": children, "DECOM": days, "n": list(range(len(children)))},
        schema={"CHILD": pl.Utf8, "DECOM": pl.Date, "n": pl.Int64},
    )


def test_a_frame_in_order_is_returned_as_it_is() -> None:
    frame = _frame(
        ["1", "1", "10", "2"], [D(2020, 1, 1), D(2020, 1, 1), D(2019, 1, 1), D(2018, 1, 1)]
    )
    assert sorted_by(frame, ["CHILD", "DECOM"]) is frame


@pytest.mark.parametrize(
    ("children", "days"),
    [
        # "10" sorts before "2" as text; a later DECOM listed first; ties keep file order
        (["2", "10", "1", "1"], [D(2020, 1, 1), D(2020, 1, 1), D(2021, 1, 1), D(2020, 5, 1)]),
        (["1", "1", "1"], [D(2020, 1, 2), D(2020, 1, 1), D(2020, 1, 2)]),
        # blanks: sorted first, as the sort puts nulls
        (["1", None, "1"], [D(2020, 1, 1), D(2020, 1, 1), None]),
    ],
)
def test_rows_out_of_order_come_back_as_a_stable_sort_gives_them(
    children: list[str | None], days: list[dt.date | None]
) -> None:
    frame = _frame(children, days)
    got = sorted_by(frame, ["CHILD", "DECOM"])
    assert got.equals(frame.sort(["CHILD", "DECOM"], maintain_order=True))
    assert got.get_column("n").to_list() != frame.get_column("n").to_list()
