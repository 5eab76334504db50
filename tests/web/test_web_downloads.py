"""Dashboard tables downloaded as CSV and XLSX: the page's own figures for the user's role
(``[c]`` where a viewer's page has it), formula-safe cells, a definitions sheet, and an audit
entry for every download by a role that sees unsuppressed figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import openpyxl
import pytest
from django.test import Client

pytestmark = pytest.mark.slow

TABLE = re.compile(r'<table[^>]*data-measure="([^"]+)"[^>]*>(.*?)</table>', re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """The page's measure tables: id -> body rows of cell texts."""
    out = {}
    for mid, body in TABLE.findall(html):
        tbody = body.split("<tbody", 1)[1]
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)
        out[mid] = [[_text(c) for c in CELL.findall(r)] for r in rows]
    return out


def _text(cell: str) -> str:
    """What a sighted reader sees in a cell: its text without tags (a count may be a drill-down
    link) and without the words only screen readers hear."""
    cell = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", cell, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", cell).strip())


def read_csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def same_figure(page: str, download: str) -> bool:
    """A page cell ("£1,234", "12.3", "[c]") and the download's cell hold the same figure."""
    if page == "[c]" or download == "[c]":
        return page == download
    try:
        shown = float(page.replace("£", "").replace(",", ""))
    except ValueError:
        return page == download
    return abs(float(download) - shown) <= 0.05 + 1e-9


def test_a_viewers_csv_holds_the_viewer_pages_figures_with_c_where_it_has(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    viewer = client_for("viewer")
    suppressed_cells = 0
    compared = 0
    for theme in ("", "placements", "location"):
        page = viewer.get(f"/?year=2024&theme={theme}")
        assert page.status_code == 200
        for mid, rows in page_tables(page.content.decode()).items():
            response = viewer.get(f"/dashboard/download/csv/?year=2024&theme={theme}&measure={mid}")
            assert response.status_code == 200, mid
            assert response["Content-Type"].startswith("text/csv")
            got = read_csv(response)[1:]
            assert len(got) == len(rows), mid
            for page_row, csv_row in zip(rows, got, strict=True):
                assert len(page_row) == len(csv_row), mid
                for p, d in zip(page_row, csv_row, strict=True):
                    assert same_figure(p, d), (mid, p, d)
                    compared += 1
                    suppressed_cells += p == "[c]"
    assert compared > 20
    assert suppressed_cells > 0  # the small council has figures a viewer may not see


def test_an_analysts_unsuppressed_csv_has_the_librarys_exact_count(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.measures import compute
    from sufficiency.web import bridge

    ds = bridge.current_dataset().dataset
    expected = compute(ds, dt.date(2024, 3, 31), ids=["cla_count"]).values["cla_count"]
    response = client_for("analyst").get(
        "/dashboard/download/csv/?year=2024&suppress=0&measure=cla_count"
    )
    rows = read_csv(response)
    assert (
        response["Content-Disposition"] == 'attachment; filename="cla_count-2024-unsuppressed.csv"'
    )
    assert rows[0] == ["Category", "Value"]
    assert int(rows[1][1]) == expected.headline
    assert "[c]" not in response.content.decode()


def test_xlsx_has_a_sheet_per_table_and_definitions(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.measures import load_catalogue

    client = client_for("analyst")
    page = client.get("/?year=2024")
    shown = list(page_tables(page.content.decode()))
    response = client.get("/dashboard/download/xlsx/?year=2024")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[-1] == "Definitions"
    assert len(wb.sheetnames) == len(shown) + 1
    defs = list(wb["Definitions"].iter_rows(values_only=True))
    assert defs[0] == ("Measure", "Title", "Definition", "Source", "Too few returns")
    by_id = {r[0]: r for r in defs[1:] if r[0]}
    catalogue = load_catalogue()
    assert by_id["cla_count"][1] == catalogue["cla_count"].title
    assert by_id["cla_count"][2] == catalogue["cla_count"].definition
    assert set(shown) <= set(by_id)


def test_formula_injection_is_neutralised_in_csv_and_xlsx(
    users: Any, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sufficiency.web.dashboard import downloads

    evil = '=HYPERLINK("http://x.example","click")'
    block = {
        "id": "providers",
        "title": "Providers",
        "headers": ["", "Children"],
        "cells": [[evil, 12], ["@SUM(A1)", -3]],
        "definition": "+1 definition",
        "source": "",
    }
    ctx = {
        "blocks": [block],
        "year": 2024,
        "theme": "",
        "suppress": True,
        "threshold": "1 to 5",
        "council_name": "Testshire",
        "filters": {},
    }
    monkeypatch.setattr(downloads, "page_context", lambda request: ctx)
    client = client_for("viewer")
    rows = read_csv(client.get("/dashboard/download/csv/?measure=providers"))
    assert rows[1] == ["'" + evil, "12"]
    assert rows[2] == ["'@SUM(A1)", "-3"]
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard/download/xlsx/").content))
    sheet = wb["Providers"]
    assert sheet.cell(5, 1).value == evil
    assert sheet.cell(5, 1).data_type == "s"  # text, never a formula
    assert sheet.cell(6, 2).value == -3
    assert wb["Definitions"].cell(2, 3).data_type == "s"


def test_downloads_by_unsuppressed_roles_are_audited_and_viewers_are_not(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    def downloads() -> list[Any]:
        return [
            e
            for e in LogEntry.objects.order_by("pk")
            if (e.additional_data or {}).get("event") == "download"
        ]

    before = len(downloads())
    client_for("viewer").get("/dashboard/download/csv/?year=2024&measure=cla_count")
    assert len(downloads()) == before
    response = client_for("analyst").get(
        "/dashboard/download/csv/?year=2024&suppress=0&measure=cla_count"
    )
    assert response.status_code == 200
    entries = downloads()
    assert len(entries) == before + 1
    entry = entries[-1]
    assert entry.actor.username == "analyst_user"
    assert entry.object_repr == "dashboard cla_count-2024-unsuppressed (csv)"
    assert entry.additional_data["suppressed"] is False
    assert entry.additional_data["measures"] == ["cla_count"]


def test_bad_download_requests_get_clear_messages(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    client = client_for("analyst")
    response = client.get("/dashboard/download/csv/?year=2024")
    assert response.status_code == 400
    assert (
        response.content.decode() == "measure: a CSV holds one table; name it with ?measure=<id>."
    )
    response = client.get("/dashboard/download/csv/?year=2024&measure=nope")
    assert response.status_code == 404
    assert "not 'nope'" in response.content.decode()
    assert "cla_count" in response.content.decode()
    assert client.get("/dashboard/download/pdf/").status_code == 404


def test_a_filtered_download_holds_the_filtered_pages_figures(
    loaded: Any, client_for: Callable[[str], Client]
) -> None:
    client = client_for("analyst")
    query = "year=2024&age_band=under_1&suppress=0"
    page = client.get(f"/?{query}").content.decode()
    assert "children aged under 1 at 31 March" in page
    shown = page_tables(page)["cla_count"]
    rows = read_csv(client.get(f"/dashboard/download/csv/?{query}&measure=cla_count"))
    everyone = read_csv(
        client.get("/dashboard/download/csv/?year=2024&suppress=0&measure=cla_count")
    )
    assert rows[1][1] == shown[0][1]
    assert int(rows[1][1]) < int(everyone[1][1])
