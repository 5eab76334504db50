"""The statement end to end on the test council: sections, one source of truth, PDF, XLSX."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from sufficiency.dataset import Dataset
from sufficiency.measures import compute, results_json
from sufficiency.report.build import SECTION_ORDER, build_statement

REPO = Path(__file__).resolve().parents[2]

#: Sections with nothing to say without their register (a published statement leaves them
#: out rather than carry an optional placeholder): the test council has none of them.
WITHOUT_THEIR_REGISTER = ("send", "early_help")


@cache
def _oracle(ds_id: int, at: str, suppress: bool) -> dict[str, Any]:
    ds = _DATASETS[ds_id]
    doc = results_json(compute(ds, dt.date.fromisoformat(at)), suppress=suppress)
    return dict(doc["measures"])


_DATASETS: dict[int, Dataset] = {}


def oracle(ds: Dataset, at: str, suppress: bool) -> dict[str, Any]:
    """``measures --json`` for the same data and date (the one source of truth)."""
    _DATASETS[id(ds)] = ds
    return _oracle(id(ds), at, suppress)


def lookup(measures: dict[str, Any], ref: str) -> Any:
    path = ref.split("@")[0]
    mid, *keys = path.split(".")
    value: Any = measures[mid]
    for k in keys:
        value = value.get(k) if isinstance(value, dict) else None  # absent key: not available
    return value


def parse_number(text: str) -> float | None:
    text = text.strip()
    if text in ("–", ""):
        return None
    return float(re.sub(r"[£,%]", "", text))


#: References to figures that are not measures (the forecast and the gap).
NOT_MEASURES = ("forecast.", "forecast_costs.", "gap.")


def check_cells_against_measures(html_path: Path, ds: Dataset, suppress: bool) -> int:
    """Every cell with a measure reference shows exactly the value in the statement's own JSON
    (publish mode: suppressed across the whole statement) and, when it shows a number, the
    ``measures --json`` value computed afresh (the one source of truth)."""
    doc = lxml_html.parse(str(html_path)).getroot()
    dump = json.loads((html_path.parent / "statement.json").read_text())["measures"]
    checked = 0
    for td in doc.iter("td"):
        ref = td.get("data-ref")
        if ref is None or ref.startswith(NOT_MEASURES):
            continue
        table = next(a for a in td.iterancestors("table"))
        published = lookup(dump[ref.split("@")[1][:4]]["measures"], ref)
        truth = lookup(oracle(ds, ref.split("@")[1], False), ref)
        expected = published if suppress else truth
        shown = td.text_content().strip()
        if expected == "c":
            assert shown == "[c]", (table.get("id"), ref, shown)
            assert suppress, ref
            checked += 1
            continue
        assert shown != "[c]", (ref, expected)
        if expected is None:
            assert shown == "–", (ref, shown)
        else:
            got = parse_number(shown)
            assert got is not None, (ref, shown)
            assert got == pytest.approx(round(float(expected), 1), abs=0.051), (
                ref,
                shown,
                expected,
            )
            if truth is not None:  # (provider market rows are sectors when published)
                assert got == pytest.approx(round(float(truth), 1), abs=0.051), (ref, truth)
        checked += 1
    return checked


def test_every_section_present_in_order(published: Path) -> None:
    doc = lxml_html.parse(str(published / "statement.html")).getroot()
    ids = [s.get("id") for s in doc.iter("section")]
    # progress since the last statement is there only with --previous
    assert ids == [s for s in SECTION_ORDER if s not in ("progress", *WITHOUT_THEIR_REGISTER)]
    # sections the other capabilities will fill are clearly marked, and say what fills them
    for sid in ("forecast", "home_finding"):
        sec = doc.get_element_by_id(sid)
        if "status-placeholder" in sec.get("class", ""):
            text = sec.text_content()
            assert "to be completed" in text
            assert "What will fill this section" in text
            assert "Data and analysis needed" in text


def test_publish_tables_equal_measures_json(published: Path, council: Dataset) -> None:
    checked = check_cells_against_measures(published / "statement.html", council, suppress=True)
    assert checked > 150


def test_internal_tables_equal_unsuppressed_measures_json(internal: Path, council: Dataset) -> None:
    checked = check_cells_against_measures(internal / "statement.html", council, suppress=False)
    assert checked > 150
    doc = lxml_html.parse(str(internal / "statement.html")).getroot()
    assert "[c]" not in doc.text_content()


def test_every_number_in_a_table_has_a_source(published: Path) -> None:
    doc = lxml_html.parse(str(published / "statement.html")).getroot()
    for td in doc.iter("td"):
        if re.fullmatch(r"[£\d,.%\-]+", td.text_content().strip()):
            assert td.get("data-ref") or td.get("data-source"), lxml_html.tostring(td)


def test_cla_count_in_html_pdf_json_and_xlsx(published: Path, council: Dataset) -> None:
    cla = oracle(council, "2024-03-31", True)["cla_count"]
    doc = lxml_html.parse(str(published / "statement.html")).getroot()
    cell = doc.xpath('//td[@data-ref="cla_count@2024-03-31"]')[0]
    assert cell.text_content().strip() == f"{cla:,}"
    data = json.loads((published / "statement.json").read_text())
    assert data["measures"]["2024"]["measures"]["cla_count"] == cla
    assert data["year"] == 2024 and data["mode"] == "publish"
    if shutil.which("pdftotext") is None:
        subprocess.run(["bash", str(REPO / "scripts" / "install-system.sh")], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(published / "statement.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    trend_line = next(
        line
        for line in text.splitlines()
        if line.strip().startswith("2023-24") and f" {cla} " in f" {line} "
    )
    assert trend_line


def test_pdf_contents_page_numbers_and_pages(published: Path) -> None:
    pdf = published / "statement.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages >= 8
    assert re.search(r"Tagged:\s+yes", info)
    contents = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Contents" in contents
    # each contents line ends with the page its section starts on
    entries = re.findall(
        r"(Children looked after|Placement stability|Action plan and targets)"
        r"\s*\.+\s*(\d+)",
        contents,
    )
    assert len(entries) == 3
    for title, page in entries:
        page_text = subprocess.run(
            ["pdftotext", "-f", page, "-l", page, str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert title in page_text
        assert f"Page {page} of {pages}" in page_text
    out = REPO / "test-output" / "report"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "6", str(pdf), str(out / "statement")],
        check=True,
    )
    assert len(list(out.glob("statement-*.png"))) == 6


def test_xlsx_has_a_sheet_per_table_and_definitions(published: Path, council: Dataset) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(published / "statement.xlsx", read_only=True)
    names = wb.sheetnames
    assert len(names) >= 8
    assert "Definitions" in names and "Contents" in names and "Key messages" in names
    data = json.loads((published / "statement.json").read_text())
    tables = [t for s in data["sections"] for b in s["blocks"] if (t := b["table"])]
    assert len(names) == len(tables) + 3  # contents, key messages, definitions
    ws = wb["Children looked after by age"]
    rows = list(ws.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Total")
    assert total[1] == oracle(council, "2024-03-31", True)["cla_count"]
    defs = list(wb["Definitions"].iter_rows(values_only=True))
    # the public reads titles, never measure ids (the analysts' id column is internal only)
    assert defs[0][:2] == ("Title", "Theme") and len(defs) > 40
    assert "Children looked after" in {r[0] for r in defs}
    assert "cla_count" not in {c for r in defs for c in r}


def test_html_accessibility_basics(published: Path) -> None:
    text = (published / "statement.html").read_text()
    doc = lxml_html.fromstring(text)
    assert doc.get("lang") == "en-GB"
    skip = doc.xpath('//a[@class="skip-link"]')[0]
    assert skip.get("href") == "#main" and doc.get_element_by_id("main") is not None
    assert "<link" not in text and "<script" not in text  # self-contained, no scripts
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    for table in doc.iter("table"):
        assert table.find("caption") is not None and table.find("caption").text_content().strip()
        for th in table.iter("th"):
            assert th.get("scope") in ("col", "row")
    svgs = doc.xpath("//*[local-name()='svg']")
    assert len(svgs) >= 6
    for svg in svgs:
        assert svg.get("role") == "img"
        title = svg.xpath("./*[local-name()='title']")[0]
        assert svg.get("aria-labelledby") == title.get("id") and len(title.text) > 20


def test_narrative_is_placed_and_rendered_safely(published: Path) -> None:
    doc = lxml_html.parse(str(published / "statement.html")).getroot()
    intro = doc.get_element_by_id("introduction")
    narrative = intro.xpath('.//div[@class="narrative"]')
    assert narrative and narrative[0].xpath(".//strong")[0].text == "cares"
    assert not doc.xpath("//script")
    assert "<script>alert(1)</script>" in narrative[0].text_content()  # shown as text
    # the council's text comes before the generated paragraphs of its section
    blocks = [e for e in intro if e.tag in ("p", "div")]
    assert blocks[0].get("class") == "narrative"
    placements = doc.get_element_by_id("placements")
    heading = placements.xpath('.//div[@class="narrative"]/h3')[0]
    assert heading.text == "Where children live"


def test_internal_mode_has_child_level_drilldown(internal: Path, council: Dataset) -> None:
    doc = lxml_html.parse(str(internal / "statement.html")).getroot()
    table = doc.get_element_by_id("t-children_100_miles")
    rows = table.xpath("./tbody/tr")
    expected = oracle(council, "2024-03-31", False)["placed_over_100_miles"]["count"]
    assert len(rows) == expected
    pub = build_statement(council, 2024, "publish")
    assert not any(t.child_level for t in pub.tables())


def test_year_without_a_return_is_refused(council: Dataset) -> None:
    with pytest.raises(ValueError, match="no SSDA903 return for 2025"):
        build_statement(council, 2025, "publish")


def test_publish_outputs_hold_no_child_ids(published: Path, council: Dataset) -> None:
    ids = set(council.children.get_column("CHILD").to_list())
    for name in ("statement.html", "statement.json"):
        text = (published / name).read_text()
        found = {i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)}
        assert not found, (name, sorted(found)[:5])


def test_publish_child_level_tables_are_pseudonymised(
    council: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sufficiency.privacy import pseudonymise
    from sufficiency.report import build as build_mod

    monkeypatch.setenv("SUFFICIENCY_SECRET", "test-secret")
    stmt = build_statement(council, 2024, "internal")
    drill = next(t for t in stmt.tables() if t.child_level)
    plain = [r.header for r in drill.rows]
    assert plain and all(h.startswith(("C", "U")) for h in plain)
    build_mod._privacy_guard(stmt.sections, council)
    assert [r.header for r in drill.rows] == [pseudonymise(h, b"test-secret")[:16] for h in plain]
    monkeypatch.delenv("SUFFICIENCY_SECRET")
    monkeypatch.delenv("SUFFICIENCY_SECRET_FILE", raising=False)
    again = build_statement(council, 2024, "internal")
    build_mod._privacy_guard(again.sections, council)
    assert not any(t.child_level for t in again.tables())


def test_ethnicity_beside_the_council_population(published: Path) -> None:
    doc = lxml_html.parse(str(published / "statement.html")).getroot()
    table = doc.get_element_by_id("t-cla_by_ethnicity")
    head = [th.text_content() for th in table.xpath("./thead/tr/th")]
    assert head[-1] == "% of under-18 population"
    white = next(r for r in table.xpath("./tbody/tr") if r[0].text_content() == "White")
    assert white[-1].text_content() == "91.5%"
    assert white[-1].get("data-source") == "register:population"


def test_no_small_count_of_children_is_published(published: Path) -> None:
    doc = lxml_html.parse(str(published / "statement.html")).getroot()
    shown = 0
    for td in doc.iter("td"):
        ref = td.get("data-ref") or ""
        if "child" in ref.split("@")[0].rsplit(".", 1)[-1]:
            shown += 1
            assert td.text_content().strip() not in ("1", "2", "3", "4"), ref
    assert shown > 0
