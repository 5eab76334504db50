"""Statement files built in a background worker, so that building one (a PDF takes seconds to a
minute) never holds up other requests.

The worker is a small thread pool in each server process (``SUFFICIENCY_STATEMENT_WORKERS``,
default 2). A job gets the Dataset from the request that asked for it and runs only the library
(``report.build.build_statement``, ``report.output.write_statement``, which writes its files
atomically into the state folder), so it needs no database connection. Requests for the same
files share one job; a request waits for its job up to ``STATEMENT_WAIT_SECONDS`` and is
otherwise told the statement is being prepared (``pending``), to ask again. Files already built
are served at once, by any process.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sufficiency.dataset import Dataset

_lock = threading.Lock()
_jobs: dict[tuple[Path, bool], Future[Path]] = {}
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            workers = int(os.environ.get("SUFFICIENCY_STATEMENT_WORKERS", "2"))
            _pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="statement")
        return _pool


def _build(ds: Dataset, folder: Path, year: int, mode: str, pdf: bool) -> Path:
    from sufficiency.report.build import build_statement
    from sufficiency.report.output import write_statement

    data = build_statement(ds, year, "internal" if mode == "internal" else "publish")
    # the folder is one data version's: a PDF another job wrote there meanwhile is this data's
    write_statement(data, folder, pdf=pdf, remove_stale=False)
    return folder


def submit(ds: Dataset, folder: Path, year: int, mode: str, fmt: str) -> Future[Path]:
    """The job that writes ``folder/statement.<fmt>`` (a finished one if the file exists; the
    running one if another request asked first)."""
    if (folder / f"statement.{fmt}").exists():
        done: Future[Path] = Future()
        done.set_result(folder)
        return done
    pdf = fmt == "pdf"
    key = (folder, pdf)
    with _lock:
        job = _jobs.get(key) or (_jobs.get((folder, True)) if not pdf else None)
        if job is not None and not (job.done() and job.exception() is not None):
            return job
    job = _executor().submit(_build, ds, folder, year, mode, pdf)
    with _lock:
        _jobs[key] = job
        for k in [k for k, j in _jobs.items() if j.done() and k != key]:
            del _jobs[k]  # finished jobs are the files now
    return job
