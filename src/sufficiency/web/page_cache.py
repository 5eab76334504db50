"""Page results cached per data version, so that a page shown again for the same data does not
recompute: the key starts with ``bridge.revision()``, which changes whenever a return, a
register or a home-finding record does. Each server process keeps its own few entries (least
recently used dropped first); a value is computed outside the lock, so a slow page never holds
up another."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Entries kept per process (a forecast result is a few MB at most).
SIZE = 32
_lock = threading.Lock()
_entries: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value stored under ``(data version, *key)``, computed by ``compute`` the first time."""
    from sufficiency.web import bridge

    full = (bridge.revision(), *key)
    with _lock:
        if full in _entries:
            _entries.move_to_end(full)
            return _entries[full]  # type: ignore[no-any-return]
    value = compute()
    with _lock:
        _entries[full] = value
        while len(_entries) > SIZE:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget every entry (tests that change data without changing its version)."""
    with _lock:
        _entries.clear()
