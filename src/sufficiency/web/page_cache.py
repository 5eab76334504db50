"""Page results cached per data version, so that a page shown again for the same data does not
recompute, in whichever server process it lands: the key starts with ``bridge.revision()``,
which changes whenever a return, a register, a home-finding record or the narrative does.

Two tiers: each process keeps its last few values in memory (least recently used dropped
first), in front of Django's cache ``pages`` (``settings.CACHES``: files under
STATE_DIR/cache/pages, private to the service account), which every worker process shares, so
a result one worker computed is read, not recomputed, by the others and by a worker started
later. A value is computed outside the locks, so a slow page never holds up another. Callers
put in the key everything that changes the value, including what the user may see (e.g. whether
figures are suppressed).
"""

from __future__ import annotations

import hashlib
import threading
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


def _through_shared(full: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The shared cache's value for ``full``, else ``compute()`` stored there."""
    store = shared_cache()
    name = shared_key(full)
    found = store.get(name, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    value = compute()
    store.set(name, value, timeout=None)
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
