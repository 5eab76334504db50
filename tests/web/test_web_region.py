"""The regional view (issue 21) for a regional team: three synthetic neighbouring councils'
shares named by ``SUFFICIENCY_REGION``; each page shows the regional library's own figures (the
needs analysis protected together, so a small count is [c]), the market by URN, and a referral
from one council matched to another council's carer with reasons. Roles without ``region_view``
get 403; with no region set every page says how to set one."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sufficiency.web.accounts.roles import CAPABILITIES, ROLES

AT = dt.date(2025, 3, 31)
CODES = ("E06000019", "E06000051", "E10000034")
PAGES = ("/region/", "/region/needs/", "/region/market/", "/region/pool/")

#: The three councils of tests/region/conftest.py, their shares and REGION.toml, made in a child
#: process (synth replaces a module object of its own, which the web process must not see).
BUILD = """
import sys
from pathlib import Path
from sufficiency.ingest import load_data
from sufficiency.region.share import write_share
from sufficiency.synth import generate, write_data_folder
base = Path(sys.argv[1])
codes = sys.argv[2:]
for seed, code in enumerate(codes, start=1):
    folder = base / code
    write_data_folder(generate(seed=seed, children=120, years=[2024, 2025], la_code=code), folder)
    loaded = load_data(folder)
    assert loaded.dataset is not None
    write_share(loaded.dataset, f"key-of-{code}".encode(), base / "shares" / f"{code}.zip")
members = "\\n".join(
    f'[[members]]\\ncode = "{c}"\\nshare = "shares/{c}.zip"\\npool = ["in_house_carer"]\\n'
    for c in codes
)
(base / "region.toml").write_text('name = "Test region"\\n\\n' + members, encoding="utf-8")
"""


@pytest.fixture(scope="module")
def region_toml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("web-region")
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(base), *CODES],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return base / "region.toml"


@pytest.fixture(scope="module")
def library(region_toml: Path) -> dict[str, Any]:
    """What the library says of the region: the loaded councils, the published and internal
    regional statements of the protected run."""
    from sufficiency.region.analysis import analyse, threshold
    from sufficiency.region.config import load_region
    from sufficiency.region.load import load_members
    from sufficiency.report.public import public_catalogue
    from sufficiency.report.regional import regional_statement
    from sufficiency.report.sources import catalogue_info

    region = load_members(load_region(region_toml))
    run = analyse(region, AT, suppress=True, forecast=False)
    small = threshold(region)
    return {
        "region": region,
        "publish": regional_statement(run, "publish", small, public_catalogue(catalogue_info())),
        "internal": regional_statement(run, "internal", small, catalogue_info()),
    }


@pytest.fixture
def regional(settings: Any, region_toml: Path, client_for: Callable[[str], Client]) -> Client:
    settings.SUFFICIENCY_REGION = str(region_toml)
    return client_for("regional")


def _tables(data: Any, section: str) -> list[Any]:
    return [t for s in data.sections if s.id == section for t in s.tables()]


def _refs(page: str) -> dict[str, str]:
    """Each cell's measure reference on the page -> its text."""
    found = re.findall(r'data-ref="([^"]+)">([^<]*)</td>', page)
    return {html.unescape(ref): html.unescape(text) for ref, text in found}


def _rows(page: str, table_id: str) -> list[list[str]]:
    """The body rows of the page's table ``table_id`` (row header and cells, as text)."""
    body = page.split(f'data-table="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody", 1)[1]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_with_no_region_set_each_page_says_how_to_set_one(
    settings: Any, client_for: Callable[[str], Client]
) -> None:
    settings.SUFFICIENCY_REGION = ""
    client = client_for("admin")
    assert 'href="/region/"' in client.get("/").content.decode()  # in the header navigation
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert 'id="region-not-configured"' in page and "SUFFICIENCY_REGION" in page
        for other in PAGES:  # every region page is linked from every other
            assert f'href="{other}"' in page


def test_a_broken_region_file_is_named_not_a_server_error(
    settings: Any, tmp_path: Path, client_for: Callable[[str], Client]
) -> None:
    bad = tmp_path / "region.toml"
    bad.write_text('name = "Broken"\n[[members]]\ncode = "E06000019"\n', encoding="utf-8")
    settings.SUFFICIENCY_REGION = str(bad)
    response = client_for("regional").get("/region/needs/")
    assert response.status_code == 503
    page = response.content.decode()
    assert 'id="region-problem"' in page and "give exactly one of share" in page
    settings.SUFFICIENCY_REGION = str(tmp_path / "missing.toml")
    response = client_for("regional").get("/region/")
    assert response.status_code == 503 and "cannot read" in response.content.decode()


def test_roles_without_the_capability_are_refused(
    settings: Any, region_toml: Path, client_for: Callable[[str], Client]
) -> None:
    settings.SUFFICIENCY_REGION = str(region_toml)
    refused = [r for r in ROLES if r not in CAPABILITIES["region_view"]]
    assert refused and set(ROLES) - set(refused) == {"admin", "director", "regional"}
    for role in refused:
        client = client_for(role)
        assert 'href="/region/"' not in client.get("/").content.decode(), role
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 403, (role, path)
            assert "Test region" not in response.content.decode()


def test_the_region_page_lists_the_members(regional: Client, library: dict[str, Any]) -> None:
    page = regional.get("/region/").content.decode()
    for code, ds in library["region"].councils.items():
        assert html.escape(ds.profile.name) in page and code in page
    assert "in house carer" in page


