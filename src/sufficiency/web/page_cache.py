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
#: The Django cache (``settings.CACHES``) shared by the server's processes.
SHARED = "pages"
_lock = threading.Lock()
_entries: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_MISSING = object()


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
    with _lock:
        if full in _entries:
            _entries.move_to_end(full)
            return _entries[full]  # type: ignore[no-any-return]
    value = _through_shared(full, compute)
    with _lock:
        _entries[full] = value
        while len(_entries) > SIZE:
            _entries.popitem(last=False)
    return value


def forget_local() -> None:
    """Forget this process's entries only (as a newly started worker process has none)."""
    with _lock:
        _entries.clear()


def clear() -> None:
    """Forget every entry, this process's and the shared cache's (tests that change data without
    changing its version)."""
    forget_local()
    shared_cache().clear()
