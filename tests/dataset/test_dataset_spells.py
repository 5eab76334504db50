"""Placements and periods of care derived from hand-built episodes (DESIGN.md rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

from sufficiency.dataset import Dataset

Build = Callable[[list[Any]], Dataset]
D = dt.date.fromisoformat


def _rows(frame: pl.DataFrame, *cols: str) -> list[tuple[Any, ...]]:
    return list(frame.select(cols).iter_rows())


def test_each_placement_rne_starts_a_placement_and_l_continues(dataset_of: Build) -> None:
    ds = dataset_of(
        [
            ("A", "2020-01-01", "2020-03-01", "S", "C2", "U4", "PR1", "X1", None, "HR4 0LX"),
            ("A", "2020-03-01", "2020-06-01", "L", "C1", "U4", "PR1", "X1", "CHILD", "HR4 0LX"),
            ("A", "2020-06-01", "2020-09-01", "P", "C1", "K2", "PR4", "X1", None, "SW1A 1AA"),
            ("A", "2020-09-01", "2020-10-01", "B", "E1", "U5", "PR4", "X1", None, "WR1 1AA"),
            ("A", "2020-10-01", "2020-11-01", "T", "E1", "T0", "PR1", "X1", None, "HR4 0LX"),
            ("A", "2020-11-01", "2020-12-01", "U", "E1", "U4", "PR1", "E11", None, "HR4 0LX"),
        ]
    )
    pl_ = ds.placements
    assert _rows(pl_, "placement", "start", "end", "RNE", "episodes") == [
        (1, D("2020-01-01"), D("2020-06-01"), "S", 2),
        (2, D("2020-06-01"), D("2020-09-01"), "P", 1),
        (3, D("2020-09-01"), D("2020-10-01"), "B", 1),
        (4, D("2020-10-01"), D("2020-11-01"), "T", 1),
        (5, D("2020-11-01"), D("2020-12-01"), "U", 1),
    ]
    first = pl_.row(0, named=True)
    # attributes from the first episode, legal status at both ends, reason from the last episode
    assert (first["PLACE"], first["placement_type"], first["LS_start"], first["LS_end"]) == (
        "U4", "in_house_fostering", "C2", "C1",
    )  # fmt: skip
    assert first["REASON_PLACE_CHANGE"] == "CHILD"
    assert pl_.get_column("placement_type").to_list() == [
        "in_house_fostering", "external_residential", "ifa", "other", "in_house_fostering",
    ]  # fmt: skip
    assert pl_.get_column("temporary").to_list() == [False, False, False, True, False]
    assert pl_.get_column("location_band").to_list() == [
        "inside", "distant", "distant", "inside", "inside",
    ]  # fmt: skip
    assert pl_.get_column("period").to_list() == [1] * 5
    poc = ds.periods_of_care
    assert _rows(poc, "CHILD", "period", "start", "end", "REC", "LS_start", "episodes") == [
        ("A", 1, D("2020-01-01"), D("2020-12-01"), "E11", "C2", 6)
    ]


def test_gap_starts_a_new_period_and_placement(dataset_of: Build) -> None:
    ds = dataset_of(
        [
            ("B", "2019-01-01", "2019-02-01", "S", "C2", "U1", "PR1", "E11", None, None),
            # comes back after a gap; the RNE is (wrongly) P, the gap still opens a new period
            ("B", "2019-05-01", "2019-07-01", "P", "C2", "U1", "PR1", "X1", None, None),
            ("B", "2019-07-01", None, "L", "E1", "U1", "PR1", None, None, None),
        ]
    )
    assert _rows(ds.placements, "placement", "start", "end", "episodes", "period") == [
        (1, D("2019-01-01"), D("2019-02-01"), 1, 1),
        (2, D("2019-05-01"), None, 2, 2),
    ]
    assert _rows(ds.periods_of_care, "period", "start", "end", "REC", "episodes") == [
        (1, D("2019-01-01"), D("2019-02-01"), "E11", 1),
        (2, D("2019-05-01"), None, None, 2),
    ]


def test_period_ends_at_a_reason_other_than_x1(dataset_of: Build) -> None:
    ds = dataset_of(
        [
            # left care (E4A) and came back the same day: two periods, though contiguous
            ("C", "2021-01-01", "2021-02-01", "S", "C2", "U4", "PR4", "E4A", None, None),
            ("C", "2021-02-01", "2021-03-01", "L", "C2", "U4", "PR4", "X1", None, None),
            ("C", "2021-03-01", "2021-04-01", "S", "C2", "U4", "PR4", "E13", None, None),
        ]
    )
    assert _rows(ds.periods_of_care, "period", "start", "end", "REC") == [
        (1, D("2021-01-01"), D("2021-02-01"), "E4A"),
        (2, D("2021-02-01"), D("2021-03-01"), "X1"),
        (3, D("2021-03-01"), D("2021-04-01"), "E13"),
    ]
    assert ds.placements.get_column("placement").to_list() == [1, 2, 3]


def test_open_episodes_and_a_return_starting_mid_period(dataset_of: Build) -> None:
    ds = dataset_of(
        [
            # D's first episode in the data is an L: it still opens the period and placement
            ("D", "2022-04-01", "2022-06-01", "L", "C2", "U5", "PR5", "X1", None, None),
            ("D", "2022-06-01", "2022-09-01", "L", "C1", "U5", "PR5", "X1", None, None),
            ("D", "2022-09-01", None, "L", "E1", "U5", "PR5", None, None, None),
            ("E", "2023-01-01", None, "S", "V3", "U4", "PR1", None, None, None),
        ]
    )
    assert _rows(ds.placements, "CHILD", "placement", "start", "end", "LS_end", "episodes") == [
        ("D", 1, D("2022-04-01"), None, "E1", 3),
        ("E", 1, D("2023-01-01"), None, "V3", 1),
    ]
    assert _rows(ds.periods_of_care, "CHILD", "end", "REC", "short_break") == [
        ("D", None, None, False),
        ("E", None, None, True),
    ]


def test_short_breaks_any_for_placements_all_for_periods(dataset_of: Build) -> None:
    ds = dataset_of(
        [
            ("F", "2020-01-01", "2020-02-01", "S", "V3", "U4", "PR1", "X1", None, None),
            ("F", "2020-02-01", "2020-05-01", "L", "C2", "U4", "PR1", "X1", None, None),
            ("F", "2020-05-01", "2020-06-01", "P", "C2", "U4", "PR1", "E11", None, None),
        ]
    )
    assert ds.placements.get_column("short_break").to_list() == [True, False]
    assert ds.periods_of_care.get_column("short_break").to_list() == [False]


def test_input_order_does_not_matter_and_children_are_separate(dataset_of: Build) -> None:
    rows = [
        ("H", "2020-02-01", None, "P", "C2", "U4", "PR1", None, None, None),
        ("G", "2020-01-01", "2020-02-01", "S", "C2", "U4", "PR1", "X1", None, None),
        ("H", "2020-01-01", "2020-02-01", "S", "C2", "U4", "PR1", "X1", None, None),
        ("G", "2020-02-01", None, "L", "C2", "U4", "PR1", None, None, None),
    ]
    ds = dataset_of(rows)
    assert _rows(ds.placements, "CHILD", "placement", "start", "end") == [
        ("G", 1, D("2020-01-01"), None),
        ("H", 1, D("2020-01-01"), D("2020-02-01")),
        ("H", 2, D("2020-02-01"), None),
    ]
    assert _rows(ds.periods_of_care, "CHILD", "period", "episodes") == [("G", 1, 2), ("H", 1, 2)]


def test_episodes_typed_keeps_rows_and_adds_types(dataset_of: Build) -> None:
    ds = dataset_of(
        [
            ("J", "2020-01-01", "2020-02-01", "S", "V4", "U4", "PR4", "X1", None, None),
            ("J", "2020-02-01", None, "P", "C2", "P2", None, None, None, None),
        ]
    )
    typed = ds.episodes_typed
    assert typed.height == ds.episodes.height == 2
    assert _rows(typed, "placement_type", "short_break", "temporary", "SEX", "DOB") == [
        ("ifa", True, False, "M", D("2010-05-01")),
        ("independent_living", False, False, "M", D("2010-05-01")),
    ]


def test_empty_episodes_give_empty_spells(dataset_of: Build) -> None:
    ds = dataset_of([])
    assert ds.placements.height == 0
    assert ds.periods_of_care.height == 0
    assert {"CHILD", "placement", "start", "end", "location_band"} <= set(ds.placements.columns)


def _reference_spells(rows: list[dict[str, Any]]) -> tuple[list[tuple[Any, ...]], ...]:
    """The rules written out longhand, one episode at a time (independent of the Polars code)."""
    placements: list[tuple[Any, ...]] = []
    periods: list[tuple[Any, ...]] = []
    prev: dict[str, Any] | None = None
    for ep in sorted(rows, key=lambda r: (r["CHILD"], r["DECOM"])):
        new_child = prev is None or prev["CHILD"] != ep["CHILD"]
        new_period = (
            new_child
            or ep["RNE"] == "S"
            or prev is None
            or prev["DEC"] != ep["DECOM"]
            or (prev["REC"] is not None and prev["REC"] != "X1")
        )
        if new_period:
            n_period = 1 if new_child else periods[-1][1] + 1
            periods.append((ep["CHILD"], n_period, ep["DECOM"], ep["DEC"], ep["REC"]))
        else:
            c, n, s, _, _ = periods[-1]
            periods[-1] = (c, n, s, ep["DEC"], ep["REC"])
        if new_period or ep["RNE"] in ("P", "B", "T", "U"):
            n_pl = 1 if new_child else placements[-1][1] + 1
            placements.append((ep["CHILD"], n_pl, ep["DECOM"], ep["DEC"], ep["PLACE"]))
        else:
            c, n, s, _, place = placements[-1]
            placements[-1] = (c, n, s, ep["DEC"], place)
        prev = ep
    return placements, periods


def test_spells_match_a_longhand_reference_on_random_histories(dataset_of: Build) -> None:
    import random

    rng = random.Random(903)
    rows = []
    for child in range(300):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(1000))
        for i in range(rng.randrange(1, 8)):
            if i and rng.random() < 0.1:
                day += dt.timedelta(days=rng.randrange(1, 90))  # a gap
            end = day + dt.timedelta(days=rng.randrange(1, 300))
            is_open = rng.random() < 0.05
            rows.append(
                (
                    f"C{child:03d}",
                    day.isoformat(),
                    None if is_open else end.isoformat(),
                    "S" if i == 0 else rng.choice("PLLBTUS"),
                    rng.choice(["C2", "V3", "E1"]),
                    rng.choice(["U1", "U4", "K2", "T1"]),
                    "PR1",
                    None if is_open else rng.choice(["X1", "X1", "X1", "E11", "E13"]),
                    None,
                    None,
                )
            )
            if is_open:
                break
            day = end
    ds = dataset_of(rows)
    dicts = ds.episodes.to_dicts()
    want_pl, want_poc = _reference_spells(dicts)
    assert _rows(ds.placements, "CHILD", "placement", "start", "end", "PLACE") == want_pl
    assert _rows(ds.periods_of_care, "CHILD", "period", "start", "end", "REC") == want_poc
    assert len(want_pl) > len(want_poc) > 300
