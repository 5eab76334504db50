"""Shared by the browser journeys (Playwright, Debian's chromium): the server a module's journeys
run against (``sufficiency serve`` on a free port with its own state folder) and one signed-in
person's browser context. The fixtures ``app`` and ``browser`` are in ``conftest``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHOTS = ROOT / "test-output" / "web"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser-journey-password-7"
#: How long a page, click or wait may take before a journey fails (ms). The journeys check what
#: people see, not speed (that is `make bench`): a page the server computes afresh after an
#: upload can take tens of seconds when both test workers are busy, so Playwright's 30 s default
#: would make the suite fail on a loaded machine.
PAGE_TIMEOUT_MS = 240_000
#: How long a journey waits for the page's own requests to finish before going on with it.
IDLE_WAIT_MS = 45_000
#: Worker processes of the journeys' server: two, not ``serve``'s CPUs + 1. Each worker loads the
#: Dataset at start and again after each change of the data, so a third costs CPU on the 2-core
#: test machine that the journeys (one person's requests at a time) never use.
WORKERS = 2
#: How long the server may take to stop gracefully after the journeys before it is killed.
SHUTDOWN_WAIT_S = 5
SETUP = """
from pathlib import Path
import sys
from sufficiency.web.setup import setup_django
setup_django()
from sufficiency.web.operations import create_user, migrate
from sufficiency.web.bridge import import_registers
from sufficiency.web.data.models import CouncilProfile
migrate()
migrated = Path(sys.argv[3])
if not migrated.exists():
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(migrated)])
for role in (
    "admin", "analyst", "home_finder", "commissioner", "viewer", "fostering_manager", "director"
):
    create_user(role, role, sys.argv[2])
