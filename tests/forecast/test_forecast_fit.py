"""Fitting on hand-built episodes: stock, rates, entrants and birthday splits counted exactly."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.forecast.config import load_model_config
from sufficiency.forecast.model import build_segments, fit
from sufficiency.profile import LAProfile

PROFILE = LAProfile(name="Test", code="E06000019")


def _ds(rows: list[tuple[str, str, str | None, str, str]], dobs: dict[str, str]) -> Dataset:
    eps = pl.DataFrame(
        rows, schema=["CHILD", "DECOM", "DEC", "PLACE", "PLACE_PROVIDER"], orient="row"
    )
    eps = eps.with_columns(pl.lit("C1").alias("LS"), pl.lit("P").alias("RNE"))
    kids = pl.DataFrame({"CHILD": list(dobs), "DOB": list(dobs.values())})
    return Dataset.from_frames(PROFILE, children=kids, episodes=eps)


def test_rates_entrants_and_stock_are_counted_like_the_peer() -> None:
    ds = _ds(
        [
            # two children in IFA all period; one moves to in-house fostering on 11 Jan
            ("a", "2023-01-01", "2023-01-11", "U4", "PR4"),
            ("a", "2023-01-11", None, "U4", "PR1"),
            ("b", "2023-01-01", None, "U4", "PR4"),
            # c enters on 5 Jan and leaves care on 21 Jan
            ("c", "2023-01-05", "2023-01-21", "U4", "PR4"),
        ],
        {"a": "2012-06-01", "b": "2012-06-01", "c": "2012-06-01"},
    )
    cfg = load_model_config("default")
    m = fit(ds, cfg, dt.date(2023, 1, 1), dt.date(2023, 1, 31))
    names = m.state_names()
    ifa = names.index(("10_to_15", "ifa"))
    inh = names.index(("10_to_15", "in_house_fostering"))
    assert m.x0[ifa] == 1 and m.x0[inh] == 1 and m.x0.sum() == 2
    # a's move on 11 Jan: previous day's IFA stock = 3 (a, b, c); averaged over 31 days
    assert m.transitions[ifa, inh] == pytest.approx(1 / 3 / 31)
    # c leaves on 21 Jan: previous day's IFA stock = 2 (b, c)
    assert m.exits[ifa] == pytest.approx(1 / 2 / 31)
    # entrants: a, b (1 Jan) and c (5 Jan) over (31 - 1) = 30 days
    assert m.entrants[ifa] == pytest.approx(3 / 30)
    assert m.entrants.sum() == pytest.approx(3 / 30)


def test_daily_ageing_splits_episodes_at_the_birthday() -> None:
    ds = _ds([("a", "2020-01-01", "2022-01-01", "U1", "PR1")], {"a": "2005-07-15"})
    segs, _ = build_segments(ds, load_model_config("default"))
    assert segs.select("start", "end", "bracket", "ageing_next").rows() == [
        (dt.date(2020, 1, 1), dt.date(2021, 7, 15), 3, True),
        (dt.date(2021, 7, 15), dt.date(2022, 1, 1), 4, False),
    ]
    m = fit(ds, load_model_config("default"), dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    names = m.state_names()
    frm, to = (
        names.index(("10_to_15", "family_and_friends")),
        names.index(("16_plus", "family_and_friends")),
    )
    assert m.ageing[frm, to] == pytest.approx(1 / 365)
    assert m.transitions.sum() == 0 and m.exits.sum() == 0


def test_short_breaks_are_left_out_by_default_but_kept_by_standard_v1() -> None:
    ds = _ds([("a", "2023-01-01", None, "U4", "PR4")], {"a": "2012-06-01"})
    ds = Dataset.from_frames(
        PROFILE, children=ds.children, episodes=ds.episodes.with_columns(pl.lit("V3").alias("LS"))
    )
    end = dt.date(2023, 3, 31)
    assert fit(ds, load_model_config("default"), dt.date(2023, 1, 1), end).x0.sum() == 0
    assert fit(ds, load_model_config("standard-v1"), dt.date(2023, 1, 1), end).x0.sum() == 1


def test_reference_period_must_be_ordered() -> None:
    ds = _ds([("a", "2023-01-01", None, "U4", "PR4")], {"a": "2012-06-01"})
    with pytest.raises(
        ValueError, match="reference period: end 2023-01-01 must be after start 2023-02-01"
    ):
        fit(ds, load_model_config("default"), dt.date(2023, 2, 1), dt.date(2023, 1, 1))
