"""The data's revision remembered across requests by a server process, so that a page does not
ask the database for it (a few dozen queries) on every request.

A process may reuse the revision it last worked out while both hold:

- no request that could write (anything but GET and HEAD) has finished in any process since:
  each such request leaves a new mark in the shared cache (``page_cache.SHARED``) once it is
  done (``RevisionPerRequestMiddleware``), and the mark is read before the revision is worked
  out, so a page asked for after a change made on the web always shows it;
- it is younger than ``settings.REVISION_RECHECK_SECONDS``, the longest a change made outside
  the web (``sufficiency`` commands on the same database) goes unseen.

``REVISION_RECHECK_SECONDS`` is 0 (ask every time) unless set: the production server sets it
(``web.serving``).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

MARK = "data-version:mark"
_lock = threading.Lock()
#: (mark, when, revision) this process worked out last
_last: list[tuple[str, float, str]] = []


def recheck_seconds() -> float:
    """How long a process may reuse a revision (0: never)."""
    return float(getattr(settings, "REVISION_RECHECK_SECONDS", 0) or 0)


#: Within one request that only reads, the data cannot change: its mark and revision are worked
#: out once (``reading_request``); None outside such a request.
_request: ContextVar[dict[str, str] | None] = ContextVar("data_version_request", default=None)


@contextmanager
def reading_request() -> Iterator[None]:
    """Within the block (a request that only reads) ``mark()`` and ``bridge.revision()`` are
    worked out once (``request_memo``)."""
    token = _request.set({})
    try:
        yield
    finally:
        _request.reset(token)


def request_memo() -> dict[str, str] | None:
    """Values worked out once in this read-only request, or None outside one."""
    return _request.get()


def mark() -> str:
    """A value that changes whenever a request that could write has finished, in any process
    (pages rendered for the data version are kept only while it holds: ``web.rendered``)."""
    from sufficiency.web.page_cache import shared_cache

    memo = _request.get()
    if memo is not None and "mark" in memo:
        return memo["mark"]
    value = str(shared_cache().get(MARK, ""))
    if memo is not None:
        memo["mark"] = value
    return value


def changed() -> None:
    """Say that the data may have changed: every process works its revision out again, and no
    page rendered before is shown again."""
    from sufficiency.web.page_cache import shared_cache

    shared_cache().set(MARK, uuid.uuid4().hex, timeout=None)


#: How many values ``until_changed`` keeps per process (all are forgotten beyond it).
KEPT_MAX = 4096
_kept: dict[Hashable, tuple[str, Any]] = {}


def until_changed(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept in this process until any request that could write has finished in
    any process (``mark``): for what only the web changes, such as whether a user has an
    authenticator app, asked on every page."""
    now_mark = mark()
    with _lock:
        found = _kept.get(key)
    if found is not None and found[0] == now_mark:
        return found[1]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        _kept[key] = (now_mark, value)
    return value


def remembered(work_out: Callable[[], str]) -> str:
    """``work_out()``, or the value it gave this process last, while that may still be used."""
    seconds = recheck_seconds()
    if seconds <= 0:
        return work_out()
    now_mark = mark()  # before working out: a change marked later is seen by the next request
    now = time.monotonic()
    with _lock:
        if _last and _last[0][0] == now_mark and now - _last[0][1] < seconds:
            return _last[0][2]
    value = work_out()
    with _lock:
        _last[:] = [(now_mark, now, value)]
    return value


def forget() -> None:
    """Forget this process's revision and kept values (the next request works them out)."""
    with _lock:
        _last.clear()
        _kept.clear()
