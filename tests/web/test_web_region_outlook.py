"""The regional forecast, gap and block contract in the regional view (issue 21): the three
synthetic councils of test_web_region.py with a block contract of 3 external residential places
at £4,800 a week. The page shows the library's own figures (``region.outlook.regional_outlook``
called directly on the same councils), the region's need is its councils' summed, a figure tied
to a suppressed count is [c] as in the published regional statement, every table downloads as
CSV with the page's rows, the forecast is computed once per version, roles without
``region_view`` get 403 and a broken region file the named 503."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.web.test_web_region import AT, _rows, region_toml  # noqa: F401 (the fixture)

from sufficiency.web.accounts.roles import CAPABILITIES, ROLES

PAGE = "/region/outlook/"
BLOCK = '\n[block_contract]\nplacement_type = "external_residential"\nplaces = 3\n'
BLOCK += "weekly_price = 4800.0\n"
C = "[c]"


@pytest.fixture(scope="module")
def outlook_toml(region_toml: Path) -> Path:  # noqa: F811 (the imported fixture)
    """The test region's REGION.toml (the same shares) with a block contract declared."""
    path = region_toml.parent / "outlook.toml"
    path.write_text(region_toml.read_text(encoding="utf-8") + BLOCK, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def library(outlook_toml: Path) -> dict[str, Any]:
    """What the library says: ``regional_outlook`` on the region's councils with its block
    contract, and what the published regional statement hides (types, and each council's and
    the region's placement-type counts the protected needs analysis shows as [c])."""
    from sufficiency.region.analysis import analyse, threshold
    from sufficiency.region.config import load_region
    from sufficiency.region.load import load_members
    from sufficiency.region.outlook import regional_outlook
    from sufficiency.report.public import public_catalogue
    from sufficiency.report.regional import regional_statement
    from sufficiency.report.sources import catalogue_info

    region = load_members(load_region(outlook_toml))
    outlook = regional_outlook(region.councils, block=region.config.block_contract)
    run = analyse(region, AT, suppress=True, forecast=False)
    published = regional_statement(
        run, "publish", threshold(region), public_catalogue(catalogue_info())
    )
    counts = run.measures.to_json()["measures"]["cla_by_placement_type"]
    return {
        "region": region,
        "outlook": outlook,
        "json": outlook.to_json(),
        "hidden": frozenset(published.extras["hidden_types"]),
        "counts": counts,
    }


@pytest.fixture
def regional(settings: Any, outlook_toml: Path, client_for: Callable[[str], Client]) -> Client:
    settings.SUFFICIENCY_REGION = str(outlook_toml)
    return client_for("regional")


def _shown(value: Any) -> str:
    """A forecast or gap figure as the page shows it (the statement's number format)."""
    from sufficiency.report.model import Cell, fmt_value

    return fmt_value(Cell(value, "number"))


def _money(value: Any) -> str:
    return f"£{value:,.0f}"


def _download(client: Client, table_id: str) -> list[list[str]]:
    response = client.get(f"{PAGE}?download={table_id}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_councils_forecast_and_the_regions_need_are_the_librarys(
    regional: Client, library: dict[str, Any]
) -> None:
    from sufficiency.codes import PLACEMENT_TYPE_TITLES

    response = regional.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{PAGE}"' in regional.get("/region/").content.decode()  # in the region's nav
    need = library["json"]["need"]
    codes = list(need["councils"])
    hidden, counts = library["hidden"], library["counts"]
    assert hidden, "no placement type hidden: the test region should have small types"
    hide_region = hidden | {t for t, v in counts["region"].items() if v == "c"}
    hide = {c: hidden | {t for t, v in counts["councils"][c].items() if v == "c"} for c in codes}
    assert sorted(need["region"]) == ["2026", "2027", "2028"]  # 36 months from 31 March 2025
    shown_cells = 0
    for year, region_need in need["region"].items():
        rows = _rows(page, f"region-forecast-{year}")
        by_title = {r[0]: r[1:] for r in rows}
        types = [
            t
            for t in sorted(region_need)
            if region_need[t] or any(need["councils"][c][year].get(t) for c in codes)
        ]
        assert list(by_title) == [PLACEMENT_TYPE_TITLES[t] for t in types], year
        for t in types:
            expected = [C if t in hide[c] else _shown(need["councils"][c][year][t]) for c in codes]
            expected.append(C if t in hide_region else _shown(region_need[t]))
            assert by_title[PLACEMENT_TYPE_TITLES[t]] == expected, (year, t)
            shown_cells += sum(v != C for v in expected)
            # the region's need is the sum of its councils' (to the rounding of one decimal)
            total = sum(library["outlook"].needs[c][int(year)][t] for c in codes)
            assert library["outlook"].region_need[int(year)][t] == pytest.approx(total, abs=1e-3)
            if t not in hide_region and not any(t in hide[c] for c in codes):
                parts = sum(need["councils"][c][year][t] for c in codes)
                assert abs(float(region_need[t]) - parts) <= 0.05 * len(codes) + 1e-9
        # a type hidden for the region is hidden for every council (no sum gives it away)
        for t in hidden & set(types):
            assert by_title[PLACEMENT_TYPE_TITLES[t]] == [C] * (len(codes) + 1)
    assert shown_cells > 50
    # known figures of the test region (synth seeds 1-3): the region's in-house fostering
    assert need["region"]["2026"]["in_house_fostering"] == 132.3
    row = dict((r[0], r[1:]) for r in _rows(page, "region-forecast-2026"))
    assert row["In-house fostering"][-1] == "132.3"


def test_the_gap_and_the_block_contract_are_the_librarys(
    regional: Client, library: dict[str, Any]
) -> None:
    from sufficiency.codes import PLACEMENT_TYPE_TITLES

    page = regional.get(PAGE).content.decode()
    hidden = library["hidden"]
    gap = library["json"]["gap"]
    for y in gap["years"]:
        rows = {r[0]: r[1:] for r in _rows(page, f"region-gap-{y['year']}")}
        for t, cell in y["by_type"].items():
            shown = rows[PLACEMENT_TYPE_TITLES[t]]
            assert shown[1] == _shown(cell["capacity"])  # homes counted from registers: kept
            if t in hidden:
                assert [shown[0], shown[2], shown[3]] == [C, C, C], t
            else:
                assert shown[0] == _shown(cell["need"]), t
                assert shown[2] == _shown(cell["shortfall"]), t
                assert shown[3] == _money(cell["shortfall_cost"]), t
        # a year with a hidden type has its totals hidden too (they would give it away)
        total = rows["Total"]
        if hidden & set(y["by_type"]):
            assert total[2:] == [C, C]
        else:
            assert total[2:] == [_shown(y["total_shortfall"]), _money(y["total_shortfall_cost"])]
    block = library["outlook"].block
    assert block is not None and block.placement_type not in hidden
    saving = block.to_json()
    assert saving["block_weekly_price"] == 4800.0 and saving["places"] == 3
    title = f"A regional block contract of 3 places: {PLACEMENT_TYPE_TITLES[block.placement_type]}"
    assert html.escape(title) in page
    assert "at £4,800 a week" in page
    rows = _rows(page, "region-block")
    assert rows == [
        [
            str(y["year"]),
            _shown(y["shortfall"]),
            _shown(y["places_used"]),
            _money(y["spot_cost"]),
            _money(y["block_cost"]),
            _money(y["saving"]),
        ]
        for y in saving["years"]
    ]
    # known: 3 places a year at £4,800 a week for 52 weeks; the saving is spot less block
    assert [y["block_cost"] for y in saving["years"]] == [748_800] * 3
    assert all(y["saving"] == y["spot_cost"] - y["block_cost"] for y in saving["years"])
    assert any(y["saving"] > 0 for y in saving["years"])


def test_every_table_downloads_with_the_pages_rows(
    regional: Client, library: dict[str, Any]
) -> None:
    from sufficiency.report.model import Cell, fmt_value

    page = regional.get(PAGE).content.decode()
    years = list(library["json"]["need"]["region"])
    tables = [f"region-forecast-{y}" for y in years]
    tables += [f"region-gap-{y}" for y in years] + ["region-block"]
    for table_id in tables:
        assert f'href="?download={table_id}"' in page, table_id
        rows = _download(regional, table_id)
        shown = _rows(page, table_id)
        assert len(rows) == len(shown) + 1 and rows[0][0] in ("Placement type", "Year")
        money = {i for i, h in enumerate(rows[0][1:]) if "cost" in h.lower() or h == "Saving"}
        for got, want in zip(rows[1:], shown, strict=True):
            assert got[0] == want[0], table_id
            as_page = [
                C
                if v == C
                else "–"
                if v == ""
                else fmt_value(Cell(float(v), "money" if i in money else "number"))
                for i, v in enumerate(got[1:])
            ]
            assert as_page == want[1:], (table_id, got)
    # the downloaded forecast holds the library's figures themselves (to one decimal)
    first = _download(regional, f"region-forecast-{years[0]}")
    fostering = next(r for r in first if r[0] == "In-house fostering")
    assert fostering[-1] == str(library["json"]["need"]["region"][years[0]]["in_house_fostering"])
    assert regional.get(f"{PAGE}?download=region-needs").status_code == 404


def test_the_forecast_is_computed_once_per_version(
    regional: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sufficiency.region.analysis as analysis

    first = regional.get(PAGE)
    assert first.status_code == 200

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the forecast was computed again for the same version")

    monkeypatch.setattr(analysis, "analyse", refuse)
    again = regional.get(PAGE)
    assert again.status_code == 200 and _main(again) == _main(first)
    assert 'data-table="region-block"' in _main(again)


def _main(response: Any) -> str:
    """The page's own content (the header's sign-out form has a fresh token each time)."""
    return str(response.content.decode().split("<h1", 1)[1].split("</main>", 1)[0])


def test_a_region_without_a_block_contract_says_how_to_declare_one(
    settings: Any,
    region_toml: Path,  # noqa: F811 (the imported fixture)
    client_for: Callable[[str], Client],
) -> None:
    settings.SUFFICIENCY_REGION = str(region_toml)
    response = client_for("regional").get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="region-no-block"' in page and "[block_contract]" in page
    assert 'data-table="region-block"' not in page and 'data-table="region-gap-2026"' in page


def test_roles_without_the_capability_are_refused(
    settings: Any, outlook_toml: Path, client_for: Callable[[str], Client]
) -> None:
    settings.SUFFICIENCY_REGION = str(outlook_toml)
    refused = [r for r in ROLES if r not in CAPABILITIES["region_view"]]
    assert refused
    for role in refused:
        response = client_for(role).get(PAGE)
        assert response.status_code == 403, role
        assert "Test region" not in response.content.decode()
        assert client_for(role).get(f"{PAGE}?download=region-block").status_code == 403


def test_a_broken_region_file_is_named_not_a_server_error(
    settings: Any, tmp_path: Path, outlook_toml: Path, client_for: Callable[[str], Client]
) -> None:
    bad = tmp_path / "region.toml"
    bad.write_text('name = "Broken"\n[[members]]\ncode = "E06000019"\n', encoding="utf-8")
    settings.SUFFICIENCY_REGION = str(bad)
    response = client_for("regional").get(PAGE)
    assert response.status_code == 503
    page = response.content.decode()
    assert 'id="region-problem"' in page and "give exactly one of share" in page
    # a block contract of no placement type: the file is named, nothing is forecast
    wrong = outlook_toml.read_text(encoding="utf-8").replace('"external_residential"', '"castles"')
    bad.write_text(wrong, encoding="utf-8")
    response = client_for("regional").get(PAGE)
    assert response.status_code == 503
    page = response.content.decode()
    assert "block_contract" in page and "is not a placement type id" in page
    settings.SUFFICIENCY_REGION = str(tmp_path / "missing.toml")
    response = client_for("regional").get(f"{PAGE}?download=region-block")
    assert response.status_code == 503 and "cannot read" in response.content.decode()
