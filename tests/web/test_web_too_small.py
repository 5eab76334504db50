"""A council too small to publish: no suppression protects its figures (seven children; a
year's starts less its ceased is the change in two published totals, both small). The viewer's
dashboard withholds every table with its message and logs it, the analyst's unsuppressed view
still shows the figures, and no page fails."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seven_children(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven children in the City of London's geography, made by `sufficiency synth` in a
    child process (as tests/web/conftest.py's council is)."""
    out = tmp_path_factory.mktemp("seven") / "DATA"
    args = ["synth", str(out), "--seed", "1", "--children", "7", "--la", "E09000001"]
    proc = subprocess.run(
        [sys.executable, "-m", "sufficiency.cli", *args], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_the_viewer_sees_every_table_withheld_not_an_error(
    db: None,
    seven_children: Path,
    client_for: Callable[[str], Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from sufficiency.web.bridge import import_data_folder
    from sufficiency.web.dashboard.protected import WITHHELD

    assert all(r.ok for r in import_data_folder(seven_children))
    with caplog.at_level("ERROR", logger="sufficiency.web.disclosure"):
        page = client_for("viewer").get("/", {"year": "2026"})
    assert page.status_code == 200
    text = page.content.decode()
    assert WITHHELD.split(":")[0] in text
    assert "could be worked out" in caplog.text  # the analysts are told why
    analyst = client_for("analyst").get("/", {"year": "2026", "suppress": "0"})
    assert analyst.status_code == 200
    assert WITHHELD.split(":")[0] not in analyst.content.decode()
