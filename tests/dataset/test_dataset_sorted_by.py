"""``sorted_by``: the rows a stable sort gives, found without sorting when already in order."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sufficiency.dataset import sorted_by

D = dt.date


@pytest.mark.parametrize(
    ("children", "starts", "ends", "already"),
    [
        # in order, blanks and all: the frame itself
        (["1", "1", "10", "2"], [D(2020, 1, 1), D(2020, 2, 1), D(2019, 1, 1), D(2018, 1, 1)],
         [D(2020, 2, 1), None, None, D(2019, 1, 1)], True),
        (["1", "1"], [D(2020, 1, 1), D(2020, 1, 1)], [None, D(2020, 2, 1)], True),
        # "10" before "2" as text; a later DECOM first
        (["2", "10", "1", "1"], [D(2020, 1, 1), D(2020, 1, 1), D(2021, 1, 1), D(2020, 5, 1)],
         [None, D(2020, 3, 1), None, D(2020, 6, 1)], False),
        # a repeated (CHILD, DECOM): ordered by DEC, blank first
        (["1", "1", "1"], [D(2020, 1, 2), D(2020, 1, 2), D(2020, 1, 1)],
         [D(2020, 3, 1), None, D(2020, 1, 2)], False),
        # a blank CHILD sorts first
        (["1", None, "1"], [D(2020, 1, 1), D(2020, 1, 1), D(2020, 2, 1)], [None, None, None],
         False),
        # a blank DEC after a date: out of order
        (["1", "1"], [D(2020, 1, 1), D(2020, 1, 1)], [D(2020, 2, 1), None], False),
    ],
)  # fmt: skip
def test_sorted_by_gives_the_rows_a_stable_sort_gives(
    children: list[str | None],
    starts: list[dt.date],
    ends: list[dt.date | None],
    already: bool,
) -> None:
    frame = pl.DataFrame(
        {"CHILD": children, "DECOM": starts, "DEC": ends, "row": range(len(children))},
        schema={"CHILD": pl.Utf8, "DECOM": pl.Date, "DEC": pl.Date, "row": pl.Int64},
    )
    by = ["CHILD", "DECOM", "DEC"]
    out = sorted_by(frame, by)
    assert out.equals(frame.sort(by, maintain_order=True))
    assert (out is frame) == already


def test_ties_keep_their_order() -> None:
    frame = pl.DataFrame({"CHILD": ["2", "1", "2", "1"], "row": [0, 1, 2, 3]})
    assert sorted_by(frame, ["CHILD"]).get_column("row").to_list() == [1, 3, 0, 2]
    ordered = pl.DataFrame({"CHILD": ["1", "1", "2"], "row": [5, 4, 3]})
    assert sorted_by(ordered, ["CHILD"]) is ordered
