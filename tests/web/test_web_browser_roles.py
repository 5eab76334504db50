"""Browser journeys (Debian's chromium, Playwright) on one app with the council's returns loaded:
first every page is checked with axe-core, then each role does its own work (issue 20).

**Every page** passes axe-core with no serious or critical violation, and shows no error in the
browser's console (a chart Plotly cannot place, a script error, a refused resource) to a signed-in
person: the sign-in and
password-reset pages, every page an administrator reaches by following links from the dashboard
(each dashboard theme once, every other page once; files are not pages), and the analyst's own view
of the dashboard, data and statement pages (navigation and filters differ). Pages are found by
crawling, each link resolved against the URL configuration, so a new page linked from anywhere is
checked without editing this file; the test fails when a URL pattern is neither reached nor listed
in ``NOT_PAGES`` with the reason it is no page of its own. No axe rule is switched off; colour
contrast, a property of the stylesheets and components an area of the site shares (the dashboard's
themes, the registers, home finding ...), is checked on the first page of each area (it is most of
axe's time on a page: 0.2-2 s of a page's 0.4-4 s).

**Each role's work**, with axe-core on every page it sees and screenshots in
test-output/web/roles-*.png: a director drilling from a count to a child's timeline, a viewer who
sees no child, an analyst searching, a home finder holding a place, a fostering manager keeping
the carers register, a commissioner comparing scenarios, an administrator managing accounts.
Every rule but colour contrast runs on each of those pages. Colour contrast is checked on a
journey's page when it shows a state no crawled page shows (a place held, a role change to
confirm: ``new_state``), else when no page of its area has been checked for contrast in this run
(``CONTRASTED``: the crawl, first in the module, checks the signed-in areas). A journey's other
pages are the crawl's pages shown to another role (fewer links and buttons, other rows of the
same tables): the same stylesheets and components, whose contrast the crawl's argument covers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_journeys import PAGE_TIMEOUT_MS, Session, launched_browser, new_context, running_app
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
    "statement_download": "a file, built in the background (its waiting and ready pages: "
    "test_web_statement_worker)",
    "register_import_review": "reached only by uploading a register",
    "statement_published_download": "a stored file of a published version (none is published "
    "in the crawl: test_web_statement_published)",
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
#: referral and a provider contact (all made in the web: none comes with the data folder). Run in
#: the set-up's process, before the server starts (``running_app``'s ``extra_setup``).
SET_UP = """
from django.contrib.auth.models import User
from sufficiency.web.bridge import import_data_folder
from sufficiency.web.dashboard.forecast_views import EXAMPLE
from sufficiency.web.dashboard.models import Scenario
from sufficiency.web.matching.models import Referral
results = import_data_folder(council)
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
def site(
    small_council: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The app with the council's returns loaded, scenarios, a referral and a provider contact:
    (its address, the folder its outgoing mail is written to)."""
    state = tmp_path_factory.mktemp("roles-state")
    mail = state / "mail"
    with running_app(
        small_council, state, {"SUFFICIENCY_EMAIL_DIR": str(mail)}, extra_setup=SET_UP
    ) as url:
        yield url, mail


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_browser() as b:
        yield b


#: axe's options: violations only (passes are not reported node by node); without its
#: colour-contrast rule where the module's docstring says so.
OPTIONS = {"resultTypes": ["violations"]}
NO_CONTRAST = {**OPTIONS, "rules": {"color-contrast": {"enabled": False}}}

#: axe-core run in the page once its charts are drawn (it waits up to ``limit`` ms for them),
#: answering only the failing violations' rule, impact, element and help (the whole result, every
#: rule's passes included, is ~150 KB to send back per page), or null when axe is not in the
#: page. One round trip to the page instead of three (wait for the charts, look for axe, run it).
RUN_AXE = """async ([options, failing, limit]) => {
    const drawn = () => [...document.querySelectorAll('.app-chart')].every(c => c.dataset.rendered);
    for (const start = Date.now(); !drawn(); await new Promise(r => setTimeout(r, 50))) {
        if (Date.now() - start > limit) throw new Error('the charts were not drawn');
    }
    if (typeof window.axe === 'undefined') return null;
    const results = await axe.run(document, options);
    return results.violations.filter(v => failing.includes(v.impact))
        .flatMap(v => v.nodes.map(n => [v.id, v.impact, JSON.stringify(n.target), v.help]));
}"""


def axe_violations(page: Any, contrast: bool = True) -> list[str]:
    """axe-core's serious and critical violations on the page once its charts are drawn: the
    rule, impact, element and help, one line per element. axe is in the page from its start
    when its context was made with ``axe`` (``new_context``), else it is injected first."""
    args = [OPTIONS if contrast else NO_CONTRAST, sorted(FAILING), PAGE_TIMEOUT_MS]
    found = page.evaluate(RUN_AXE, args)
    if found is None:
        from axe_playwright_python.base import AXE_SCRIPT

        page.evaluate(AXE_SCRIPT)
        found = page.evaluate(RUN_AXE, args)
    path = urlsplit(page.url).path
    return [f"{path}: {rule} ({impact}) {target}: {help}" for rule, impact, target, help in found]


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


#: The signed-in areas (a path's first segment) whose colour contrast has been checked in this run.
CONTRASTED: set[str] = set()


def _area(url: str) -> str:
    """The area of the site a page belongs to: its path's first segment ("" the dashboard)."""
    return urlsplit(url).path.strip("/").split("/")[0]


def _crawl(
    page: Any, base: str, start: list[str], contrasted: set[str]
) -> tuple[set[str], list[str]]:
    """Visit each page reachable from ``start`` once per key (files are left), checking colour
    contrast on the first page of each area not in ``contrasted`` (and adding it); the URL names
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
        reached.add(key[0])
        if page.url != base + href:  # else signing in led here (its status: the session's)
            try:
                response = page.goto(base + href, wait_until="load")
            except PlaywrightError as e:  # a link to a file: no page to check
                assert "Download is starting" in str(e), (href, e)
                continue
            if response is None or response.status != 200:
                problems.append(f"{href}: HTTP {response.status if response else None}")
                continue
        area = _area(href)
        problems += axe_violations(page, contrast=area not in contrasted)
        contrasted.add(area)
        links = page.eval_on_selector_all(
            "a[href]",
            "links => links.map(a => [a.getAttribute('href'), a.hasAttribute('download')])",
        )
        queue += [link for link, download in links if not download]
        reached |= {k[0] for link, download in links if download and (k := _key(link))}
    return reached, problems


def test_every_page_has_no_serious_or_critical_accessibility_issue(
    site: tuple[str, Path], chromium: Any
) -> None:
    from sufficiency.web.urls import urlpatterns

    base = site[0]
    anonymous = new_context(chromium, axe=True)
    page = anonymous.new_page()
    reached, problems = _crawl(page, base, START_SIGNED_OUT, set())
    anonymous.close()

    admin = Session(chromium, base, "admin", axe=True)
    signed_in, found = _crawl(admin.page, base, START, CONTRASTED)
    reached |= signed_in
    problems += found + [f"admin: {e}" for e in admin.errors]
    admin.close(check_errors=False)  # its errors are among the problems

    analyst = Session(chromium, base, "analyst", axe=True)  # signed in on the dashboard
    for path in ("/", "/data/", "/statement/"):
        if path != "/":
            analyst.page.goto(base + path, wait_until="load")
        problems += [f"analyst {p}" for p in axe_violations(analyst.page)]
    problems += [f"analyst: {e}" for e in analyst.errors]
    analyst.close(check_errors=False)  # its errors are among the problems

    missed = _names(urlpatterns) - reached - set(NOT_PAGES)
    if missed:
        problems.append(f"pages neither checked nor listed in NOT_PAGES: {sorted(missed)}")
    assert problems == [], "\n".join(problems)
    assert {"password_reset", "child_detail", "register_edit", "referral_detail"} <= reached


def _axe(s: Session, new_state: bool = False) -> None:
    """axe-core on the person's page: no serious or critical violation. Colour contrast is
    checked when the page shows a state no crawled page shows (``new_state``) or its area's
    contrast is not checked yet (see the module's docstring)."""
    area = _area(s.page.url)
    contrast = new_state or area not in CONTRASTED
    CONTRASTED.add(area)
    found = axe_violations(s.page, contrast=contrast)
    assert found == [], "\n".join(found)


def _open(s: Session, path: str) -> Any:
    """Go to ``path`` and wait for the page to load (the dashboard's charts keep the network
    busy, so "network idle" can be long in coming)."""
    return s.page.goto(s.base + path, wait_until="load")


def _refused(s: Session, path: str) -> None:
    """``path`` answers 403 with no data in the page (the error is expected, not collected)."""
    response = _open(s, path)
    assert response.status == 403, (path, response.status)
    s.errors = [e for e in s.errors if e != f"HTTP 403 {s.base}{path}"]


def _first_child(council: Path) -> str:
    with (council / "ssda903" / "2024" / "episodes.csv").open(newline="") as f:
        return next(csv.DictReader(f))["CHILD"]


def test_director_drills_from_a_count_to_the_children_and_a_childs_timeline(
    site: tuple[str, Path], chromium: Any
) -> None:
    s = Session(chromium, site[0], "director", axe=True)  # signed in on the dashboard
    link = s.page.locator("a[href*='/data/children/counted/']").first
    count = int(re.sub(r"\D", "", link.inner_text()))
    assert count > 0
    link.click()
    s.page.wait_for_load_state("load")
    listed = s.page.locator("table[data-children-behind]")
    assert int(listed.get_attribute("data-children-behind") or 0) == count
    # the first page of the list holds every child counted, or 50 of them
    assert s.page.locator("table[data-children-behind] tbody tr").count() == min(count, 50)
    _axe(s)
    s.shot("roles-01-director-children-behind-a-count")
    s.page.locator("table[data-children-behind] tbody a").first.click()
    s.page.wait_for_load_state("load")
    assert int(s.page.locator("table[data-timeline]").get_attribute("data-timeline") or 0) > 0
    _axe(s)
    s.shot("roles-02-director-child-timeline")
    _refused(s, "/registers/carers/new/")  # read-only
    s.close()


def test_viewer_sees_no_child_and_no_drill_down(site: tuple[str, Path], chromium: Any) -> None:
    s = Session(chromium, site[0], "viewer", axe=True)  # signed in on the dashboard
    assert s.page.locator("a[href*='/data/children/']").count() == 0
    _axe(s)
    s.shot("roles-03-viewer-dashboard")
    _refused(s, "/data/children/")
    s.close()


def test_analyst_finds_a_child_from_the_header_search(
    site: tuple[str, Path], chromium: Any, small_council: Path
) -> None:
    child = _first_child(small_council)
    s = Session(chromium, site[0], "analyst", axe=True)  # signed in on the dashboard
    s.page.locator("header input[type=search]").fill(child)
    s.page.locator("header input[type=search]").press("Enter")
    s.page.wait_for_load_state("load")
    assert s.page.url.startswith(site[0] + "/search/")
    s.page.locator(f"main a[href='/data/children/{child}/']").first.click()
    s.page.wait_for_load_state("load")
    assert child in s.page.inner_text("h1")
    _axe(s)
    s.shot("roles-04-analyst-search-to-child")
    s.close()


def test_home_finder_holds_a_place_and_reads_the_vacancy_board(
    site: tuple[str, Path], chromium: Any
) -> None:
    s = Session(chromium, site[0], "home_finder", start="/matching/", axe=True)
    s.page.locator("main table a[href='/matching/R-A11Y/']").click()
    s.page.wait_for_load_state("load")
    best = s.page.locator("#options form[action$='/hold/'] input[name=vacancy_id]").first
    chosen = best.get_attribute("value")
    s.page.locator("#options form[action$='/hold/'] button").first.click()
    s.page.wait_for_load_state("load")
    held = s.page.locator("#hold")
    assert "is held for this referral" in held.inner_text()
    vacancy = held.locator("a").first.inner_text()
    assert vacancy == chosen
    _axe(s, new_state=True)  # a place held
    s.shot("roles-05-home-finder-place-held")
    _open(s, f"/vacancies/?q={vacancy}")
    row = s.page.locator("main table tbody tr").filter(has_text=vacancy).first
    assert "Held" in row.inner_text() or "held" in row.inner_text()
    _axe(s, new_state=True)  # a vacancy with a place held
    s.shot("roles-06-home-finder-vacancy-board")
    _open(s, "/notifications/")
    _axe(s, new_state=True)  # maybe news of the hold
    s.close()


def test_fostering_manager_keeps_the_carers_register_only(
    site: tuple[str, Path], chromium: Any
) -> None:
    s = Session(chromium, site[0], "fostering_manager", start="/registers/carers/", axe=True)
    _axe(s)
    s.page.locator("main a[href$='/edit/']").first.click()
    s.page.wait_for_load_state("load")
    _axe(s)
    s.shot("roles-07-fostering-manager-edits-a-carer")
    s.page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    s.page.wait_for_load_state("load")
    assert s.page.locator(".govuk-error-summary").count() == 0, s.page.inner_text("main")
    _refused(s, "/registers/costs/new/")
    s.close()


def test_commissioner_compares_scenarios_over_the_horizon_and_downloads_it(
    site: tuple[str, Path], chromium: Any
) -> None:
    s = Session(chromium, site[0], "commissioner", start="/forecast/scenarios/new/", axe=True)
    s.page.fill("#id_name", "fewer_entries")
    s.page.fill(
        "#id_text",
        "description: half as many children enter residential care\n"
        "entries:\n  - {category: external_residential, multiply: 0.5}\n",
    )
    s.page.click("input[type=submit][value='Save scenario']")
    s.page.wait_for_load_state("load")
    assert "Scenario fewer_entries saved" in s.page.inner_text("main"), s.page.inner_text("main")
    _open(s, "/forecast/compare/?scenario=fewer_entries")
    table = s.page.locator("main table").first
    assert "fewer_entries" in table.inner_text()
    _axe(s)
    s.shot("roles-08-commissioner-scenario-comparison")
    href = s.page.locator("#compare-csv").get_attribute("href") or ""
    download = s.page.request.get(site[0] + href)
    assert download.status == 200
    rows = list(csv.reader(io.StringIO(download.text())))
    assert any("fewer_entries" in cell for row in rows for cell in row), rows[:3]
    s.close()


def test_admin_creates_an_account_and_changes_its_role(
    site: tuple[str, Path], chromium: Any
) -> None:
    s = Session(chromium, site[0], "admin", start="/accounts/users/new/", axe=True)
    _axe(s)
    s.page.fill("#id_username", "newstarter")
    s.page.fill("#id_email", "new.starter@council.example")
    s.page.check("input[name=role][value=viewer]")
    s.page.click("main form button[type=submit]")
    s.page.wait_for_load_state("load")
    assert "newstarter" in s.page.inner_text("main")
    sent = sorted(site[1].glob("*.log"))
    assert len(sent) == 1 and "new.starter@council.example" in sent[0].read_text()
    _open(s, "/accounts/users/")
    s.page.locator("main a", has_text="newstarter").first.click()
    s.page.wait_for_load_state("load")
    s.page.select_option("#id_role", "analyst")
    s.page.click("form[action$='/role/'] button[type=submit]")
    s.page.wait_for_load_state("load")
    _axe(s, new_state=True)  # a role change to confirm
    s.shot("roles-09-admin-confirms-a-role-change")
    s.page.click("main form input[name=confirm] ~ * button, main form button.govuk-button--warning")
    s.page.wait_for_load_state("load")
    assert "Performance analyst" in s.page.inner_text("#user-summary")
    s.shot("roles-10-admin-role-changed")
    s.close()
