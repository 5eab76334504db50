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
from collections.abc import Callable

from django.conf import settings

MARK = "data-version:mark"
_lock = threading.Lock()
#: (mark, when, revision) this process worked out last
_last: list[tuple[str, float, str]] = []


def recheck_seconds() -> float:
    """How long a process may reuse a revision (0: never)."""
    return float(getattr(settings, "REVISION_RECHECK_SECONDS", 0) or 0)


def _mark() -> str:
    from sufficiency.web.page_cache import shared_cache

    return str(shared_cache().get(MARK, ""))


def changed() -> None:
    """Say that the data may have changed: every process works its revision out again."""
    if recheck_seconds() <= 0:
        return
    from sufficiency.web.page_cache import shared_cache

    shared_cache().set(MARK, uuid.uuid4().hex, timeout=None)


def remembered(work_out: Callable[[], str]) -> str:
    """``work_out()``, or the value it gave this process last, while that may still be used."""
    seconds = recheck_seconds()
    if seconds <= 0:
        return work_out()
    mark = _mark()  # before working out: a change marked later is seen by the next request
    now = time.monotonic()
    with _lock:
        if _last and _last[0][0] == mark and now - _last[0][1] < seconds:
            return _last[0][2]
    value = work_out()
    with _lock:
        _last[:] = [(mark, now, value)]
    return value


def forget() -> None:
    """Forget this process's revision (the next request works it out)."""
    with _lock:
        _last.clear()