def test_needs_are_the_regional_statements_with_small_counts_suppressed(
    regional: Client, library: dict[str, Any], region_toml: Path
) -> None:
    from sufficiency.measures import compute
    from sufficiency.report.model import fmt_value

    response = regional.get("/region/needs/")
    assert response.status_code == 200
    shown = _refs(response.content.decode())
    expected = {
        c.ref: fmt_value(c)
        for t in _tables(library["publish"], "regional_needs")
        for row in t.rows
        for c in row.cells
        if c.ref
    }
    assert expected and shown == expected
    # the regional disclosure control: small counts, and cells that would reveal them, are [c]
    hidden = [ref for ref, text in shown.items() if text == "[c]"]
    assert hidden, "no figure suppressed"
    assert not [
        ref
        for ref, text in shown.items()
        if ref.split("@")[0].split(":")[-1].startswith("cla_by")
        and text.isdigit()
        and 1 <= int(text) <= 5
    ]
    # the region's count is the sum of the councils' own (measures on each share)
    total = sum(
        compute(ds, AT, ["cla_count"]).values["cla_count"].to_json()
        for ds in library["region"].councils.values()
    )
    assert shown[f"cla_count@{AT.isoformat()}"] == f"{total:,}"
    # the headline table downloads as CSV with the same figures ([c] kept)
    download = regional.get("/region/needs/?download=region-headline")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    headline = next(t for t in _tables(library["publish"], "regional_needs"))
    assert rows[0] == headline.columns
    assert [r[0] for r in rows[1:]] == [row.header for row in headline.rows]
    flat = [v for r in rows[1:] for v in r[1:]]
    assert flat.count("[c]") == sum(c.suppressed for row in headline.rows for c in row.cells)
    assert regional.get("/region/needs/?download=nothing").status_code == 404


def test_market_shows_homes_by_urn_with_each_councils_price(
    regional: Client, library: dict[str, Any]
) -> None:
    from sufficiency.report.model import fmt_value

    page = regional.get("/region/market/").content.decode()
    wanted = {
        "region-homes": library["internal"],
        "region-capacity": library["publish"],
        "region-borders": library["publish"],
    }
    for table_id, data in wanted.items():
        table = next(t for t in _tables(data, "regional_market") if t.id == table_id)
        assert table.rows, table_id
        assert _rows(page, table_id) == [
            [row.header, *(fmt_value(c) for c in row.cells)] for row in table.rows
        ], table_id
    homes = next(
        t for t in _tables(library["internal"], "regional_market") if t.id == "region-homes"
    )
    assert any("£" in fmt_value(row.cells[3]) for row in homes.rows)  # who pays what


def test_a_referral_is_matched_to_another_councils_carer_with_reasons(
    regional: Client, library: dict[str, Any]
) -> None:
    from sufficiency.matching.referral import parse_referral
    from sufficiency.region.pool import match_in_region, offered

    region = library["region"]
    offers = {m.code: m.pool for m in region.config.members}
    page = regional.get("/region/pool/").content.decode()
    pool = sum(
        f.height for c, ds in region.councils.items() if (f := offered(ds, offers[c])) is not None
    )
    assert pool and f"Vacancies offered to the region ({pool})" in page
    assert len(_rows(page, "region-pool")) == pool
    assert all(r[0].split("/")[0] in CODES for r in _rows(page, "region-pool"))
    download = regional.get("/region/pool/?download=region-pool")
    listed = list(csv.reader(io.StringIO(download.content.decode())))
    assert listed[0][0] == "Vacancy" and len(listed) == pool + 1
    form = {
        "council": "E06000019",
        "age": "9",
        "sex": "F",
        "home_postcode": "HR9 5",  # Ross-on-Wye: a carer across the border is near
        "needed_by": "2025-04-01",
        "urgency": "later",
        "siblings": "0",
        "requested_type": "in_house_fostering",
        "foster": "preferred",
        "residential": "unsuitable",
        "supported": "unsuitable",
    }
    response = regional.post("/region/pool/", form)
    assert response.status_code == 200
    page = response.content.decode()
    options = re.findall(r'data-option="([^"]+)"', page)
    # what the form should send the matcher: the referral's own JSON, as home finding's
    child = dict(age=9, sex="F", home_postcode="HR9 5", school_postcode=None)
    child |= dict(uasc=False, disability=False)
    suitability = {k: form[k] for k in ("foster", "residential", "supported")}
    same = {k: form[k] for k in ("requested_type", "needed_by", "urgency")}
    referral = parse_referral(
        dict(id="REGIONAL", child=child, suitability=suitability, siblings=0, **same)
        | dict(needs=[], avoid_areas=[])
    )
    expected = match_in_region(region.councils, offers, "E06000019", referral).to_json(top=10)
    assert options == [o["vacancy_id"] for o in expected["options"]]
    others = [o for o in expected["options"] if not o["vacancy_id"].startswith("E06000019/")]
    assert others, "no other council's carer was offered"
    first = others[0]
    row = page.split(f'data-option="{first["vacancy_id"]}"', 1)[1].split("</tr>", 1)[0]
    assert first["reasons"] and all(html.escape(r) in row for r in first["reasons"])
    assert html.escape(region.councils[first["vacancy_id"].split("/")[0]].profile.name) in row
    excluded = re.findall(r'data-excluded="([^"]+)"', page)
    assert excluded == [e["vacancy_id"] for e in expected["excluded"]]
    # a referral the form refuses is shown again with the problem, not matched
    response = regional.post("/region/pool/", {**form, "age": ""})
    assert response.status_code == 400 and 'data-option="' not in response.content.decode()
