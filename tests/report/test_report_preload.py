"""The renderers' libraries load in a background thread while the statement builds: matplotlib
always, WeasyPrint only when a PDF is to be printed."""

from __future__ import annotations

import subprocess
import sys

import pytest

_CHECK = """
import sys
from sufficiency.report.render import preload
assert "matplotlib" not in sys.modules and "weasyprint" not in sys.modules
preload(pdf={pdf}).join()
print("matplotlib.figure" in sys.modules, "weasyprint" in sys.modules)
"""


@pytest.mark.parametrize(("pdf", "loaded"), [(True, "True True"), (False, "True False")])
def test_preload_imports_what_the_renderers_need(pdf: bool, loaded: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK.format(pdf=pdf)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == loaded.split()
