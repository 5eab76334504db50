"""Shared helpers of the forecast: a model restricted to some states, config validation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from pydantic import BaseModel, Field
from tiny_models import tiny_model

from sufficiency.config_files import validated
from sufficiency.forecast.model import _sorted


def test_restricted_keeps_the_chosen_states_only() -> None:
    model = tiny_model(
        [1.0, 2.0, 3.0],
        transitions=[[0, 0.1, 0.2], [0.3, 0, 0.4], [0.5, 0.6, 0]],
        exits=[0.01, 0.02, 0.03],
        categories=("A", "B", "C"),
    )
    sub = model.restricted(np.array([0, 2]))
    assert sub.n_states == 2
    assert sub.x0.tolist() == [1.0, 3.0]
    assert sub.transitions.tolist() == [[0, 0.2], [0.5, 0]]
    assert sub.exits.tolist() == [0.01, 0.03]
    assert sub.exposure is None
    assert sub.config is model.config  # the config still names every state


class _Settings(BaseModel):
    size: int = Field(ge=1)


class _Bad(ValueError):
    pass


def test_validated_names_the_file_and_the_field() -> None:
    assert validated(_Settings, {"size": 2}, "a.yaml", _Bad).size == 2
    with pytest.raises(_Bad, match=r"^a\.yaml: size: Input should be greater than or equal to 1$"):
        validated(_Settings, {"size": 0}, "a.yaml", _Bad)


def test_validated_names_the_whole_mapping_when_no_field_is_at_fault() -> None:
    with pytest.raises(_Bad, match=r"^a\.yaml: config: "):
        validated(_Settings, [1], "a.yaml", _Bad, whole="config")
    with pytest.raises(_Bad, match=r"^a\.yaml: : "):
        validated(_Settings, [1], "a.yaml", _Bad)


D = dt.date


@pytest.mark.parametrize(
    ("children", "starts", "ends"),
    [
        # already in order, one row per (CHILD, DECOM): the frame itself
        (["1", "1", "10", "2"], [D(2020, 1, 1), D(2020, 2, 1), D(2019, 1, 1), D(2018, 1, 1)],
         [D(2020, 2, 1), None, None, D(2019, 1, 1)]),
        # "10" before "2" as text; a later DECOM first
        (["2", "10", "1", "1"], [D(2020, 1, 1), D(2020, 1, 1), D(2021, 1, 1), D(2020, 5, 1)],
         [None, D(2020, 3, 1), None, D(2020, 6, 1)]),
        # a repeated (CHILD, DECOM): ordered by DEC, blank first
        (["1", "1", "1"], [D(2020, 1, 2), D(2020, 1, 2), D(2020, 1, 1)],
         [D(2020, 3, 1), None, D(2020, 1, 2)]),
        # a blank CHILD sorts first
        (["1", None, "1"], [D(2020, 1, 1), D(2020, 1, 1), D(2020, 2, 1)], [None, None, None]),
    ],
)  # fmt: skip
def test_sorted_gives_the_rows_a_sort_gives(
    children: list[str | None], starts: list[dt.date], ends: list[dt.date | None]
) -> None:
    frame = pl.DataFrame(
        {"CHILD": children, "DECOM": starts, "DEC": ends},
        schema={"CHILD": pl.Utf8, "DECOM": pl.Date, "DEC": pl.Date},
    )
    by = ["CHILD", "DECOM", "DEC"]
    assert _sorted(frame, by).equals(frame.sort(by, nulls_last=False))
