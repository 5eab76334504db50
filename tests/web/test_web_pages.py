"""Dashboard, forecast, statement and profile pages on a loaded council: the numbers on the pages
are the library's, filters and suppression behave, scenarios are checked before saving."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.slow


def _library(
    council: Path, year: int, suppress: bool = True, ids: list[str] | None = None
) -> dict[str, Any]:
    from sufficiency.ingest import load_data
    from sufficiency.measures import compute, results_json

    ds = load_data(council).dataset
    assert ds is not None
    measures: dict[str, Any] = results_json(
        compute(ds, dt.date(year, 3, 31), ids=ids), suppress=suppress
    )["measures"]
    return measures


def _headline(body: str, mid: str) -> str:
    found = re.search(rf'id="headline-{mid}".*?class="app-card__value">([^<]*)<', body, re.S)
    assert found, mid
    return found.group(1)


def test_the_dashboard_shows_the_library_numbers_and_filters_them(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    lib = _library(loaded, 2024, ids=["cla_count", "cla_by_age_band", "uasc_count"])
    client = client_for("analyst")
    body = client.get("/", {"year": "2024"}).content.decode()
    assert _headline(body, "cla_count") == f"{lib['cla_count']:,}"
    older = client.get("/", {"year": "2024", "age_band": "16_plus"}).content.decode()
    assert _headline(older, "cla_count") == f"{lib['cla_by_age_band']['16_plus']:,}"
    assert "children aged 16 plus at 31 March" in older
    uasc = client.get("/", {"year": "2024", "uasc": "yes"}).content.decode()
    expected_uasc = lib["uasc_count"]
    assert _headline(uasc, "cla_count") == (f"{expected_uasc:,}" if expected_uasc != "c" else "[c]")


def test_htmx_requests_get_only_the_dashboard_body(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    client = client_for("analyst")
    full = client.get("/", {"theme": "stability"}).content.decode()
    part = client.get("/", {"theme": "stability"}, HTTP_HX_REQUEST="true").content.decode()
    assert full.startswith("<!DOCTYPE html>") and "<html" not in part
    assert part.lstrip().startswith('<div id="dashboard-body"') and part.strip() in full.replace(
        "\r", ""
    )


def test_a_theme_page_lists_its_measures_as_tables(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.codes import PLACEMENT_TYPE_TITLES
    from sufficiency.ingest import load_data
    from sufficiency.web.dashboard.protected import viewer_years

    ds = load_data(loaded).dataset
    # suppressed without filters, the dashboard shows the published (protected) figures
    published = viewer_years(ds, 2024).results[2024]["cla_by_placement_type"].to_json()
    lib = _library(loaded, 2024, ids=["cla_by_placement_type"], suppress=False)
    assert published.keys() == lib["cla_by_placement_type"].keys()
    lib = published
    body = (
        client_for("commissioner")
        .get("/", {"theme": "placements", "year": "2024"})
        .content.decode()
    )
    table = body.split('data-measure="cla_by_placement_type"')[1].split("</table>")[0]
    for key, value in lib.items():
        cell = "[c]" if value == "c" else f"{value:,}"
        assert re.search(
            rf">{re.escape(html.escape(PLACEMENT_TYPE_TITLES[key]))}</th>\s*<td[^>]*>{re.escape(cell)}<",
            table,
        ), key
    assert 'class="app-chart" role="figure"' in body and "data-spec=" in body


def test_viewers_always_see_suppressed_figures(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    viewer = client_for("viewer").get("/", {"suppress": "0"}).content.decode()
    assert "Counts of children from 1 to 5 are shown as [c]" in viewer
    assert "Unsuppressed" not in viewer
    assert 'name="suppress"' not in viewer
    analyst = client_for("analyst").get("/", {"suppress": "0"}).content.decode()
    assert "Unsuppressed: internal use only" in analyst


def test_benchmarks_compare_the_council_with_the_published_figures(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    import tomllib

    from sufficiency import published

    code = tomllib.loads((loaded / "la.toml").read_text(encoding="utf-8"))["code"]
    comparison = published.comparators(code, "cla_rate_per_10k", 2024)
    assert comparison is not None and comparison.england is not None
    body = client_for("analyst").get("/", {"year": "2024"}).content.decode()
    assert 'id="benchmark-cla_rate_per_10k"' in body
    block = body.split('id="benchmark-cla_rate_per_10k"')[1].split("</table>")[0]
    assert f'<td class="govuk-table__cell">{comparison.england.year}</td>' in block
    assert f"{comparison.england.value:,.1f}" in block
    assert comparison.england.source in block


def test_scenarios_are_checked_by_the_library_then_compared(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.dashboard.models import Scenario

    client = client_for("commissioner")
    bad = client.post(
        "/forecast/scenarios/new/",
        {"name": "typo", "text": "entries:\n  - {category: residental, multiply: 0.5}\n"},
    )
    assert bad.status_code == 400
    assert "unknown category &#x27;residental&#x27;" in bad.content.decode()
    assert not Scenario.objects.exists()
    good = client.post(
        "/forecast/scenarios/new/",
        {
            "name": "half_residential",
            "text": "entries:\n  - {category: external_residential, multiply: 0.5}\n",
        },
    )
    assert good.status_code == 302
    page = client.get("/forecast/", {"horizon": "24", "gap": "half_residential"}).content.decode()
    table = page.split('id="forecast-table"')[1].split("</table>")[0]
    assert table.count("<tr") == 3 and "half_residential" in table and "baseline" in table
    assert 'id="gap-table"' in page and "Sufficiency gap: half_residential" in page
    pk = Scenario.objects.get().pk
    assert client.post(f"/forecast/scenarios/{pk}/delete/").status_code == 302
    assert not Scenario.objects.exists()


def test_the_statement_download_is_the_library_statement(
    loaded: Path, client_for: Callable[[str], Client], settings: Any
) -> None:
    settings.STATEMENT_WAIT_SECONDS = 600  # the file, never "being prepared" on a busy machine
    response = client_for("viewer").get("/statement/2024/publish/json/")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="sufficiency-statement-2024-publish.json"'
    )
    doc = json.loads(b"".join(response.streaming_content))
    assert "2024" in json.dumps(doc)[:2000]
    assert client_for("viewer").get("/statement/2019/publish/json/").status_code == 404


def test_the_council_profile_is_checked_before_it_is_saved(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data.models import CouncilProfile

    before = CouncilProfile.objects.get().toml
    read = client_for("analyst").get("/data/profile/").context["read"]
    client = client_for("analyst")
    bad = client.post("/data/profile/", {"toml": 'name = "X"\ncode = 5\n', "read": read})
    assert bad.status_code == 400 and "code" in bad.content.decode()
    assert CouncilProfile.objects.get().toml == before
    good = client.post(
        "/data/profile/",
        {"toml": before.replace("Demo Council", "Renamed Council"), "read": read},
    )
    assert good.status_code == 302
    assert "Renamed Council" in client.get("/data/").content.decode()
    # a warning is said and the profile saved: no neighbours listed (fuzz round 10)
    read = client.get("/data/profile/").context["read"]
    lone = "\n".join(line for line in before.splitlines() if not line.startswith("neighbours"))
    saved = client.post("/data/profile/", {"toml": lone, "read": read}, follow=True)
    assert saved.status_code == 200
    assert "every placement outside the council is banded distant" in saved.content.decode()
    assert CouncilProfile.objects.get().toml == lone


def test_two_people_saving_the_council_profile_at_once_never_overwrite_each_other(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    """Both open the profile; the first to save wins; the second is told and nothing of theirs
    is saved (their text stays in the box to copy). A form that does not say what it read is
    refused the same way."""
    from sufficiency.web.data.models import CouncilProfile

    before = CouncilProfile.objects.get().toml
    first, second = client_for("analyst"), client_for("admin")
    read = first.get("/data/profile/").context["read"]
    assert second.get("/data/profile/").context["read"] == read
    mine = before.replace("Demo Council", "First Council")
    assert first.post("/data/profile/", {"toml": mine, "read": read}).status_code == 302
    theirs = before.replace("Demo Council", "Second Council")
    late = second.post("/data/profile/", {"toml": theirs, "read": read})
    assert late.status_code == 409
    body = html.unescape(late.content.decode())
    assert (
        "Someone else saved the council profile while you were editing it. Your changes were "
        "not saved: copy them, reload the page and make them again." in body
    )
    assert "Second Council" in body
    assert second.post("/data/profile/", {"toml": theirs}).status_code == 409
    assert CouncilProfile.objects.get().toml == mine


def test_every_page_states_the_councils_threshold(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    """The footer and the statement pages said "1 to 4" while the dashboard and the statement
    say 1 to 5 (one truth per number, round 2); a council that raises its threshold is said."""
    from sufficiency.web.data.models import CouncilProfile

    client = client_for("analyst")
    page = html.unescape(client.get("/").content.decode())
    assert "suppress counts of 1 to 5 as [c]" in page and "counts of 1 to 4" not in page
    statement = html.unescape(client.get("/statement/").content.decode())
    assert "show counts of 1 to 5 as [c]" in statement
    profile = CouncilProfile.objects.get()
    profile.toml = "small_count_max = 10\n" + profile.toml  # above any [table]
    profile.save()
    assert "suppress counts of 1 to 10 as [c]" in html.unescape(client.get("/").content.decode())
