"""Placement location is worked out on the two postcode columns only (issue 18): the columns
it adds are those ``enrich_locations`` gives the whole frame, row for row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polars.testing import assert_frame_equal

from sufficiency.dataset import Dataset
from sufficiency.geo import enrich_locations

Build = Callable[[list[Any]], Dataset]

ADDED = ["pl_la", "location_band", "distance_miles", "distance_band", "location_precision"]


def test_location_of_the_postcodes_alone_is_that_of_the_whole_frame(dataset_of: Build) -> None:
    ds = dataset_of(
        [
            ("A", "2020-01-01", "2020-03-01", "S", "C2", "U4", "PR1", "X1", None, "HR4 9AW"),
            ("A", "2020-03-01", "2020-06-01", "P", "C2", "K2", "PR4", "X1", "CHILD", "B1 1AA"),
            ("A", "2020-06-01", None, "P", "C2", "U1", "PR1", None, None, None),
            ("B", "2019-01-01", "2019-02-01", "S", "C2", "U1", "PR1", "E11", None, "hr1 2hx "),
            ("C", "2021-05-01", None, "S", "V2", "P2", "PR2", None, None, "ZZ9 9ZZ"),
        ]
    )
    placements = ds.placements
    assert placements.columns[-len(ADDED) :] == ADDED
    whole = enrich_locations(placements.drop(ADDED), ds.profile.code, ds.profile.neighbours)
    assert_frame_equal(placements, whole)
    assert placements.height == 5
