"""Targets: the register read once, direction from the register else the published polarity, one
RAG and one progress rule (measures.targets)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from sufficiency.measures.targets import (
    POLARITY,
    assess,
    direction_for,
    progress,
    rag,
    read_targets,
)
from sufficiency.schema import conform_register

LAIT = Path(__file__).resolve().parents[3] / "shared" / "data" / "dfe" / "lait_data_dictionary.csv"


def _register(rows: list[dict[str, str]]) -> pl.DataFrame:
    """A targets register as text, as a spreadsheet gives it."""
    cols = ["measure_id", "baseline_date", "baseline", "target", "target_date", "direction"]
    text = pl.DataFrame([{c: r.get(c, "") for c in cols} for r in rows])
    return conform_register("targets", text)  # as the Dataset holds it


def test_the_register_direction_wins_over_the_published_polarity() -> None:
    assert POLARITY["stability_three_plus"].direction == "down"
    assert direction_for("stability_three_plus", " Up ") == ("up", "register")
    assert direction_for("stability_three_plus", "") == ("down", "polarity")
    assert direction_for("stability_long_term", None) == ("up", "polarity")


def test_a_measure_without_polarity_needs_a_direction() -> None:
    # the DfE publishes no polarity for the number or rate of children looked after
    assert "cla_rate_per_10k" not in POLARITY and "cla_count" not in POLARITY
    assert direction_for("cla_rate_per_10k", "") == (None, None)
    [t] = read_targets(_register([{"measure_id": "cla_rate_per_10k", "target": "90"}]))
    assert t.direction is None and t.row == 2
    assert t.note == (
        "registers/targets row 2: cla_rate_per_10k has no direction and no published "
        "polarity: direction needed (up or down)"
    )
    assert assess(t, 80.0).status == "Direction needed"
    assert assess(t, 80.0).met is None


def test_the_register_is_read_once_with_its_types() -> None:
    rows = read_targets(
        _register(
            [
                {
                    "measure_id": " stability_three_plus ",
                    "baseline_date": "31/03/2023",
                    "baseline": "12",
                    "target": "9.0",
                    "target_date": "2025-03-31",
                },
                {"measure_id": "", "target": "1"},
                {"measure_id": "placed_over_20_miles", "target": "20", "direction": "up"},
            ]
        )
    )
    assert [(t.row, t.measure_id) for t in rows] == [
        (2, "stability_three_plus"),
        (4, "placed_over_20_miles"),
    ]
    first = rows[0]
    assert (first.baseline_date, first.baseline, first.target, first.target_date) == (
        dt.date(2023, 3, 31),
        12.0,
        9.0,
        dt.date(2025, 3, 31),
    )
    assert (first.direction, first.direction_from, first.note) == ("down", "polarity", None)
    assert (rows[1].direction, rows[1].direction_from) == ("up", "register")
    assert read_targets(None) == [] and read_targets(pl.DataFrame()) == []


def test_rag_statuses() -> None:
    assert rag(9.0, 12.0, 9.0, "down") == "Green"  # met exactly
    assert rag(10.0, 12.0, 9.0, "down") == "Amber"
    assert rag(12.0, 12.0, 9.0, "down") == "Red"  # no better than the baseline
    assert rag(10.0, None, 9.0, "down") == "Baseline needed"  # blank baseline: no RAG
    assert rag(8.0, None, 9.0, "down") == "Baseline needed"  # even when the target is met
    assert rag(78.0, 70.0, 78.0, "up") == "Green"
    assert rag(72.0, 70.0, 78.0, "up") == "Amber"
    assert rag(None, 70.0, 78.0, "up") == "Not available"
    assert rag(72.0, 70.0, None, "up") == "Not available"
    assert rag(72.0, 70.0, 78.0, None) == "Direction needed"


def test_progress_is_the_share_of_the_way_from_baseline_to_target() -> None:
    assert progress(10.5, 12.0, 9.0) == 50.0
    assert progress(9.0, 12.0, 9.0) == 100.0
    assert progress(13.0, 12.0, 9.0) == -33.3
    assert progress(74.0, 70.0, 78.0) == 50.0
    assert progress(10.0, 12.0, 12.0) is None
    assert progress(10.0, None, 9.0) is None
    [t] = read_targets(
        _register([{"measure_id": "stability_three_plus", "baseline": "12", "target": "9"}])
    )
    judged = assess(t, 10.5)
    assert (judged.status, judged.met, judged.progress_pct) == ("Amber", False, 50.0)


@pytest.mark.skipif(not LAIT.exists(), reason="the DfE LAIT data dictionary is not alongside")
def test_each_polarity_is_the_one_the_dfe_publishes() -> None:
    lait = pl.read_csv(LAIT, infer_schema=False).select("Measure_short", "Polarity")
    published = dict(lait.unique("Measure_short").iter_rows())
    to_direction = {"Low": "down", "High": "up"}
    for mid, polarity in POLARITY.items():
        code = polarity.source.split(": ", 1)[1].split(",", 1)[0]
        assert code in published, (mid, code)
        direction = to_direction[published[code]]
        if mid == "care_leavers_in_touch":  # the complement of "not in touch"
            direction = "up" if direction == "down" else "down"
        assert polarity.direction == direction, mid
    assert published["LAC"] == "-" and published["LACnum"] == "-"
