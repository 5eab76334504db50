"""Charts drawn in worker processes: started (matplotlib imported) while a command builds its
statement, so that rendering the HTML mostly collects finished SVGs.

``with chart_workers():`` around a command's work starts them; ``render.render_html`` hands
them the statement's charts. Without it (the web app, tests, library callers) every chart is
drawn in-process as before. The SVG is the same byte for byte either way (``charts.figure``
sets every rcParam a chart depends on, its ``svg.hashsalt`` included).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sufficiency.report import charts
from sufficiency.report.model import Chart

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

#: The most workers: a statement has about eight charts, and the machines it runs on two cores.
MAX_WORKERS = 2
#: Seconds to wait for one chart from a worker before drawing it here instead (a chart takes a
#: tenth of a second; this is only against a worker that never answers).
WAIT_S = 30.0

#: How much lower a worker's priority is (``os.nice``): it imports matplotlib while the command
#: builds the statement, on the time the build leaves free, not the time it needs.
WORKER_NICE = 10
#: On Linux a priority is a thread's own, and a process started from a thread inherits it.
THREAD_PRIORITY = sys.platform == "linux"

_log = logging.getLogger(__name__)

#: The workers of the ``chart_workers`` context the process is in, if any.
_pool: ProcessPoolExecutor | None = None


def default_workers() -> int:
    """Workers for this machine: one a usable core, at most ``MAX_WORKERS``; none on one core
    (nothing to draw beside). They run behind the main process (``WORKER_NICE``), so two on two
    cores cost its load and build little and draw the charts in half the time one would."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(MAX_WORKERS, cores or 1) if (cores or 1) > 1 else 0


@contextmanager
def chart_workers(workers: int | None = None) -> Iterator[None]:
    """Start ``workers`` chart processes (``default_workers()``; 0: none) importing matplotlib
    straight away; stop them on leaving, on an error or Ctrl-C too.

    They are spawned, never forked (Polars' thread pool is not fork-safe), at a lower priority
    (``WORKER_NICE``), with SIGINT blocked (inherited from the thread starting them): Ctrl-C
    stops the command, which then stops them, and no worker prints a KeyboardInterrupt."""
    global _pool
    count = default_workers() if workers is None else workers
    if count <= 0 or _pool is not None:  # none wanted, or already inside a context
        yield
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    try:  # no processes to be had (no /dev/shm, a process limit): the charts are drawn here
        # on Linux they are started behind (``_start``); elsewhere each lowers its own priority
        behind = None if THREAD_PRIORITY else _lower_priority
        pool = ProcessPoolExecutor(count, mp_context=context, initializer=behind)
    except (OSError, RuntimeError) as exc:
        _log.info("no chart workers (%s): charts drawn in-process", exc)
        yield
        return
    processes = []
    try:
        _start(pool, count)
        processes = list(pool._processes.values())
        _pool = pool
        yield
    finally:
        _pool = None
        for process in processes:  # idle, drawing or still importing: nothing to wait for
            process.terminate()
        pool.shutdown(cancel_futures=True)  # its manager thread reaps them (alone: no race)


def drawing(wanted: Iterable[Chart]) -> Callable[[Chart], str] | None:
    """With workers running, send them the ``wanted`` charts not drawn yet, in order, and
    return what ``charts.render_svg`` would for a chart, taken from its worker (drawn here if
    the worker failed); None without workers."""
    pool = _pool
    if pool is None:
        return None
    futures: dict[str, Future[str]] = {}
    try:
        for chart in wanted:
            spec = repr(chart)
            if spec not in futures and not charts.is_drawn(chart):
                futures[spec] = pool.submit(_draw, chart)
    except RuntimeError:  # a broken pool refuses work (BrokenProcessPool is a RuntimeError)
        pass

    def from_worker(chart: Chart) -> str:
        future = futures.pop(repr(chart), None)
        if future is not None:
            try:
                return future.result(timeout=WAIT_S)
            except Exception:  # the worker died, failed or never answered: draw it here
                future.cancel()
        return charts.draw_svg(chart)

    return lambda chart: charts.render_svg(chart, draw=from_worker)


def _start(pool: ProcessPoolExecutor, count: int) -> None:
    """Start ``count`` workers (each submission starts one: they start on demand). Where a
    priority is a thread's own (``THREAD_PRIORITY``) they are started from a thread behind this
    one (``WORKER_NICE``): they start up (Python, then matplotlib) on the time the command
    leaves free from their first instruction."""

    def submit() -> None:
        with _sigint_blocked():
            for _ in range(count):
                try:
                    pool.submit(_warm)
                except (OSError, RuntimeError) as exc:
                    _log.info("chart worker not started (%s)", exc)
                    break

    if not THREAD_PRIORITY:  # elsewhere a priority is the whole process's
        submit()
        return
    import threading

    def behind() -> None:
        _lower_priority()
        submit()

    starter = threading.Thread(target=behind, name="chart-workers")
    starter.start()
    starter.join()


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT blocked in this thread meanwhile (a Ctrl-C then comes after): a process it starts
    keeps it blocked, from its first instruction."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _lower_priority() -> None:
    """A worker starts behind the command's own process (``WORKER_NICE``)."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICE)


def _warm() -> None:
    """Import what drawing a chart imports, before the first chart arrives."""
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    import matplotlib.figure  # noqa: F401


def _draw(chart: Chart) -> str:
    """A chart's SVG, in a worker."""
    return charts.draw_svg(chart)
