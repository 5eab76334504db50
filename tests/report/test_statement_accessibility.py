"""The statement is accessible: axe-core (in Debian's chromium) finds no serious or critical
issue in statement.html, and the PDF is tagged (PDF/UA) with the document's language, alt text on
every chart and a data table for every chart.

Both read the session's one publish-mode statement (``published``). The PDF is read with the
standard library: WeasyPrint keeps its structure tree in compressed object streams, which are
inflated here and read one object a line.
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser_journeys import launched_browser  # shared with the web journeys

#: Impacts that fail the check (axe's scale: minor, moderate, serious, critical).
FAILING = {"serious", "critical"}


@pytest.fixture(scope="module")
def charts(published: Path) -> list[dict[str, Any]]:
    doc = json.loads((published / "statement.json").read_text())
    return [b["chart"] for s in doc["sections"] for b in s["blocks"] if b["chart"] is not None]


@pytest.mark.browser
def test_statement_html_has_no_serious_or_critical_accessibility_issue(published: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with launched_browser() as browser:
        page = browser.new_page()
        page.goto((published / "statement.html").as_uri())
        found = Axe().run(page).response["violations"]
    problems = [
        f"{v['id']} ({v['impact']}) {n['target']}: {v['help']}"
        for v in found
        if v["impact"] in FAILING
        for n in v["nodes"]
    ]
    assert problems == [], "\n".join(problems)


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with every Flate-compressed stream inflated after it (object streams included)."""
    parts = [pdf]
    for start in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", start.end())
        try:
            parts.append(zlib.decompress(pdf[start.end() : end]))
        except zlib.error:
            continue  # not Flate: images, fonts kept as they are
    return b"\n".join(parts)


def _pdf_string(raw: bytes) -> str:
    """A PDF string's text: ``(literal)`` with backslash escapes or ``<hex>`` (UTF-16 with BOM)."""
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode()
    body = re.sub(rb"\\([()\\])", rb"\1", raw[1:-1])
    return body.decode("utf-16-be")[1:] if body.startswith(b"\xfe\xff") else body.decode("latin-1")


def _elements(text: bytes) -> list[tuple[str, str | None]]:
    """Every structure element as (type, alt text or None)."""
    found = []
    for line in text.split(b"\n"):
        if b"/Type /StructElem" not in line:
            continue
        kind = re.search(rb"/S /(\w+)", line)
        alt = re.search(rb"/Alt (\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>)", line)
        assert kind is not None, line
        found.append((kind.group(1).decode(), _pdf_string(alt.group(1)) if alt else None))
    return found


def test_pdf_is_tagged_with_alt_text_and_a_data_table_for_every_chart(
    published: Path, charts: list[dict[str, Any]]
) -> None:
    text = _pdf_text((published / "statement.pdf").read_bytes())
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true\s*>>", text)
    assert re.search(rb"/StructTreeRoot \d+ 0 R", text)
    assert re.findall(rb"/Lang \(([^)]*)\)", text) == [b"en-GB"]
    elements = _elements(text)
    figures = [alt or "" for kind, alt in elements if kind == "Figure"]
    # every image is a chart, each named by its alt text (the figure's caption in the HTML)
    assert sorted(figures) == sorted(c["alt"] for c in charts)
    tree = lxml_html.parse(str(published / "statement.html")).getroot()
    # a table split over two pages is two Table elements
    assert [kind for kind, _ in elements].count("Table") >= len(tree.xpath("//table"))
    assert tree.xpath("//img") == []  # charts are inline SVG, each a tagged Figure


def test_every_chart_has_a_data_table_with_its_figures(
    published: Path, charts: list[dict[str, Any]]
) -> None:
    tree = lxml_html.parse(str(published / "statement.html")).getroot()
    assert len(charts) >= 8
    for chart in charts:
        figure = tree.get_element_by_id(f"f-{chart['id']}")
        assert figure.xpath("./svg/title")[0].text_content() == chart["alt"]
        table = figure.xpath("./table[@class='chart-data']")[0]
        head = [th.text_content() for th in table.xpath("./thead/tr/th")]
        assert head[1:] == [s["name"] for s in chart["series"]]
        rows = table.xpath("./tbody/tr")
        assert [r.xpath("./th")[0].text_content() for r in rows] == chart["categories"]
        for k, series in enumerate(chart["series"]):
            shown = [r.xpath("./td")[k].text_content() for r in rows]
            assert len(shown) == len(series["values"])
            for cell, value in zip(shown, series["values"], strict=True):
                assert _agrees(cell, value, chart["unit"]), (chart["id"], cell, value)


def _agrees(cell: str, value: float | None, unit: str) -> bool:
    """The cell shows the value to one decimal place ('–' when not shown), with its unit."""
    if value is None:
        return cell == "–"
    if unit and unit not in cell:
        return False
    return abs(float(re.sub(r"[£%,]", "", cell)) - value) <= 0.05
