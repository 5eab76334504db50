"""Shared by the browser journeys (Playwright, Debian's chromium): the server a module's journeys
run against (``sufficiency serve`` on a free port with its own state folder) and one signed-in
person's browser context. The fixtures ``app`` and ``browser`` are in ``conftest``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
#: How long a journey waits for the network to go quiet before going on with the loaded page.
IDLE_WAIT_MS = 45_000
#: How long no request may be in flight for the page to count as quiet (Playwright's measure).
QUIET_S = 0.5
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
    small_council: Path, state: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """`sufficiency serve` on a free port with a fresh state folder: profile, registers and one
    user per role, but no returns (the journeys upload them). ``extra_env`` is added to the
    server's environment."""
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
    subprocess.run(
        [sys.executable, "-c", SETUP, str(small_council), PASSWORD],
        env=env,
        check=True,
        capture_output=True,
        cwd=state,
    )
    port = _free_port()
    log = (state / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "sufficiency.cli", "serve", "--port", str(port)],
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
        yield b
        b.close()


class Session:
    """One signed-in person in their own browser context; collects page errors and CSP reports."""

    def __init__(self, browser: Any, base: str, role: str) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        self.context.set_default_timeout(PAGE_TIMEOUT_MS)
        self.context.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
        self.context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP violation', e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber, e.sample))"
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.in_flight: set[Any] = set()  # the page's requests not yet finished or failed
        self.page.on("request", lambda r: self.in_flight.add(r))
        self.page.on("requestfinished", lambda r: self.in_flight.discard(r))
        self.page.on("requestfailed", lambda r: self.in_flight.discard(r))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(m.text)
                if m.type == "error"
                and not m.text.startswith(
                    ("Failed to load resource", "Applying inline style violates")
                )
                else None
            ),
        )
        self.page.on(
            "response",
            lambda r: self.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
        )
        self.go("/accounts/login/")
        self.page.fill("#id_username", role)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.settle()
        assert self.page.url == base + "/", self.page.url

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.settle()
        return response

    def settle(self) -> None:
        """Wait for the page to load and then go quiet: no request of its own in flight for
        ``QUIET_S``, as long as that takes up to ``IDLE_WAIT_MS``. The requests are counted here,
        not by Playwright's "network idle", which on the dashboard sometimes never came although no
        request of the page was in flight (seen with the page's own request events), so a journey
        waited the whole limit: 45 s, several times in a run."""
        self.page.wait_for_load_state("load")
        deadline = time.monotonic() + IDLE_WAIT_MS / 1000
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            if self.in_flight:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_S:
                return
            self.page.wait_for_timeout(100)  # Playwright delivers the request events meanwhile

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

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors
