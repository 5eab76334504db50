"""Statements are built by a background worker: a request never waits on another's statement,
asks again while its own is being prepared, and gets the file when it is ready."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client


def test_a_statement_being_built_holds_up_no_other_request(
    loaded: Path,
    client_for: Callable[[str], Client],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sufficiency.web.dashboard import statement_jobs

    release = threading.Event()
    started = threading.Event()
    real = statement_jobs._build

    def held(*args: Any) -> Path:
        started.set()
        assert release.wait(120), "the test never released the statement job"
        return real(*args)

    monkeypatch.setattr(statement_jobs, "_build", held)
    settings.STATEMENT_WAIT_SECONDS = 0
    viewer = client_for("viewer")
    first = viewer.get("/statement/2024/publish/json/")
    assert first.status_code == 202
    assert first["Refresh"] == "5; url=/statement/2024/publish/json/?waiting=1"
    assert "is being prepared" in first.content.decode()
    assert started.wait(120)
    # while the job is held: other pages answer, and asking again joins the same job
    assert client_for("analyst").get("/registers/").status_code == 200
    assert viewer.get("/statement/").status_code == 200
    assert viewer.get("/statement/2024/publish/json/").status_code == 202
    release.set()
    settings.STATEMENT_WAIT_SECONDS = 120
    # the waiting page's refresh finds it ready: a link to click (browsers block a download
    # nobody clicked), then the file
    ready = viewer.get("/statement/2024/publish/json/?waiting=1")
    assert ready.status_code == 200
    from sufficiency.web.dashboard.statement_views import statement_folder

    key = statement_folder(2024, "publish").parent.name
    link = f"/statement/2024/publish/json/?files={key}"
    assert f'href="{link}"' in ready.content.decode()
    # the data changes before the click: the link still gives the files the page said were ready
    from sufficiency.web import page_cache
    from sufficiency.web.data.narrative import import_narrative

    import_narrative({"introduction": "A changed introduction."})
    page_cache.clear()
    assert statement_folder(2024, "publish").parent.name != key
    done = viewer.get(link)
    assert done.status_code == 200
    assert done["Content-Disposition"] == (
        'attachment; filename="sufficiency-statement-2024-publish.json"'
    )
    written = statement_folder(2024, "publish", key) / "statement.json"
    assert b"".join(done.streaming_content) == written.read_bytes()
    assert not (statement_folder(2024, "publish", key) / "statement.pdf").exists()
    # a made-up or stale key is no file: the current data's statement is prepared instead
    settings.STATEMENT_WAIT_SECONDS = 0
    assert viewer.get("/statement/2024/publish/json/?files=../../etc").status_code == 202
