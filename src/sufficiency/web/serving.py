# mypy: allow-subclassing-any
"""The production server: gunicorn running the workspace's WSGI application in N worker processes
(each with a few threads), its own messages as JSON lines like the workspace's (web.logging)."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from sufficiency.web.logging import JsonFormatter


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 x CPUs + 1, capped at 9 (each worker holds its own caches)."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


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
        }
    ).run()


if __name__ == "__main__":
    import sys

    _host, _port, _workers, _threads, _trusted = sys.argv[1:6]
    run(_host, int(_port), int(_workers), int(_threads), _trusted)
