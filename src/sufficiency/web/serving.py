# mypy: allow-subclassing-any
"""The production server: gunicorn running the workspace's WSGI application in N worker processes
(each with a few threads), its own messages as JSON lines like the workspace's (web.logging).

Before any worker starts, a separate process warms the shared page cache (``web.warm``); each
worker then reads the Dataset from that cache before it takes its first request, so no request
waits for the Dataset to be rebuilt, and results computed by one worker are read by the others
(``web.page_cache``)."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from sufficiency.web.logging import JsonFormatter


def default_workers() -> int:
    """CPUs + 1, capped at 9: pages are mostly Python work (one CPU per process at a time), so a
    worker per CPU and one to cover the waits on the database; more only share the same CPUs
    and each holds its own copy of the Dataset."""
    return min((os.cpu_count() or 1) + 1, 9)


#: How long a worker may reuse the data's revision (web.data_version): a change made on the web
#: is seen at once; one made by a command outside the web within this many seconds.
REVISION_RECHECK_SECONDS = "2"


def warm_before_workers(server: Any) -> None:
    """gunicorn ``on_starting`` hook (in the master, before workers start): warm the shared cache
    in a separate process, so the master itself never loads polars (see ``exec_server``)."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "sufficiency.web.warm"], check=False, timeout=600)


def load_dataset_in_worker(worker: Any) -> None:
    """gunicorn ``post_worker_init`` hook: the worker reads the Dataset (from the shared cache)
    before it takes a request."""
    from django.db import connections

    from sufficiency.web import bridge

    try:
        bridge.dataset_or_none()
    except Exception:  # the first request will try again and show what is wrong
        worker.log.exception("the worker could not load the Dataset")
    finally:
        connections.close_all()


class JsonLogger(Logger):
    """gunicorn's logger (start, stop, worker timeouts and crashes) writing JSON lines."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())


class Server(BaseApplication):
    """gunicorn with its options given here rather than on a command line."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from sufficiency.web.wsgi import application

        return application


def exec_server(host: str, port: int, workers: int, threads: int, trusted_proxies: str) -> None:
    """Replace this process with a fresh one running :func:`run` (never returns).

    ``sufficiency serve`` has migrated and maybe imported data with polars by now; forking
    workers from such a process can deadlock them (polars' thread pool does not survive a
    fork), so gunicorn's master starts clean and each worker loads Django itself.
    """
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    args = [host, str(port), str(workers), str(threads), trusted_proxies]
    os.execv(sys.executable, [sys.executable, "-m", "sufficiency.web.serving", *args])


def run(host: str, port: int, workers: int, threads: int, trusted_proxies: str) -> None:
    """Serve on HOST:PORT until stopped (SIGTERM / Ctrl-C stop it gracefully)."""
    os.environ.setdefault("SUFFICIENCY_REVISION_RECHECK_SECONDS", REVISION_RECHECK_SECONDS)
    Server(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            # A statement PDF can take a minute to build; a stuck worker is restarted after this.
            "timeout": 120,
            "graceful_timeout": 30,
            # The workspace logs each request itself (method, path, status, duration, user).
            "accesslog": None,
            "errorlog": "-",
            "logger_class": JsonLogger,
            "forwarded_allow_ips": trusted_proxies or "127.0.0.1,::1",
            "control_socket_disable": True,
            "proc_name": "sufficiency",
            "on_starting": warm_before_workers,
            "post_worker_init": load_dataset_in_worker,
        }
    ).run()


if __name__ == "__main__":
    import sys

    _host, _port, _workers, _threads, _trusted = sys.argv[1:6]
    run(_host, int(_port), int(_workers), int(_threads), _trusted)
