"""A council of seven children: tables no suppression protects are withheld from viewers and
logged; when the audit refuses a year's figures altogether, the viewer's dashboard withholds
every table with its message and logs why; the analyst's unsuppressed view still shows the
figures, and no page fails."""

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


def test_a_table_no_suppression_protects_is_withheld_from_viewers(
    db: None,
    seven_children: Path,
    client_for: Callable[[str], Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Seven children (the City of London's size): the year's fine age bands and placement
    types by location cannot be protected by suppression, so viewers do not get them (the
    statement withholds the same tables)."""
    from sufficiency.web.bridge import import_data_folder

    assert all(r.ok for r in import_data_folder(seven_children))
    with caplog.at_level("WARNING", logger="sufficiency.web.disclosure"):
        page = client_for("viewer").get("/", {"year": "2026"})
    assert page.status_code == 200
    withheld = {
        line.split(": ")[1].split(" (")[0]
        for line in caplog.text.splitlines()
        if "dashboard table withheld from viewers" in line
    }
    assert "placement_type_by_location@2026-03-31" in withheld
    assert "cla_by_fine_age_band@2026-03-31" in withheld
    analyst = client_for("analyst").get("/", {"year": "2026", "suppress": "0"})
    assert analyst.status_code == 200


def test_the_viewer_sees_every_table_withheld_when_the_audit_refuses(
    db: None,
    seven_children: Path,
    client_for: Callable[[str], Client],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What no withholding can protect (the audit's refusal, forced here: the councils tried
    all publish now) withholds the year's every table for viewers, not an error page."""
    from sufficiency.disclosure.audit import DisclosureError, Exposure
    from sufficiency.web.bridge import import_data_folder
    from sufficiency.web.dashboard.protected import WITHHELD

    def refuse(*args: object, **kwargs: object) -> None:
        raise DisclosureError([Exposure("starts@2026-03-31", 4, 4, 4, "children")])

    monkeypatch.setattr("sufficiency.report.protect.protect_measures", refuse)
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
