"""The viewer's dashboard: the published figures only, one protected output per year ending
31 March, no filters to subtract from one another, providers by sector; the attacker written
apart from the suppression code recovers nothing from every page a viewer can open."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "disclosure"))

from attacker import dashboard_knowledge, dashboard_tables, recover

pytestmark = pytest.mark.slow


def _themes(client: Client) -> list[str]:
    from sufficiency.measures import load_catalogue

    del client
    return sorted({m.theme for m in load_catalogue().values()} - {"trends", "benchmarks"})


def _pages(client: Client, years: list[int], **params: str) -> dict[int, list[str]]:
    """Every page a user opens: the overview and each theme, for each year."""
    out: dict[int, list[str]] = {}
    for year in years:
        out[year] = [
            client.get("/", {"year": str(year), "theme": theme, **params}).content.decode()
            for theme in ["", *_themes(client)]
        ]
    return out


@pytest.fixture
def viewer_pages(loaded: Path, client_for: Callable[[str], Client]) -> dict[int, list[str]]:
    return _pages(client_for("viewer"), [2023, 2024])


@pytest.fixture
def insider_pages(loaded: Path, client_for: Callable[[str], Client]) -> dict[int, list[str]]:
    """The same pages unsuppressed (what an insider knows: which [c] is a small count)."""
    return _pages(client_for("analyst"), [2023, 2024], suppress="0")


def test_the_attacker_recovers_nothing_from_the_viewer_pages(
    viewer_pages: dict[int, list[str]], insider_pages: dict[int, list[str]]
) -> None:
    reader = dashboard_knowledge(viewer_pages)
    insider = dashboard_knowledge(insider_pages)
    assert reader.hidden, "the small council has small numbers to hide"
    found = recover(reader, insider.numbers)
    assert not found, "\n".join(str(f) for f in found)


def test_no_count_of_1_to_5_children_is_shown_to_a_viewer(
    loaded: Path, viewer_pages: dict[int, list[str]]
) -> None:
    from sufficiency.ingest import load_data
    from sufficiency.measures import compute, load_catalogue
    from sufficiency.web.dashboard.views import _label

    ds = load_data(loaded).dataset
    titles = {mid: m.title for mid, m in load_catalogue().items()}
    for year, pages in viewer_pages.items():
        tables: dict[str, Any] = {}
        for page in pages:
            tables.update(dashboard_tables(page))
        for mid, result in compute(ds, dt.date(year, 3, 31)).values.items():
            rows = {label: values for label, _, values in tables.get(mid, [])}
            for path, _, role in result.leaves():
                if role != "children" or not rows:
                    continue
                label = _label(path[0]) if path and path[0] not in ("count", "denominator") else ""
                values = rows.get(label) or rows.get(titles[mid]) or []
                for v in values[:1] if label else values[:2]:
                    assert not (isinstance(v, float) and 1 <= v <= 5), (year, mid, path, v)


def test_viewers_have_no_filters_and_only_year_ends(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    client = client_for("viewer")
    plain = client.get("/", {"year": "2024"}).content.decode()
    assert 'name="uasc"' not in plain and 'name="age_band"' not in plain
    assert "Counts of children from 1 to 5 are shown as [c]" in plain
    # the leak: "excluding UASC" against "all children" differed by one child
    for params in ({"uasc": "no"}, {"age_band": "16_plus"}, {"placement_type": "ifa"}):
        filtered = client.get("/", {"year": "2024", **params}).content.decode()
        assert dashboard_tables(filtered) == dashboard_tables(plain), params
        assert "Filtered to" not in filtered
    # a year end is 31 March: another date falls back to the latest year end
    odd = client.get("/", {"year": "2024-02-29"}).content.decode()
    assert "31 March 2024" in odd and dashboard_tables(odd) == dashboard_tables(plain)
    assert client_for("analyst").get("/", {"uasc": "no"}).content.decode().count("Filtered to")


def test_viewers_see_providers_by_sector(loaded: Path, client_for: Callable[[str], Client]) -> None:
    from sufficiency.ingest import load_data
    from sufficiency.report.providers import provider_names

    names = provider_names(load_data(loaded).dataset)
    assert names
    viewer = client_for("viewer").get("/", {"theme": "supply"}).content.decode()
    assert not [n for n in names if n in viewer]
    analyst = client_for("analyst").get("/", {"theme": "supply", "suppress": "0"})
    assert any(n in analyst.content.decode() for n in names)
