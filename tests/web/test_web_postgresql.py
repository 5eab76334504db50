"""The web test suite again, against a real PostgreSQL server the test starts itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_web_suite_passes_on_postgresql(postgres_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": postgres_url}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/web",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-m",
            "not browser",
            "-rA",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = proc.stdout[-3000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, tail
    # pytest's closing line ("93 passed, 2 warnings in 40.1s"), not log lines that say "failed"
    summary = [line for line in proc.stdout.splitlines() if re.search(r"\d+ passed", line)]
    assert summary and " failed" not in summary[-1] and " error" not in summary[-1], tail
    # the PostgreSQL-only concurrency test ran in that run
    assert (
        "PASSED tests/web/test_web_concurrency_pg.py::test_two_simultaneous_allocations_of_the_last_place"
        in proc.stdout
    ), tail
