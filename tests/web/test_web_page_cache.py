"""The page cache every server process shares (web.page_cache) and the revision a process
remembers between requests (web.data_version): a result computed once is read by another
process, never shown for other data or to a role that may see less."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from sufficiency.web import bridge, data_version, page_cache
from sufficiency.web.data.models import CouncilProfile

#: Run by a second Python process: the shared cache's value for ("answer",) at its own revision.
OTHER_PROCESS = """
import json, os
from sufficiency.web.setup import setup_django
setup_django()
from sufficiency.web import bridge, page_cache
value = page_cache.cached(("answer",), lambda: {"computed by": os.getpid()})
print(json.dumps({"revision": bridge.revision(), "value": value}))
"""


@pytest.fixture(autouse=True)
def own_cache(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """This test's own shared cache folder, and no entry or revision left in this process."""
    folder = tmp_path / "state" / "cache" / "pages"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "LOCATION": str(folder)},
    }
    page_cache.forget_local()
    data_version.forget()
    yield folder
    page_cache.forget_local()
    data_version.forget()


def _database_url() -> str:
    db = connection.settings_dict
    assert db["ENGINE"].endswith("postgresql"), "the web tests run on PostgreSQL"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _never() -> Any:
    raise AssertionError("computed again: the cached value was not found")


def test_a_result_another_process_computed_is_read_not_recomputed(db: None, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=_database_url(),
        SUFFICIENCY_STATE_DIR=str(tmp_path / "state"),  # the same cache folder as this test's
        SUFFICIENCY_LOG_FILE="",
    )
    proc = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    other = json.loads(proc.stdout.strip().splitlines()[-1])
    assert other["revision"] == bridge.revision()  # the same (empty) data in both processes
    found = page_cache.cached(("answer",), _never)
    assert found == {"computed by": other["value"]["computed by"]}
    assert found["computed by"] != os.getpid()


def test_a_value_another_process_is_computing_is_waited_for_not_computed_again(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a change of data every request computed the same figures at once (each worker,
    each thread): a process now waits for the value one is computing (its claim in the shared
    cache). Here "another process" holds the claim and stores the value while this one waits."""
    store = page_cache.shared_cache()
    name = page_cache.shared_key((bridge.revision(), "answer"))
    assert store.add(f"{name}:computing", 12345, timeout=60)
    waits: list[float] = []

    def the_other_process_finishes(seconds: float) -> None:
        waits.append(seconds)
        store.set(name, {"computed by": 12345}, timeout=None)
        store.delete(f"{name}:computing")

    monkeypatch.setattr(page_cache.time, "sleep", the_other_process_finishes)
    assert page_cache.cached(("answer",), _never) == {"computed by": 12345}
    assert waits == [page_cache.POLL_SECONDS]


def test_threads_asking_for_one_value_at_once_compute_it_once(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second thread asks while the first is computing: it waits for the first's value."""
    import threading

    revision = bridge.revision()  # worked out before the threads: they use this process's
    monkeypatch.setattr(bridge, "revision", lambda: revision)
    second_asks = threading.Event()
    flight = page_cache._flight

    def watched(name: str) -> threading.Lock:
        lock = flight(name)
        if threading.current_thread().name == "second":
            second_asks.set()
        return lock

    monkeypatch.setattr(page_cache, "_flight", watched)
    computed: list[str] = []

    def slow() -> dict[str, str]:
        computed.append(threading.current_thread().name)
        assert second_asks.wait(60)  # the second thread holds the same lock, waiting on it
        return {"computed by": threading.current_thread().name}

    results: dict[str, Any] = {}

    def ask() -> None:
        results[threading.current_thread().name] = page_cache.cached(("answer",), slow)

    first = threading.Thread(target=ask, name="first")
    first.start()
    while not computed and first.is_alive():  # the first thread is computing
        first.join(0.01)
    second = threading.Thread(target=ask, name="second")
    second.start()
    first.join(60)
    second.join(60)
    assert computed == ["first"]
    assert results == {"first": {"computed by": "first"}, "second": {"computed by": "first"}}


def test_a_result_is_kept_per_data_version(db: None, own_cache: Path) -> None:
    assert page_cache.cached(("count",), lambda: 1) == 1
    files = list(own_cache.iterdir())  # figures about children: private to the service account
    assert [oct(f.stat().st_mode & 0o777) for f in files] == ["0o600"]
    assert oct(own_cache.stat().st_mode & 0o777) == "0o700"
    page_cache.forget_local()  # read back from the shared cache, not this process's memory
    assert page_cache.cached(("count",), _never) == 1
    CouncilProfile.objects.create(toml='name = "Changed"')  # the data changes: a new version
    assert page_cache.cached(("count",), lambda: 2) == 2
    assert page_cache.cached(("count",), _never) == 2
    CouncilProfile.objects.all().delete()  # back to the first data: its value is still there
    assert page_cache.cached(("count",), _never) == 1


def _blocks(client: Client, path: str) -> list[tuple[str, str]]:
    """The dashboard's measure blocks as (title, table HTML) pairs, as the page shows them."""
    response = client.get(path)
    assert response.status_code == 200
    return [
        (b["title"], json.dumps(b, sort_keys=True, default=str)) for b in response.context["blocks"]
    ]


def test_a_role_that_may_see_less_never_gets_another_roles_result(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    viewer_cold = _blocks(client_for("viewer"), "/?theme=placements")
    analyst = _blocks(client_for("analyst"), "/?theme=placements&suppress=0")  # unsuppressed
    viewer_after = _blocks(client_for("viewer"), "/?theme=placements&suppress=0")
    assert analyst != viewer_cold  # not the viewer's result, cached first
    assert viewer_after == viewer_cold  # the viewer's own published figures, not the analyst's
    assert [title for title, _ in analyst] == [title for title, _ in viewer_cold]


def test_a_process_reuses_its_revision_until_a_change_is_made_on_the_web(
    db: None, settings: Any, client_for: Callable[[str], Client]
) -> None:
    settings.REVISION_RECHECK_SECONDS = 60
    first = bridge.revision()
    CouncilProfile.objects.create(toml='name = "Changed by a command"')
    assert bridge.revision() == first  # not asked again within 60 s
    response = client_for("admin").post("/accounts/logout/")  # any request that could write
    assert response.status_code == 302
    second = bridge.revision()
    assert second != first
    settings.REVISION_RECHECK_SECONDS = 0  # the default outside the production server
    CouncilProfile.objects.create(toml='name = "Changed again"')
    assert bridge.revision() != second  # asked every time


def test_a_value_found_once_its_lock_is_taken_leaves_no_lock_behind(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another thread stored the value between this thread's first look and its taking the key's
    lock: the value is read, and the key's lock is not left in ``_flights`` (one was, a key)."""
    store = page_cache.shared_cache()
    full = (bridge.revision(), "answer")
    store.set(page_cache.shared_key(full), {"stored": 1}, timeout=None)
    looks: list[str] = []

    class Late:
        def __getattr__(self, attr: str) -> Any:
            return getattr(store, attr)

        def get(self, key: str, default: Any = None) -> Any:
            looks.append(key)
            return default if len(looks) == 1 else store.get(key, default)

    monkeypatch.setattr(page_cache, "shared_cache", Late)
    assert page_cache._through_shared(full, lambda: {"computed": 1}) == {"stored": 1}
    assert len(looks) == 2 and page_cache._flights == {}
