"""Browser journeys of issue 20, one per role, on one app with the council's returns loaded
(Debian's chromium, Playwright): each person does their own work in the workspace, is refused
what their role may not do, and every page they see passes axe-core with no serious or critical
issue. Screenshots go to test-output/web/roles-*.png.

The pages every role shares (and each page an administrator reaches) are crawled by
``test_web_accessibility``; these journeys follow the work: a director drilling from a count to a
child's timeline, an analyst searching, a home finder holding a place and reading notifications,
a fostering manager keeping the carers register, a commissioner comparing scenarios, an
administrator managing accounts, a viewer seeing suppressed figures only.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_journeys import Session, launched_browser, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOAD_RETURNS = """
from pathlib import Path
import sys
from sufficiency.web.setup import setup_django
setup_django()
from sufficiency.web.bridge import import_data_folder
results = import_data_folder(Path(sys.argv[1]))
assert all(r.ok for r in results), [p for r in results for p in r.problems]
import datetime as dt
from sufficiency.web.matching.models import Referral
Referral.objects.create(referral_id="JOURNEY-R1", data={
    "id": "JOURNEY-R1", "child": {"age": 12, "sex": "F", "uasc": False, "disability": False},
    "needed_by": dt.date.today().isoformat(), "urgency": "today", "siblings": 0,
    "suitability": {"foster": "preferred", "residential": "unsuitable", "supported": "unsuitable"},
    "needs": [], "avoid_areas": [],
})
"""


@pytest.fixture(scope="module")
def site(
    small_council: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The app with the council's returns loaded; (its address, the folder its mail goes to)."""
    state = tmp_path_factory.mktemp("roles-state")
    mail = state / "mail"
    with running_app(small_council, state, {"SUFFICIENCY_EMAIL_DIR": str(mail)}) as url:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        env.update(SUFFICIENCY_STATE_DIR=str(state))
        subprocess.run(
            [sys.executable, "-c", LOAD_RETURNS, str(small_council)],
            env=env,
            check=True,
            capture_output=True,
            cwd=state,
        )
        yield url, mail


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_browser() as b:
        yield b


def _axe(s: Session) -> None:
    """axe-core on the page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    s.page.wait_for_function(
        "[...document.querySelectorAll('.app-chart')].every(c => c.dataset.rendered)",
        timeout=20_000,
    )
    found = Axe().run(s.page).response["violations"]
    bad = [
        f"{v['id']} ({v['impact']}) {n['target']}: {v['help']}"
        for v in found
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"]
    ]
    assert bad == [], (s.page.url, bad)


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
    s = Session(chromium, site[0], "director")
    _open(s, "/")
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
    s = Session(chromium, site[0], "viewer")
    _open(s, "/")
    assert s.page.locator("a[href*='/data/children/']").count() == 0
    _axe(s)
    s.shot("roles-03-viewer-dashboard")
    _refused(s, "/data/children/")
    s.close()


def test_analyst_finds_a_child_from_the_header_search(
    site: tuple[str, Path], chromium: Any, small_council: Path
) -> None:
    child = _first_child(small_council)
    s = Session(chromium, site[0], "analyst")
    _open(s, "/")
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
    s = Session(chromium, site[0], "home_finder")
    _open(s, "/matching/")
    s.page.locator("main table a[href='/matching/JOURNEY-R1/']").click()
    s.page.wait_for_load_state("load")
    best = s.page.locator("#options form[action$='/hold/'] input[name=vacancy_id]").first
    chosen = best.get_attribute("value")
    s.page.locator("#options form[action$='/hold/'] button").first.click()
    s.page.wait_for_load_state("load")
    held = s.page.locator("#hold")
    assert "is held for this referral" in held.inner_text()
    vacancy = held.locator("a").first.inner_text()
    assert vacancy == chosen
    _axe(s)
    s.shot("roles-05-home-finder-place-held")
    _open(s, f"/vacancies/?q={vacancy}")
    row = s.page.locator("main table tbody tr").filter(has_text=vacancy).first
    assert "Held" in row.inner_text() or "held" in row.inner_text()
    _axe(s)
    s.shot("roles-06-home-finder-vacancy-board")
    _open(s, "/notifications/")
    _axe(s)
    s.close()


def test_fostering_manager_keeps_the_carers_register_only(
    site: tuple[str, Path], chromium: Any
) -> None:
    s = Session(chromium, site[0], "fostering_manager")
    _open(s, "/registers/carers/")
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
    s = Session(chromium, site[0], "commissioner")
    _open(s, "/forecast/scenarios/new/")
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
    s = Session(chromium, site[0], "admin")
    _open(s, "/accounts/users/new/")
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
    _axe(s)
    s.shot("roles-09-admin-confirms-a-role-change")
    s.page.click("main form input[name=confirm] ~ * button, main form button.govuk-button--warning")
    s.page.wait_for_load_state("load")
    assert "Performance analyst" in s.page.inner_text("#user-summary")
    s.shot("roles-10-admin-role-changed")
    s.close()
