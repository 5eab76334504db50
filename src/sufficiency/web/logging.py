"""Structured logs: one JSON object a line, to stdout and a private file in the state folder.

Every request is one line (logger ``sufficiency.web.requests``: method, path, status,
duration_ms, user_id, ip); errors carry their traceback in ``traceback``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
from pathlib import Path
from typing import Any

#: Fields a log call may add with ``extra=``; copied into the JSON line when present.
FIELDS = ("method", "path", "status", "duration_ms", "user_id", "ip")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: time, level, logger, message, request fields, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["traceback"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


class PrivateFileHandler(logging.handlers.WatchedFileHandler):
    """Appends to a log file readable only by its owner (0600, folder 0700); reopens the file
    when logrotate moves it. Several server processes may append to it safely."""

    def __init__(self, filename: str | Path, **kwargs: Any) -> None:
        path = Path(filename)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        super().__init__(path, encoding="utf-8", **kwargs)

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding)


def logging_config(log_file: str) -> dict[str, Any]:
    """The ``LOGGING`` setting: JSON lines to stdout and, unless ``log_file`` is empty, a file."""
    handlers: dict[str, dict[str, Any]] = {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    }
    if log_file:
        handlers["file"] = {
            "()": "sufficiency.web.logging.PrivateFileHandler",
            "filename": log_file,
            "formatter": "json",
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "sufficiency.web.logging.JsonFormatter"}},
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": "WARNING"},
        "loggers": {
            "sufficiency.web": {"level": "INFO"},
            # Django logs every 5xx (with its traceback) and 4xx here; the request line covers 4xx.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "ERROR"},
        },
    }
