"""The forecast's demand streams are the measures' own flows."""

from __future__ import annotations

import datetime as dt

from sufficiency.dataset import Dataset
from sufficiency.forecast.scenarios import BASELINE
from sufficiency.forecast.streams import demand_streams
from sufficiency.measures.catalogue import Period
from sufficiency.measures.demand_streams import uasc_flow


def test_without_uasc_rows_the_uasc_flows_are_what_the_measures_find(sample_ds: Dataset) -> None:
    # the peer's sample has no UASC table: no flow, found without working out who was looked after
    assert sample_ds.uasc.height == 0
    end = dt.date(2022, 3, 31)
    found = uasc_flow(sample_ds, Period.year_ending(end))
    stream = demand_streams(sample_ds, BASELINE, end, [dt.date(2023, 3, 31)], 365.25)["uasc"]
    assert (stream["start"], stream["entries"], stream["end"]) == (
        found.start,
        found.entries,
        found.end,
    )
