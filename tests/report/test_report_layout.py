"""Print layout of the published statement: headings kept with what follows, charts legible
with nothing clipped, no empty table, parts on new pages, clean XLSX sheet names.

Every check reads the session's one publish-mode statement (``published``: HTML, PDF, XLSX,
JSON rendered once); the charts are redrawn from its JSON to measure their text.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from sufficiency.report.model import Chart, Series
from sufficiency.report.sections.registry import registered


@pytest.fixture(scope="module")
def doc(published: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((published / "statement.json").read_text())
    return data


@pytest.fixture(scope="module")
def pages(published: Path) -> list[list[str]]:
    """The PDF's pages as their non-blank lines (pdftotext, one call per page)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(published / "statement.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        [line.strip() for line in page.splitlines() if line.strip()] for page in out.split("\f")
    ]


def _charts(doc: dict[str, Any]) -> Iterator[Chart]:
    for section in doc["sections"]:
        for block in section["blocks"]:
            if block["chart"] is not None:
                c = dict(block["chart"])
                c["series"] = [Series(**s) for s in c["series"]]
                yield Chart(**c)


def test_no_heading_is_the_last_line_of_a_page(doc: dict[str, Any], pages: list[list[str]]) -> None:
    headings = {f"{i}. {s['title']}" for i, s in enumerate(doc["sections"], start=1)}
    headings |= {t["title"] for s in doc["sections"] for t in _tables(s)}
    checked = 0
    for number, lines in enumerate(pages, start=1):
        body = [ln for ln in lines if not re.fullmatch(r"Page \d+ of \d+", ln)]
        if not body:
            continue
        checked += 1
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"
    assert checked > 10


def _tables(section: dict[str, Any]) -> list[dict[str, Any]]:
    return [b["table"] for b in section["blocks"] if b["table"] is not None]


def test_pages_break_only_before_major_parts(published: Path, doc: dict[str, Any]) -> None:
    parts = {spec.id for spec in registered() if spec.part}
    assert {"children_looked_after", "forecast", "action_plan"} <= parts
    tree = lxml_html.parse(str(published / "statement.html")).getroot()
    marked = {s.get("id") for s in tree.xpath('//section[contains(@class, " part ")]')}
    assert marked == {s["id"] for s in doc["sections"] if s["id"] in parts}
    assert [s["part"] for s in doc["sections"]].count(True) == len(marked)
    assert len(marked) < len(doc["sections"]) / 2  # most sections flow on


def _drawn_texts(fig: Any) -> list[Any]:
    """Every text matplotlib draws: titles, axis labels, the tick labels inside the axis'
    limits, value labels and the legend's entries."""
    out = list(fig.texts)
    for legend in fig.legends:
        out += legend.get_texts()
    for ax in fig.axes:
        out += [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        if ax.get_legend() is not None:
            out += ax.get_legend().get_texts()
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            out += [
                t.label1 for t in axis.get_major_ticks() if lo - 1e-9 <= t.get_loc() <= hi + 1e-9
            ]
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def test_every_chart_text_lies_inside_its_figure(doc: dict[str, Any]) -> None:
    import matplotlib.pyplot as plt

    from sufficiency.report.charts import figure

    charts = list(_charts(doc))
    assert {"cla_age_chart", "weekly_costs_chart", "forecast_chart"} <= {c.id for c in charts}
    for chart in charts:
        fig = figure(chart)
        try:
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
            box = fig.bbox
            shown = _drawn_texts(fig)
            assert len(shown) >= 4, chart.id  # a title, axis labels, ticks at least
            for t in shown:
                b = t.get_window_extent(renderer)
                inside = (
                    b.x0 >= box.x0 - 0.5
                    and b.y0 >= box.y0 - 0.5
                    and b.x1 <= box.x1 + 0.5
                    and b.y1 <= box.y1 + 0.5
                )
                assert inside, f"{chart.id}: {t.get_text()!r} outside the figure"
            ticks = [
                t.get_window_extent(renderer)
                for t in _drawn_texts(fig)
                if t in fig.axes[0].get_xticklabels()
            ]
            ticks.sort(key=lambda b: b.x0)
            for a, b in itertools.pairwise(ticks):
                assert a.x1 <= b.x0, f"{chart.id}: x-axis labels collide"
        finally:
            plt.close(fig)


def test_the_cost_chart_shows_every_type_with_spend(internal: Path) -> None:
    from sufficiency.codes import PLACEMENT_TYPE_TITLES

    data = json.loads((internal / "statement.json").read_text())
    spend = data["measures"]["2024"]["measures"]["spend_by_placement_type"]
    with_spend = {PLACEMENT_TYPE_TITLES[t] for t, v in spend.items() if v not in (None, 0)}
    chart = next(c for c in _charts(data) if c.id == "weekly_costs_chart")
    assert set(chart.categories) == with_spend
    assert len(with_spend) >= 5


def test_the_forecast_chart_ticks_are_31_march(doc: dict[str, Any]) -> None:
    chart = next(c for c in _charts(doc) if c.id == "forecast_chart")
    assert chart.categories[:3] == ["31 Mar 2022", "31 Mar 2023", "31 Mar 2024"]
    assert all(c.startswith("31 Mar ") for c in chart.categories)


def test_no_empty_table_and_the_age_table_once(doc: dict[str, Any]) -> None:
    tables = [t for s in doc["sections"] for t in _tables(s)]
    for t in tables:
        values = [c["value"] for r in t["rows"] for c in r["cells"]]
        assert any(v not in (None, 0, "") for v in values), f"{t['id']} is empty"
    ages = [t for t in tables if t["title"].startswith("Children looked after by age")]
    assert [t["id"] for t in ages] == ["cla_by_age"]


def test_xlsx_sheet_names_are_whole_words_and_unique(published: Path, doc: dict[str, Any]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(published / "statement.xlsx", read_only=True)
    names = wb.sheetnames
    assert len({n.lower() for n in names}) == len(names)
    titles = [t["title"] for s in doc["sections"] for t in _tables(s)]
    for name, title in zip(names[2:], titles, strict=False):
        assert len(name) <= 31
        words = re.sub(r" \d+$", "", name).lower().split()
        title_words = re.sub(r"[\[\]:*?/\\']", "", title).lower().split()
        runs = [title_words[i : i + len(words)] for i in range(len(title_words))]
        assert words in runs, f"sheet {name!r} is not whole words of {title!r}"


def test_sheet_names_from_long_titles() -> None:
    from sufficiency.report.render import sheet_name

    used: set[str] = set()
    assert sheet_name("Children looked after by placement type and sex", used) == (
        "Placement type and sex"
    )
    assert sheet_name("Children looked after by placement type and sex", used) == (
        "Placement type and sex 2"
    )
    # 'Bed nights and spend by placement' is 33 characters; a name never ends on 'by'
    assert sheet_name("Bed nights and spend by placement type in the year", used) == (
        "Bed nights and spend"
    )
    assert sheet_name("Contents", used) == "Contents"
