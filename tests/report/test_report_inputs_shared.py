"""The statement's inputs are worked out in one catalogue run across its years (issue 18): each
year's results, and the statement year's trends table, are the figures of the same measures
computed on their own for each date."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from dataclasses import replace
from typing import Any

import pytest

from sufficiency.dataset import Dataset
from sufficiency.measures import compute
from sufficiency.measures.catalogue import CATALOGUE, Period, Value, to_jsonable
from sufficiency.report import build
from sufficiency.report.build import CONTEXT_IDS, TREND_IDS, statement_inputs
from sufficiency.report.render import render_json


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


def test_earlier_years_worked_out_ahead_change_nothing(
    council_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The earlier years' measures worked out in a second thread give the statement it gives
    without that thread, figure for figure and suppression for suppression."""
    real = build.sources.measure_results
    by_thread: list[tuple[str, int]] = []

    def recorded(ds: Dataset, at: dt.date, ids: Any = None) -> Any:
        by_thread.append((threading.current_thread().name, at.year))
        return real(ds, at, ids)

    monkeypatch.setattr(build.sources, "measure_results", recorded)
    ahead = build.build_statement(council_factory(), 2024, "publish", dt.date(2025, 1, 1))
    # the thread worked out every earlier year with a return (the council's are 2022-2024)
    assert {y for t, y in by_thread if t.startswith("earlier-years")} == {2022, 2023}
    monkeypatch.setattr(build, "_earlier_years_ahead", lambda ds, year: contextlib.nullcontext())
    alone = build.build_statement(council_factory(), 2024, "publish", dt.date(2025, 1, 1))
    assert json.loads(render_json(ahead)) == json.loads(render_json(alone))


def test_a_measure_failing_for_an_earlier_year_fails_the_statement(
    council_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure the second thread meets is not swallowed: the statement stops with it, as it
    stops without the thread."""
    real = CATALOGUE["cla_count"]

    def failing(ds: Dataset, period: Period) -> Value:
        if period.end.year < 2024:
            raise RuntimeError(f"cla_count cannot be worked out for {period.end}")
        return real.func(ds, period)

    monkeypatch.setitem(CATALOGUE, "cla_count", replace(real, func=failing))
    with pytest.raises(RuntimeError, match="cla_count cannot be worked out for 2022-03-31"):
        build.build_statement(council_factory(), 2024, "publish")


def test_nothing_worked_out_ahead_for_statements_known_already(
    council_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A statement built again in the process (the web's case) reads the earlier years'
    statements it worked out before: no thread works their measures out again."""
    ds = council_factory()
    build.build_statement(ds, 2024, "publish")
    real = build.sources.measure_results
    threads: list[str] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(build.sources, "measure_results", recorded)
    build.build_statement(ds, 2024, "publish")
    assert threads
    assert not [t for t in threads if t.startswith("earlier-years")]
