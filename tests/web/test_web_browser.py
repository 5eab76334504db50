"""Browser journeys in Debian's chromium (Playwright): each role signs in and does its work on a
freshly started app (its own state folder, SQLite). Screenshots go to test-output/web/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from browser_journeys import Session

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _return_files(council: Path, year: int, tmp: Path, break_place: bool = False) -> list[str]:
    """The council's files for one return; with ``break_place`` the second episode's PLACE is an
    unknown code (ZZ9) on spreadsheet row 3."""
    src = council / "ssda903" / str(year)
    out = tmp / f"{year}{'-bad' if break_place else ''}"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in sorted(src.iterdir()):
        target = out / f.name
        if f.name == "episodes.csv" and break_place:
            frame = pl.read_csv(f, infer_schema_length=0)
            frame = frame.with_columns(
                pl.when(pl.int_range(pl.len()) == 1)
                .then(pl.lit("ZZ9"))
                .otherwise(pl.col("PLACE"))
                .alias("PLACE")
            )
            frame.write_csv(target)
        else:
            target.write_bytes(f.read_bytes())
        paths.append(str(target))
    return paths


def _upload(s: Session, files: list[str], year: int | None = None, go: bool = True) -> None:
    """Choose the files (and a year, if given) and have them checked; on a fresh returns page
    unless ``go`` is false (the person is on one already)."""
    if go:
        s.go("/data/")
    if year is not None:
        s.page.fill("#id_year", str(year))
    s.page.set_input_files("#id_files", files)
    s.page.click("input[type=submit][value='Check the files']")
    s.settle()


def _confirm(s: Session) -> None:
    s.page.click("#confirm")
    s.settle()


def _cut_episodes(files: list[str], keep: int, tmp: Path) -> list[str]:
    """The files with episodes.csv cut to its first ``keep`` rows."""
    out = tmp / "cut"
    out.mkdir(exist_ok=True)
    paths = []
    for f in map(Path, files):
        lines = f.read_text().splitlines(keepends=True)
        (out / f.name).write_text(
            "".join(lines[: keep + 1]) if f.name == "episodes.csv" else "".join(lines)
        )
        paths.append(str(out / f.name))
    return paths


def test_analyst_uploads_returns_and_reads_the_dashboard(
    app: str, browser: Any, small_council: Path, tmp_path: Path
) -> None:
    s = Session(browser, app, "analyst", start="/data/")
    _upload(s, _return_files(small_council, 2024, tmp_path, break_place=True), go=False)
    body = s.page.inner_text("main")
    assert "The 2023-24 return was not loaded" in body and "Nothing was saved" in body
    problem = s.page.locator("#problems tbody tr", has_text="ZZ9")
    assert problem.count() >= 1
    assert "episodes.csv" in problem.first.inner_text() and "PLACE" in problem.first.inner_text()
    s.shot("01-analyst-upload-with-an-error")
    for year in (2023, 2024):
        _upload(s, _return_files(small_council, year, tmp_path))
        label = f"{year - 1}-{str(year)[2:]}"
        assert s.page.inner_text("h1") == f"Check the {label} return before loading it"
        assert s.page.inner_text("#change").startswith(f"Adds the {label} return:")
        _confirm(s)
        assert f"The {label} return was loaded" in s.page.inner_text("main")
    s.shot("02-analyst-returns-loaded")
    # the dashboard shows the library's numbers for the latest year
    from sufficiency.ingest import load_data
    from sufficiency.measures import compute, results_json

    ds = load_data(small_council).dataset
    assert ds is not None
    expected = results_json(compute(ds, dt.date(2024, 3, 31), ids=["cla_count"]))["measures"][
        "cla_count"
    ]
    s.go("/")
    assert s.page.inner_text("#headline-cla_count .app-card__value") == f"{expected:,}"
    s.page.wait_for_selector("#chart-0[data-rendered=true]")
    s.shot("03-analyst-dashboard-overview")
    # filters and theme links update the dashboard in place (htmx) and keep the address shareable
    older = results_json(compute(ds, dt.date(2024, 3, 31), ids=["cla_by_age_band"]))["measures"]
    with s.page.expect_response(lambda r: "age_band=10_to_15" in r.url):
        s.page.select_option("#age_band", "10_to_15")
    s.page.wait_for_selector("#dashboard-body .govuk-inset-text")
    assert (
        s.page.inner_text("#headline-cla_count .app-card__value")
        == f"{older['cla_by_age_band']['10_to_15']:,}"
    )
    with s.page.expect_response(lambda r: "theme=placements" in r.url):
        s.page.click("nav[aria-label=Themes] >> text=Placements")
    s.page.wait_for_selector("table[data-measure=cla_by_placement_type]")
    assert "theme=placements" in s.page.url and "age_band=10_to_15" in s.page.url
    s.page.wait_for_selector(".app-chart[data-rendered=true]")
    assert s.page.locator("table[data-measure=cla_by_placement_type]").count() == 1
    s.shot("04-analyst-dashboard-placements-10-to-15")
    s.close()


def test_analyst_replaces_a_return_only_after_seeing_what_changes(
    app: str, browser: Any, small_council: Path, tmp_path: Path
) -> None:
    """The 2023-24 files given as 2022-23 are refused; a cut episodes file is checked with every
    loaded return; a replacement shows its counts, lands on confirmation, and the version it
    replaced is restored."""
    s = Session(browser, app, "analyst", start="/data/")
    files = _return_files(small_council, 2024, tmp_path)
    loaded = s.page.inner_text("#return-2024")
    _upload(s, files, year=2023, go=False)
    body = s.page.inner_text("main")
    assert "The 2023-24 return was not loaded: 1 error. Nothing was saved." in body
    assert "not the 2022-23 return chosen" in body and "rename" not in body
    assert s.page.locator(".govuk-notification-banner--success").count() == 0
    s.shot("11-analyst-upload-of-the-wrong-year")
    episodes = (
        len(
            Path(files[[Path(f).name for f in files].index("episodes.csv")])
            .read_text()
            .splitlines()
        )
        - 1
    )
    _upload(s, _cut_episodes(files, episodes // 3, tmp_path))
    assert "The 2023-24 return was not loaded" in s.page.inner_text("main")
    assert s.page.inner_text("#return-2024") == loaded  # nothing changed
    s.shot("12-analyst-cut-episodes-refused")
    _upload(s, _cut_episodes(files, episodes - 1, tmp_path))
    change = s.page.inner_text("#change")
    assert change.startswith(
        f"Replaces the 2023-24 return: {episodes:,} -> {episodes - 1:,} episodes"
    )
    s.shot("13-analyst-confirm-a-replacement")
    _confirm(s)
    assert f"{episodes - 1:,} episodes" in s.page.inner_text(".govuk-notification-banner--success")
    s.page.click("#archives button:has-text('Check and restore')")
    s.settle()
    assert s.page.inner_text("#change").startswith(
        f"Replaces the 2023-24 return: {episodes - 1:,} -> {episodes:,} episodes"
    )
    _confirm(s)
    assert s.page.inner_text("#return-2024").split("\t")[:3] == loaded.split("\t")[:3]
    assert s.page.locator("#archives tbody tr").count() == 2
    s.shot("14-analyst-earlier-version-restored")
    s.close()


def test_home_finder_adds_a_vacancy_and_matches_a_referral(
    app: str, browser: Any, small_council: Path
) -> None:
    vacancies = pl.read_csv(small_council / "registers" / "vacancies.csv", infer_schema_length=0)
    postcode = vacancies.filter(pl.col("placement_type") == "in_house_fostering")["postcode"][0]
    s = Session(browser, app, "home_finder", start="/registers/vacancies/new/")
    fields = {
        "vacancy_id": "VWEB1",
        "provider_kind": "in_house_carer",
        "provider_id": "FCWEB",
        "placement_type": "in_house_fostering",
        "places": "1",
        "available_from": dt.date.today().isoformat(),
        "age_min": "5",
        "age_max": "15",
        "siblings": "0",
        "postcode": postcode,
        "weekly_cost": "450",
        "needs_accepted": "autism",
    }
    for name, value in fields.items():
        locator = s.page.locator(f"#id_{name}")
        if locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)
    s.shot("05-home-finder-new-vacancy")
    s.page.click("input[type=submit][value=Save]")
    s.settle()
    assert "VWEB1" in s.page.inner_text("main")
    # a referral for a 10-year-old who needs fostering near that home
    s.go("/matching/")
    s.page.fill("#id_referral_id", "RWEB1")
    s.page.fill("#id_age", "10")
    s.page.select_option("#id_sex", "F")
    s.page.fill("#id_home_postcode", postcode)
    s.page.select_option("#id_foster", "preferred")
    s.page.select_option("#id_residential", "unsuitable")
    s.page.select_option("#id_supported", "unsuitable")
    s.page.select_option("#id_requested_type", "in_house_fostering")
    s.page.fill("#id_needs", "autism")  # only the new vacancy accepts it
    s.page.click("input[type=submit][value='Find homes']")
    s.settle()
    assert s.page.url.endswith("/matching/RWEB1/")
    options = s.page.locator("[id^=option-]")
    assert options.count() >= 1
    assert s.page.locator("#options tbody tr").first.get_attribute("id") == "option-VWEB1"
    # the others are excluded, with the reason
    assert s.page.locator("#excluded tbody tr", has_text="autism").count() >= 1
    assert s.page.locator("#option-VWEB1 li").count() >= 1  # reasons are given
    s.shot("06-home-finder-ranked-options")
    s.page.click("#option-VWEB1 button:has-text('Allocate')")
    s.settle()
    assert "Vacancy VWEB1 allocated to referral RWEB1" in s.page.inner_text("main")
    s.page.fill("#id_vacancy_id", "VWEB1")
    s.page.check("#id_offered")
    s.page.check("#id_accepted")
    s.page.fill("#id_placed_date", dt.date.today().isoformat())
    s.page.select_option("#id_placed_type", "in_house_fostering")
    s.page.click("input[type=submit][value='Record outcome']")
    s.settle()
    assert "Outcome recorded" in s.page.inner_text("main")
    s.shot("07-home-finder-allocated-and-outcome")
    s.close()


def _new_referral(s: Session, rid: str, postcode: str, go: bool = True) -> None:
    """Ask for homes for a 10-year-old needing fostering near ``postcode``, on a fresh matching
    page unless ``go`` is false (the person is on one already)."""
    if go:
        s.go("/matching/")
    s.page.fill("#id_referral_id", rid)
    s.page.fill("#id_age", "10")
    s.page.select_option("#id_sex", "F")
    s.page.fill("#id_home_postcode", postcode)
    s.page.select_option("#id_foster", "preferred")
    s.page.select_option("#id_residential", "unsuitable")
    s.page.select_option("#id_supported", "unsuitable")
    s.page.fill("#id_needs", "autism")
    s.page.click("input[type=submit][value='Find homes']")
    s.settle()
    assert s.page.url.endswith(f"/matching/{rid}/")


def test_two_home_finders_race_for_the_last_place(
    app: str, browser: Any, small_council: Path
) -> None:
    """Both see VWEB1's place free (the one allocation made is withdrawn); the first allocates;
    the second is told who just took it, with no server error."""
    vacancies = pl.read_csv(small_council / "registers" / "vacancies.csv", infer_schema_length=0)
    postcode = vacancies.filter(pl.col("placement_type") == "in_house_fostering")["postcode"][0]
    first = Session(browser, app, "home_finder", start="/matching/RWEB1/")
    first.page.click("#withdraw summary")
    first.page.fill("#id_reason", "the carer asked for a later start")
    first.page.click("input[type=submit][value='Withdraw the allocation']")
    first.settle()
    assert "was withdrawn" in first.page.inner_text("main")
    _new_referral(first, "RWEB2", postcode)
    second = Session(browser, app, "admin", start="/matching/")
    _new_referral(second, "RWEB3", postcode, go=False)
    assert second.page.locator("#option-VWEB1").count() == 1  # both pages offer the place
    first.page.click("#option-VWEB1 button:has-text('Allocate')")
    first.settle()
    assert "Vacancy VWEB1 allocated to referral RWEB2." in first.page.inner_text("main")
    second.page.click("#option-VWEB1 button:has-text('Allocate')")  # a page shown before
    second.settle()
    assert (
        "Vacancy VWEB1's last place was just allocated by home_finder (to referral RWEB2). "
        "Nothing was saved: choose another option." in second.page.inner_text("main")
    )
    second.shot("15-admin-loses-the-race-for-a-place")
    first.close()
    second.close()


def test_commissioner_saves_a_scenario_and_compares_it(app: str, browser: Any) -> None:
    s = Session(browser, app, "commissioner", start="/forecast/scenarios/new/")
    s.page.fill("#id_name", "fewer_residential")
    s.page.fill(
        "#id_text",
        "description: half as many children enter residential care\n"
        "entries:\n  - {category: external_residential, multiply: 0.5}\n",
    )
    s.page.click("input[type=submit][value='Save scenario']")
    s.settle()
    assert "Scenario fewer_residential saved" in s.page.inner_text("main")
    s.page.select_option("#gap", "fewer_residential")
    s.page.click("#run-forecast")
    s.settle()
    s.page.wait_for_selector("#forecast-chart[data-rendered=true]")
    rows = s.page.locator("#forecast-table tbody tr")
    assert rows.count() == 2 and "fewer_residential" in rows.nth(1).inner_text()
    assert s.page.locator("#gap-table tbody tr").count() > 0
    assert "Sufficiency gap: fewer_residential" in s.page.inner_text("main")
    s.shot("08-commissioner-forecast-scenarios-and-gap")
    s.close()


def test_viewer_downloads_the_published_statement(app: str, browser: Any) -> None:
    s = Session(browser, app, "viewer", start="/statement/")
    assert s.page.locator("#download-2024-internal-pdf").count() == 0  # publish only
    s.shot("09-viewer-statement")
    pdf = s.download("#download-2024-publish-pdf")
    assert pdf.suggested_filename == "sufficiency-statement-2024-publish.pdf"
    assert Path(pdf.path()).read_bytes()[:5] == b"%PDF-"
    s.go("/statement/")
    xlsx = s.download("#download-2024-publish-xlsx")
    assert Path(xlsx.path()).read_bytes()[:2] == b"PK"
    s.go("/data/")  # viewers are refused returns, with no data in the page
    assert "403" in s.page.title() or "Forbidden" in s.page.inner_text("body")
    s.errors = [e for e in s.errors if e != f"HTTP 403 {app}/data/"]
    s.close()


def test_admin_finds_the_uploads_and_allocation_in_the_audit_log(app: str, browser: Any) -> None:
    s = Session(browser, app, "admin", start="/audit/?q=RWEB1")
    text = s.page.inner_text("main")
    assert "home_finder" in text
    assert "RWEB1 allocated VWEB1 place 1" in text and "RWEB1 outcome at VWEB1" in text
    s.shot("10-admin-audit-log")
    s.close()
