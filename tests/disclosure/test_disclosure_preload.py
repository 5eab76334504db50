"""The audit's solver loads in a background thread while a statement's figures are worked out
(issue 18): once it has, the audit solves as before and a second preload does nothing."""

from __future__ import annotations

import subprocess
import sys

_CHECK = """
import sys
from sufficiency.disclosure.audit import SOLVER_MODULE, preload
assert SOLVER_MODULE not in sys.modules
thread = preload()
assert thread is not None
thread.join()
print(SOLVER_MODULE in sys.modules, preload() is None)
"""


def test_preload_imports_the_solver_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]
