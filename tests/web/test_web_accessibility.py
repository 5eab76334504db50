"""Every page of the workspace passes axe-core (run in Debian's chromium) with no serious or
critical violation: the sign-in page, every page an administrator reaches by following links
from the dashboard (each dashboard theme once, every other page once; files are not pages), and
the analyst's own view of the dashboard, data and statement pages (navigation and filters differ).

Pages are found by crawling, each link resolved against the URL configuration, so a new page
linked from anywhere is checked without editing this file; the test fails when a URL pattern is
neither reached nor listed in ``NOT_PAGES`` with the reason it is no page of its own. No axe rule
is switched off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_journeys import Session, launched_browser, running_app
from django.urls import Resolver404, URLPattern, URLResolver, resolve
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Impacts that fail the check (axe's scale: minor, moderate, serious, critical).
FAILING = {"serious", "critical"}

#: Where the crawls start: signed in, the dashboard links to everything else (search is a form);
#: signed out, the sign-in page and the password-reset pages a person reaches from an email.
START = ["/", "/search/?q=a"]
START_SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/password-reset/sent/",
    "/accounts/password-reset/",
    "/accounts/reset/MQ/0-0/",
    "/accounts/reset/done/",
]

#: URL names that are no page to check, and why.
NOT_PAGES = {
    "logout": "a POST that signs out",
    "health": "JSON for the load balancer",
    "otp_verify": "only reached after a password when an authenticator app is set up",
    "upload_review": "reached only by uploading files (its problems table: test_web_browser)",
    "register_import_review": "reached only by uploading a register",
    **{
        name: "a POST from a form on another page"
        for name in (
            "unlock",
            "delete_year",
            "upload_confirm",
            "upload_cancel",
            "restore_archive",
            "register_retire",
            "register_restore",
            "register_import_confirm",
            "register_import_cancel",
            "scenario_delete",
            "referral_allocate",
            "referral_outcome",
            "referral_withdraw",
            "referral_hold",
            "referral_release",
            "referral_answer",
            "referral_summary",
            "user_role",
            "user_email",
            "user_deactivate",
            "user_reactivate",
            "user_reset",
        )
    },
}

#: The state the pages need beyond the app's set-up: the council's returns, saved scenarios, a
#: referral and a provider contact (all made in the web: none comes with the data folder).
SET_UP = """
from pathlib import Path
import sys
from sufficiency.web.setup import setup_django
setup_django()
from django.contrib.auth.models import User
from sufficiency.web.bridge import import_data_folder
from sufficiency.web.dashboard.forecast_views import EXAMPLE
from sufficiency.web.dashboard.models import Scenario
from sufficiency.web.matching.models import Referral
results = import_data_folder(Path(sys.argv[1]))
assert all(r.ok for r in results), [p for r in results for p in r.problems]
from sufficiency.web.matching.models import ProviderContact
for name in ("admin", "analyst"):  # the administrator changes their own and copies the other
    Scenario.objects.create(name=f"Fewer entries {name}", text=EXAMPLE,
                            owner=User.objects.get(username=name))
ProviderContact.objects.create(provider_id="SC100", name="Oak House", email="oak@example.org")
Referral.objects.create(referral_id="R-A11Y", data={
    "id": "R-A11Y", "child": {"age": 12, "sex": "F", "uasc": False, "disability": False},
    "needed_by": "2024-06-01", "urgency": "today", "siblings": 0,
    "suitability": {"foster": "preferred", "residential": "unsuitable", "supported": "unsuitable"},
    "needs": [], "avoid_areas": []})
"""


@pytest.fixture(scope="module")
def site(small_council: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the council's returns loaded, a scenario and a referral."""
    state = tmp_path_factory.mktemp("a11y-state")
    with running_app(small_council, state) as url:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        env.update(SUFFICIENCY_STATE_DIR=str(state))
        done = subprocess.run(
            [sys.executable, "-c", SET_UP, str(small_council)],
            env=env,
            capture_output=True,
            text=True,
            cwd=state,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        yield url


def axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page once its charts are drawn: the
    rule, impact, element and help, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_function(
        "[...document.querySelectorAll('.app-chart')].every(c => c.dataset.rendered)"
    )
    found = Axe().run(page).response["violations"]
    return [
        f"{urlsplit(page.url).path}: {v['id']} ({v['impact']}) {n['target']}: {v['help']}"
        for v in found
        if v["impact"] in FAILING
        for n in v["nodes"]
    ]


def _names(patterns: list[Any]) -> set[str]:
    """Every URL name in the configuration."""
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            names |= _names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(p.name)
    return names


def _key(href: str) -> tuple[str, str] | None:
    """The URL name a link leads to (with the dashboard's theme), or None off the site."""
    parts = urlsplit(href)
    if parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        name = resolve(parts.path).url_name or ""
    except Resolver404:
        return None
    theme = parse_qs(parts.query).get("theme", [""])[0] if name == "dashboard" else ""
    return name, theme


def _crawl(page: Any, base: str, start: list[str]) -> tuple[set[str], list[str]]:
    """Visit each page reachable from ``start`` once per key (files are left); the URL names
    reached and the violations found."""
    seen: set[tuple[str, str]] = set()
    reached: set[str] = set()
    problems: list[str] = []
    queue = list(start)
    while queue:
        href = queue.pop(0)
        key = _key(href)
        if key is None or key in seen or key[0] in NOT_PAGES:
            continue
        seen.add(key)
        try:
            response = page.goto(base + href, wait_until="load")
        except PlaywrightError as e:  # a link to a file: no page to check
            assert "Download is starting" in str(e), (href, e)
            reached.add(key[0])
            continue
        reached.add(key[0])
        if response is None or response.status != 200:
            problems.append(f"{href}: HTTP {response.status if response else None}")
            continue
        problems += axe_violations(page)
        links = page.eval_on_selector_all(
            "a[href]",
            "links => links.map(a => [a.getAttribute('href'), a.hasAttribute('download')])",
        )
        queue += [link for link, download in links if not download]
        reached |= {k[0] for link, download in links if download and (k := _key(link))}
    return reached, problems


def test_every_page_has_no_serious_or_critical_accessibility_issue(site: str) -> None:
    from sufficiency.web.urls import urlpatterns

    with launched_browser() as browser:
        anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
        page = anonymous.new_page()
        page.set_default_timeout(60_000)
        reached, problems = _crawl(page, site, START_SIGNED_OUT)
        anonymous.close()

        admin = Session(browser, site, "admin")
        admin.page.set_default_timeout(60_000)
        signed_in, found = _crawl(admin.page, site, START)
        reached |= signed_in
        problems += found
        admin.context.close()

        analyst = Session(browser, site, "analyst")
        analyst.page.set_default_timeout(60_000)
        for path in ("/", "/data/", "/statement/"):
            analyst.page.goto(site + path, wait_until="load")
            problems += [f"analyst {p}" for p in axe_violations(analyst.page)]
        analyst.context.close()

    missed = _names(urlpatterns) - reached - set(NOT_PAGES)
    if missed:
        problems.append(f"pages neither checked nor listed in NOT_PAGES: {sorted(missed)}")
    assert problems == [], "\n".join(problems)
    assert {"password_reset", "child_detail", "register_edit", "referral_detail"} <= reached
