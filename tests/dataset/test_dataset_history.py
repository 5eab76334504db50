"""The Dataset's history and cuts (the multi-return merge): linked starts, cut ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from sufficiency.dataset import CUTS_SCHEMA, Dataset
from sufficiency.profile import LAProfile

PROFILE = LAProfile(name="Test council", code="E06000019")

D = dt.date


def _eps(rows: list[tuple[str, str, str | None, str, str | None]]) -> pl.DataFrame:
    """CHILD, DECOM, DEC, RNE, REC: fostering under a care order."""
    return pl.DataFrame(
        [list(r) for r in rows],
        schema={"CHILD": pl.Utf8, "DECOM": pl.Utf8, "DEC": pl.Utf8, "RNE": pl.Utf8, "REC": pl.Utf8},
        orient="row",
    ).with_columns(
        pl.lit("C2").alias("LS"), pl.lit("U4").alias("PLACE"), pl.lit("PR1").alias("PLACE_PROVIDER")
    )


def _ds(episodes: pl.DataFrame, history: pl.DataFrame, cuts: list[tuple[Any, ...]]) -> Dataset:
    children = pl.DataFrame({"CHILD": ["a", "b"], "DOB": ["2010-01-01"] * 2, "SEX": ["M", "F"]})
    return Dataset.from_frames(
        PROFILE,
        children=children,
        episodes=episodes,
        history=history,
        cuts=pl.DataFrame(cuts, schema=CUTS_SCHEMA, orient="row"),
    )


def test_a_cut_start_links_to_the_history_period() -> None:
    # a: the history has one period since 2020 (two episodes); the authority cut it at
    # 1 April 2023 (the 2022-23 return lacks a). b: a real start, nothing cut.
    history = _eps(
        [
            ("a", "2020-01-01", "2022-06-01", "S", "X1"),
            ("a", "2022-06-01", None, "P", None),
            ("b", "2023-05-01", None, "S", None),
        ]
    )
    episodes = _eps([("a", "2023-04-01", None, "P", None), ("b", "2023-05-01", None, "S", None)])
    ds = _ds(episodes, history, [("a", D(2023, 4, 1), D(2022, 6, 1), False)])
    assert ds.episodes_typed.select("CHILD", "linked_DECOM", "end_cut").rows() == [
        ("a", D(2022, 6, 1), False),
        ("b", D(2023, 5, 1), False),
    ]
    periods = ds.periods_of_care.select("CHILD", "start", "linked_start").rows()
    assert periods == [("a", D(2023, 4, 1), D(2020, 1, 1)), ("b", D(2023, 5, 1), D(2023, 5, 1))]
    placements = ds.placements.select("CHILD", "start", "linked_start").rows()
    assert placements == [("a", D(2023, 4, 1), D(2022, 6, 1)), ("b", D(2023, 5, 1), D(2023, 5, 1))]
    # the standard-v1 forecast reads the history
    assert ds.history_typed.height == 3 and ds.episodes_typed.height == 2


def test_a_cut_end_is_marked_on_the_episode_and_its_period() -> None:
    history = _eps([("a", "2022-05-01", None, "S", None)])
    episodes = _eps([("a", "2022-05-01", "2023-04-01", "S", None)])
    ds = _ds(episodes, history, [("a", D(2022, 5, 1), None, True)])
    assert ds.episodes_typed.select("end_cut").to_series().to_list() == [True]
    assert ds.periods_of_care.select("end", "end_cut").rows() == [(D(2023, 4, 1), True)]


def test_without_a_history_the_episodes_are_their_own() -> None:
    ds = Dataset.from_frames(PROFILE, episodes=_eps([("a", "2022-05-01", None, "S", None)]))
    assert ds.history is None and ds.cuts is None
    assert ds.history_typed.equals(ds.episodes_typed)
    assert ds.periods_of_care.select("start", "linked_start", "end_cut").rows() == [
        (D(2022, 5, 1), D(2022, 5, 1), False)
    ]
