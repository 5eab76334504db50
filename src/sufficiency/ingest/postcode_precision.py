"""Placement and home postcodes that are a sector or district, not a full postcode: their
distance is not known (the measures measure from full postcodes only) and their location is
their area's commonest council. An export cutting HOME_POST and PL_POST to the outward code
(``HR1``) turned known distances from 94% to 9% and halved the DfE's over-20-miles indicator,
with no word; the whole column is named here."""

from __future__ import annotations

import polars as pl

from sufficiency.ingest.merge import report_by_file
from sufficiency.ingest.problems import Problem

#: Postcode columns of the episodes that the distance and location measures read.
COLUMNS = ("HOME_POST", "PL_POST")
#: A canonical full postcode ends in its inward code: a space, a digit, two letters.
_FULL_END = r" [0-9][A-Z]{2}$"


def short_postcodes(episodes: pl.DataFrame) -> list[Problem]:
    """A warning for each episode (tagged with its file and row) whose HOME_POST or PL_POST
    (canonical) is a sector or district."""
    problems: list[Problem] = []
    for column in (c for c in COLUMNS if c in episodes.columns):
        value = pl.col(column)
        short = episodes.filter(value.is_not_null() & ~value.str.contains(_FULL_END))
        problems += report_by_file(
            short,
            "warning",
            "postcode_not_full",
            column,
            f"{column} {{v!r}} is a postcode sector or district, not a full postcode: the "
            "placement's distance is not known (and a district on a border may be counted in "
            "the wrong council): export the full postcode",
        )
    return problems