council = Path(sys.argv[1])
CouncilProfile.objects.create(toml=(council / "la.toml").read_text())
import_registers(council / "registers")
from sufficiency.web.data.narrative import import_narrative
import_narrative({f.stem: f.read_text() for f in (council / "narrative").glob("*.md")})
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(
    small_council: Path,
    state: Path,
    extra_env: dict[str, str] | None = None,
    extra_setup: str = "",
) -> Iterator[str]:
    """`sufficiency serve` on a free port with a fresh state folder: profile, registers and one
    user per role, but no returns (the journeys upload them). ``extra_env`` is added to the
    server's environment; ``extra_setup``, Python run after the set-up in the same process (the
    council folder is ``council``), adds state before the server starts: one process less than a
    later one, and the server warms its cache with that state once instead of each worker
    reloading it at its first request."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `bash scripts/install-system.sh`")
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(SUFFICIENCY_STATE_DIR=str(state), SUFFICIENCY_INSECURE_COOKIES="1")
    env.update(
        DJANGO_SETTINGS_MODULE="journey_settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    )
    env.update(extra_env or {})
    # An empty database with every migration applied, kept beside the council for the next
    # server of this test process: Django's migrations take ~4 s of CPU on a new database, 0.2 s
    # to find nothing to do.
    migrated = small_council.parent / "migrated.sqlite3"
    if migrated.exists():
        shutil.copyfile(migrated, state / "sufficiency.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", SETUP + extra_setup, str(small_council), PASSWORD, str(migrated)],
        env=env,
        capture_output=True,
        text=True,
        cwd=state,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    port = _free_port()
    log = (state / "serve.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            *("-m", "sufficiency.cli", "serve", "--port", str(port), "--workers", str(WORKERS)),
        ],
        env=env,
        cwd=state,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its workers and their jobs can be stopped together
    )
    try:
        # start-up migrates and collects (and compresses) the static files: minutes on a busy box
        deadline = time.time() + 300
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, (state / "serve.log").read_text()[-2000:]
            time.sleep(0.2)
        else:
            pytest.fail("the server did not start in 300 s: " + (state / "serve.log").read_text())
        yield f"http://127.0.0.1:{port}"
    finally:
        # gunicorn stops gracefully, but a worker's statement job (a PDF someone asked for) keeps
        # its process alive until done or for gunicorn's 30 s grace: the journeys are over, so
        # after a short wait the server's whole process group is killed.
        server.terminate()
        try:
            server.wait(timeout=SHUTDOWN_WAIT_S)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)
        log.close()


@contextmanager
def launched_browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield b
        finally:
            for axe in (False, True):  # its tabs close with it
                _IDLE.pop((id(b), axe), None)
            b.close()


#: Browser tabs that closed sessions gave back (with their contexts), by browser (``id``) and
#: ``axe``: the next session signs in on one, with no cookie left. A tab keeps its renderer
#: process, which keeps the scripts it compiled: the dashboard took 3.8-4.3 s to load in a new
#: tab (the 5 MB plotly bundle compiled again, in a new context or not), 2.1-2.3 s in a tab that
#: had shown it (on a loaded 2-core machine).
_IDLE: dict[tuple[int, bool], list[tuple[Any, Any]]] = {}


def new_context(browser: Any, axe: bool = False) -> Any:
    """A fresh browser context (no cookies) with the journeys' window size and time limits;
    with ``axe``, axe-core (axe_playwright_python's copy) is in every page it loads, from the
    page's start: Chromium compiles an init script once for the context, where evaluating the
    572 KB script in each page to check took 0.15-0.3 s a page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    if axe:
        from axe_playwright_python.base import AXE_FILE_PATH

        context.add_init_script(path=AXE_FILE_PATH)
    return context


class Session:
    """One signed-in person in a browser context of their own, on the page ``start`` (the sign-in
    form's "next": a journey that starts elsewhere does not wait for the dashboard first);
    collects page errors and CSP reports. ``axe``: see ``new_context``."""

    def __init__(
        self, browser: Any, base: str, role: str, start: str = "/", axe: bool = False
    ) -> None:
        self.base = base
        self.idle = _IDLE.setdefault((id(browser), axe), [])
        reused = bool(self.idle)
        if reused:
            self.context, self.page = self.idle.pop()
        else:
            self.context = new_context(browser, axe)
            self.context.add_init_script(
                "document.addEventListener('securitypolicyviolation', e => console.error("
                "'CSP violation', e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber, e.sample))"
            )
            self.page = self.context.new_page()
        self.errors: list[str] = []
        self.in_flight: set[Any] = set()  # the page's requests not yet finished or failed
        self.handlers: list[tuple[str, Any]] = [
            ("request", lambda r: self.in_flight.add(r)),
            ("requestfinished", lambda r: self.in_flight.discard(r)),
            ("requestfailed", lambda r: self.in_flight.discard(r)),
            ("pageerror", lambda e: self.errors.append(f"page error: {e}")),
            (
                "console",
                lambda m: (
                    self.errors.append(m.text)
                    if m.type == "error"
                    and not m.text.startswith(
                        ("Failed to load resource", "Applying inline style violates")
                    )
                    else None
                ),
            ),
            (
                "response",
                lambda r: (
                    self.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None
                ),
            ),
        ]
        for event, handler in self.handlers:
            self.page.on(event, handler)
        self.go("/accounts/login/" + (f"?{urlencode({'next': start})}" if start != "/" else ""))
        if reused:  # what the last person's pages stored in the browser (htmx's history)
            self.page.evaluate("localStorage.clear()")
        self.page.fill("#id_username", role)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.settle()
        assert self.page.url == base + start, self.page.url

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.settle()
        return response

    def settle(self) -> None:
        """Wait for the page to load and for its own requests (htmx's) to finish, up to
        ``IDLE_WAIT_MS``. An action that starts a navigation returns once the new page starts
        loading (Playwright waits for that), and no page of the app requests anything after its
        load event unless a person acts (charts are drawn from the page, htmx fetches on change
        or submit), so no quiet period is waited for: that was 0.5 s at every step. The requests
        are counted here, not by Playwright's "network idle", which on the dashboard sometimes
        never came although no request of the page was in flight (seen with the page's own
        request events), so a journey waited the whole limit: 45 s, several times in a run."""
        from playwright.sync_api import Error as PlaywrightError

        deadline = time.monotonic() + IDLE_WAIT_MS / 1000
        while True:
            self.page.wait_for_load_state("load")
            try:  # a round trip to the page: Playwright delivers the request events due by now
                self.page.evaluate("0")
            except PlaywrightError:  # a navigation replaced the page meanwhile: wait for it
                assert time.monotonic() < deadline, f"{self.page.url} did not settle"
                continue
            if not self.in_flight or time.monotonic() > deadline:
                return
            self.page.wait_for_timeout(50)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def download(self, selector: str, timeout: float = 300) -> Any:
        """Click a statement download and get the file as a person would: at once when it is
        ready, else through the 'being prepared' page, which refreshes itself to a 'ready' page
        whose button is clicked (browsers cancel a download nobody clicked)."""
        got: list[Any] = []

        def handler(download: Any) -> None:
            got.append(download)

        self.page.on("download", handler)
        try:
            self.page.click(selector, no_wait_after=True)
            deadline = time.monotonic() + timeout
            clicked = False
            while not got:
                assert time.monotonic() < deadline, f"no download from {selector} in {timeout} s"
                if not clicked and self.page.locator("#statement-ready").count():
                    self.page.click("#statement-ready", no_wait_after=True)
                    clicked = True
                self.page.wait_for_timeout(250)
        finally:
            self.page.remove_listener("download", handler)
        return got[0]

    def close(self, check_errors: bool = True) -> None:
        """Sign out (the cookies are cleared) and give the tab back for the next session (see
        ``_IDLE``); then the page errors, CSP reports and failed requests seen must be none."""
        for event, handler in self.handlers:
            self.page.remove_listener(event, handler)
        self.context.clear_cookies()
        self.idle.append((self.context, self.page))
        assert self.errors == [] or not check_errors, self.errors
