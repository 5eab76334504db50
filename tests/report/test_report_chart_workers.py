"""Charts drawn by worker processes (``report.chart_workers``) are the charts drawn in-process,
byte for byte; a broken worker falls back to drawing in-process; no worker outlives its context."""

from __future__ import annotations

import dataclasses
import os
import time
from collections import OrderedDict
from collections.abc import Iterator

import pytest
from chart_samples import line_chart

from sufficiency.dataset import Dataset
from sufficiency.report import chart_workers, charts
from sufficiency.report.build import build_statement
from sufficiency.report.model import Chart, Series
from sufficiency.report.render import render_html


def _samples() -> list[Chart]:
    """The sample line chart, and bar and horizontal-bar charts of its figures."""
    line = line_chart("workers-line")
    bar = dataclasses.replace(line, id="workers-bar", kind="bar")
    barh = dataclasses.replace(
        line,
        id="workers-barh",
        kind="barh",
        series=[Series(name="This council", values=[411.0, None, 420.0])],
    )
    return [line, bar, barh]


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """No chart remembered as drawn in this process."""
    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())


def _refuse(chart: Chart) -> str:
    """Drawing in this process, patched in: whatever is drawn came from a worker."""
    raise AssertionError(f"{chart.id} drawn in-process")


@pytest.fixture
def workers() -> Iterator[None]:
    with chart_workers.chart_workers(1):
        yield


def test_without_workers_nothing_is_sent() -> None:
    assert chart_workers.drawing(_samples()) is None


def test_a_workers_svg_is_the_in_process_svg(
    workers: None, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = _samples()
    in_process = [charts.draw_svg(chart) for chart in samples]
    monkeypatch.setattr(charts, "draw_svg", _refuse)
    draw = chart_workers.drawing(samples)
    assert draw is not None
    assert [draw(chart) for chart in samples] == in_process
    assert all(charts.is_drawn(chart) for chart in samples)  # remembered, as if drawn here
    assert [charts.render_svg(chart) for chart in samples] == in_process


def test_statement_html_is_the_same_with_workers(
    council: Dataset, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = build_statement(council, 2024, "publish")
    assert any(section.charts() for section in data.sections)
    in_process = render_html(data)
    monkeypatch.setattr(charts, "_DRAWN", OrderedDict())
    monkeypatch.setattr(charts, "draw_svg", _refuse)
    with chart_workers.chart_workers(2):
        with_workers = render_html(data)
    assert with_workers == in_process


def test_a_broken_pool_draws_in_process(fresh: None) -> None:
    samples = _samples()
    expected = [charts.draw_svg(c) for c in samples]
    with chart_workers.chart_workers(1):
        pool = chart_workers._pool
        assert pool is not None
        died = pool.submit(os._exit, 1)  # the worker dies: the pool is broken
        assert isinstance(died.exception(), RuntimeError)
        draw = chart_workers.drawing(samples)
        assert draw is not None
        assert [draw(c) for c in samples] == expected


def test_a_worker_lost_after_the_charts_were_sent_draws_in_process(fresh: None) -> None:
    samples = _samples()
    expected = [charts.draw_svg(c) for c in samples]
    with chart_workers.chart_workers(1):
        pool = chart_workers._pool
        assert pool is not None
        for process in list(pool._processes.values()):
            process.kill()
        draw = chart_workers.drawing(samples)
        assert draw is not None
        assert [draw(c) for c in samples] == expected


def test_a_worker_that_never_answers_is_not_waited_for(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = _samples()
    expected = [charts.draw_svg(c) for c in samples]
    monkeypatch.setattr(chart_workers, "WAIT_S", 0.01)
    with chart_workers.chart_workers(1):
        pool = chart_workers._pool
        assert pool is not None
        pool.submit(time.sleep, 3600)  # the only worker is busy for an hour
        draw = chart_workers.drawing(samples)
        assert draw is not None
        assert [draw(c) for c in samples] == expected
    # leaving the context stopped the busy worker rather than waiting an hour for it


def test_no_worker_outlives_its_context_even_on_an_error() -> None:
    with pytest.raises(KeyError), chart_workers.chart_workers(2):
        pool = chart_workers._pool
        assert pool is not None
        processes = list(pool._processes.values())
        assert len(processes) == 2
        raise KeyError("stopped while the workers import matplotlib")
    assert chart_workers._pool is None
    assert not any(process.is_alive() for process in processes)


def test_no_workers_when_asked_for_none() -> None:
    with chart_workers.chart_workers(0):
        assert chart_workers._pool is None


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities")
def test_workers_run_behind_the_command() -> None:
    """Each worker runs WORKER_NICE behind the command, whose own priority does not change."""
    own = os.nice(0)
    with chart_workers.chart_workers(2):
        pool = chart_workers._pool
        assert pool is not None
        niceness = {pool.submit(os.nice, 0).result() for _ in range(4)}
        assert os.nice(0) == own
    assert niceness == {min(19, own + chart_workers.WORKER_NICE)}


def test_no_processes_to_be_had_draws_in_process(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where processes cannot be started (no /dev/shm, a process limit), the context still
    runs the command's work and the charts are drawn in this process."""
    import concurrent.futures

    def cannot(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", cannot)
    with chart_workers.chart_workers(2):
        assert chart_workers.drawing(_samples()) is None
        assert charts.render_svg(_samples()[0]) == charts.draw_svg(_samples()[0])
