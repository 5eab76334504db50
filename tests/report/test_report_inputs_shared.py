"""The statement's inputs are worked out in one catalogue run across its years (issue 18): each
year's results, and the statement year's trends table, are the figures of the same measures
computed on their own for each date."""

from __future__ import annotations

import datetime as dt

from sufficiency.dataset import Dataset
from sufficiency.measures import compute
from sufficiency.measures.catalogue import to_jsonable
from sufficiency.report.build import CONTEXT_IDS, TREND_IDS, statement_inputs


def test_statement_inputs_equal_each_date_computed_alone(council: Dataset) -> None:
    year = max(council.returns)
    shown, context = statement_inputs(council, year)
    assert sorted(shown) == [dt.date(y, 3, 31) for y in council.returns]
    for at, results in shown.items():
        alone = compute(council, at, None if at.year == year else list(results)).values
        assert {k: to_jsonable(v) for k, v in results.items()} == {
            k: to_jsonable(v) for k, v in alone.items()
        }
        if at.year != year:
            assert set(results) == set(TREND_IDS) & set(alone)
            assert set(context[at]) == set(CONTEXT_IDS)
    trends = to_jsonable(shown[dt.date(year, 3, 31)]["trends"])
    for at, results in shown.items():  # the trends table reads the years shown beside it
        cla = to_jsonable(results["cla_count"])
        assert cla > 0
        assert trends["cla_count"][str(at.year)]["value"] == cla
