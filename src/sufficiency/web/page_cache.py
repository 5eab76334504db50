"""Page results cached per data version, so that a page shown again for the same data does not
recompute, in whichever server process it lands: the key starts with ``bridge.revision()``,
which changes whenever a return, a register, a home-finding record or the narrative does.

Two tiers: each process keeps its last few values in memory (least recently used dropped
first), in front of Django's cache ``pages`` (``settings.CACHES``: files under
STATE_DIR/cache/pages, private to the service account), which every worker process shares, so
a result one worker computed is read, not recomputed, by the others and by a worker started
later. A value is computed once however many requests ask for it at once (the others wait for
it, ``_through_shared``), outside the memory tier's lock, so a slow page never holds up another
page. Callers put in the key everything that changes the value, including what the user may see
(e.g. whether figures are suppressed).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import BaseCache, caches

T = TypeVar("T")

#: Entries kept per process (a forecast result is a few MB at most).
SIZE = 32
#: Rendered pages kept per process (``remembered``; about 20-80 KB each).
PAGES_SIZE = 512
#: The Django cache (``settings.CACHES``) shared by the server's processes.
SHARED = "pages"
_MISSING = object()


class _Memory:
    """A process's last ``size`` values, least recently used dropped first (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()

    def get(self, key: tuple[Hashable, ...]) -> Any:
        with self.lock:
            if key not in self.entries:
                return _MISSING
            self.entries.move_to_end(key)
            return self.entries[key]

    def put(self, key: tuple[Hashable, ...], value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_results = _Memory(SIZE)
_pages = _Memory(PAGES_SIZE)


def shared_cache() -> BaseCache:
    """The cache every server process reads and writes (``settings.CACHES["pages"]``)."""
    return caches[SHARED]


def shared_key(full: tuple[Hashable, ...]) -> str:
    """The shared cache's key for ``full``: a digest of its text, the same in every process
    (keys are tuples of strings, numbers, booleans and None, whose text does not vary)."""
    return "page:" + hashlib.sha256(repr(full).encode()).hexdigest()


#: The longest one process waits for another to compute a value; past it the claim lapses and
#: the waiting process computes the value itself (the other stopped, or is stuck). Shorter than
#: the proxy's 130 s (docs/deploy.md), so a waiting page is never cut off by it.
CLAIM_SECONDS = 120
#: How often a process waiting for another's value looks for it.
POLL_SECONDS = 0.05
_flights_lock = threading.Lock()
#: shared key -> the lock the threads of this process computing or waiting for it take
_flights: dict[str, threading.Lock] = {}


def _flight(name: str) -> threading.Lock:
    with _flights_lock:
        return _flights.setdefault(name, threading.Lock())


def _awaited(store: BaseCache, name: str, claim: str) -> Any:
    """The value another process is computing under ``claim``, once it is stored; _MISSING if the
    claim ends (or lapses) without one."""
    while store.has_key(claim):
        time.sleep(POLL_SECONDS)
        found = store.get(name, _MISSING)
        if found is not _MISSING:
            return found
    return store.get(name, _MISSING)


def _through_shared(full: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The shared cache's value for ``full``, else ``compute()`` stored there, computed once: the
    other threads of this process (a lock per key) and the other processes (a claim in the
    shared cache) asking for it meanwhile wait for that value instead of computing it too.

    Without this every request that arrived after a change of data computed the same figures at
    once (a worker's threads and every worker), so on two cores each took the time of all."""
    store = shared_cache()
    name = shared_key(full)
    found = store.get(name, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    claim = f"{name}:computing"
    with _flight(name):
        try:
            found = store.get(name, _MISSING)
            while found is _MISSING and not store.add(claim, os.getpid(), timeout=CLAIM_SECONDS):
                found = _awaited(store, name, claim)
            if found is not _MISSING:
                return found  # type: ignore[no-any-return]
            try:
                value = compute()
                store.set(name, value, timeout=None)
            finally:
                store.delete(claim)
        finally:  # the key's lock goes however its value came (one left a key made it grow)
            with _flights_lock:
                _flights.pop(name, None)
    return value


def shared(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value stored under ``(data version, *key)`` in the shared cache only, computed by
    ``compute`` and stored the first time (for a value the caller keeps in memory itself)."""
    from sufficiency.web import bridge

    return _through_shared((bridge.revision(), *key), compute)


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value stored under ``(data version, *key)``: from this process's memory, else from the
    shared cache, else computed by ``compute`` (and stored in both)."""
    from sufficiency.web import bridge

    full = (bridge.revision(), *key)
    found = _results.get(full)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    value = _through_shared(full, compute)
    _results.put(full, value)
    return value


def remembered(
    key: tuple[Hashable, ...], compute: Callable[[], T], keep: Callable[[], bool] = lambda: True
) -> T:
    """The value stored under ``(data version, *key)`` in this process's memory only, else
    computed by ``compute`` and stored if ``keep()`` then says so (rendered pages: cheap to
    rebuild from the cached results, too many and too small to be worth the shared cache's
    files)."""
    from sufficiency.web import bridge

    full = (bridge.revision(), *key)
    found = _pages.get(full)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    value = compute()
    if keep():
        _pages.put(full, value)
    return value


def forget_local() -> None:
    """Forget this process's entries only (as a newly started worker process has none)."""
    _results.clear()
    _pages.clear()


def clear() -> None:
    """Forget every entry, this process's and the shared cache's (tests that change data without
    changing its version)."""
    forget_local()
    shared_cache().clear()
