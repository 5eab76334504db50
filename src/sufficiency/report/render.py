"""Renderers: StatementData -> HTML (jinja2), PDF (WeasyPrint), XLSX (xlsxwriter), JSON.

Renderers only format: every number comes from ``StatementData``. Heavy libraries are imported
inside the functions that need them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sufficiency import disclosure
from sufficiency.report.model import StatementData, chart_value, download_value, fmt_value

if TYPE_CHECKING:
    import jinja2


def _template_text(name: str) -> str:
    return (resources.files("sufficiency.report") / "templates" / name).read_text("utf-8")


def render_markdown(text: str) -> Markup:
    """Council-written narrative as safe HTML: raw HTML is escaped, and headings nest under the
    section's h2: the narrative's top heading level (``#``, or ``##`` when it has no ``#``)
    becomes h3, the next h4, and so on (never deeper than h6)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = lambda url: url.lower().startswith(("http://", "https://", "mailto:", "#"))  # type: ignore[method-assign]
    tokens = md.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    offset = 3 - min(levels, default=1)
    out = md.renderer.render(tokens, md.options, {})

    def shift(m: re.Match[str]) -> str:
        level = min(6, int(m.group(2)) + offset)
        return f"<{m.group(1)}h{level}"

    return Markup(re.sub(r"<(/?)h([1-6])", shift, out))


@cache
def _statement_template() -> tuple[jinja2.Template, Markup]:
    """The statement's template, compiled once a process (compiling it took longer than
    rendering it), and its stylesheet."""
    import jinja2

    from sufficiency.report import charts

    env = jinja2.Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined
    )
    env.globals["fmt"] = fmt_value
    env.globals["chart_value"] = chart_value
    env.globals["markdown"] = render_markdown
    # looked up at each call, so that a test may stand in for the drawing
    env.globals["svg"] = lambda chart: Markup(charts.render_svg(chart))
    template = env.from_string(_template_text("statement.html.j2"))
    return template, Markup(_template_text("statement.css"))


def render_html(data: StatementData) -> str:
    """The statement as one self-contained HTML file (inline CSS and SVG). Inside
    ``chart_workers`` its charts are all sent to the workers first, and each SVG is taken from
    its worker as the template reaches it (sent before the template is read and compiled,
    which the workers' drawing then hides)."""
    from sufficiency.report.chart_workers import drawing

    draw = drawing(chart for section in data.sections for chart in section.charts())
    template, css = _statement_template()
    if draw is None:
        return template.render(s=data, css=css)
    return template.render(s=data, css=css, svg=lambda chart: Markup(draw(chart)))


def render_pdf(html_text: str, target: Path) -> int:
    """Print the HTML to a tagged PDF (PDF/UA-1) with WeasyPrint; returns its number of pages."""
    from weasyprint import HTML

    from sufficiency.report.charts import as_images

    # media_type is the HTML's (given to write_pdf, WeasyPrint logged it as an unknown option)
    page = HTML(string=as_images(html_text), base_url=str(target.parent), media_type="print")
    options: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    document = page.render(**options)
    document.write_pdf(str(target), **options)
    return len(document.pages)


#: Excel's longest sheet name.
SHEET_NAME_MAX = 31
#: Words a title may begin with that every reader of the statement takes as read: left off a
#: sheet name when the whole title does not fit ("by placement type and sex").
SHEET_PREFIXES = ("children looked after", "children")
#: Words a sheet name never ends on.
_DANGLING = {"by", "and", "of", "in", "the", "a", "for", "to", "with", "on", "at", "from", "per"}


def _words_within(words: list[str], limit: int) -> str:
    """As many whole words as fit in ``limit`` characters (a first word longer than the limit
    is the only one ever cut)."""
    out = ""
    for w in words:
        joined = f"{out} {w}" if out else w
        if len(joined) > limit:
            break
        out = joined
    kept = out.split()
    while len(kept) > 1 and kept[-1].lower() in _DANGLING:
        kept.pop()
    return (" ".join(kept) or (words[0] if words else ""))[:limit].rstrip(" ,(-")


def sheet_name(title: str, used: set[str]) -> str:
    """A unique sheet name (case-insensitive) of at most 31 characters made from the title by
    whole words; a repeated name takes " 2", " 3"... after as many whole words as fit."""
    words = re.sub(r"[\[\]:*?/\\']", "", title).split()
    if len(" ".join(words)) > SHEET_NAME_MAX:
        for prefix in SHEET_PREFIXES:
            n = len(prefix.split())
            if [w.lower() for w in words[:n]] == prefix.split() and len(words) > n:
                words = words[n:]
                while len(words) > 1 and words[0].lower() in _DANGLING:
                    words = words[1:]
                words[0] = words[0][:1].upper() + words[0][1:]
                break
    base = _words_within(words, SHEET_NAME_MAX) or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" {i}"
        name = (_words_within(words, SHEET_NAME_MAX - len(suffix)) or "Sheet") + suffix
        i += 1
    used.add(name.lower())
    return name


def render_xlsx(data: StatementData, target: Path) -> None:
    """Every table on its own sheet, plus contents, key messages and definitions sheets."""
    import xlsxwriter

    from sufficiency.cells import XLSX_OPTIONS

    wb = xlsxwriter.Workbook(str(target), {"constant_memory": False, **XLSX_OPTIONS})
    try:
        wb.set_properties(
            {
                "title": f"{data.la_name} sufficiency statement {data.year_label}",
                "author": data.la_name,
                "comments": "Produced by sufficiency",
            }
        )
        bold = wb.add_format({"bold": True})
        title_f = wb.add_format({"bold": True, "font_size": 14})
        head = wb.add_format({"bold": True, "bottom": 2, "text_wrap": True, "valign": "top"})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        formats = {
            "count": wb.add_format({"num_format": "#,##0"}),
            "number": wb.add_format({"num_format": "#,##0"}),
            "decimal": wb.add_format({"num_format": "#,##0.0"}),
            "pct": wb.add_format({"num_format": '0.0"%"'}),
            "rate": wb.add_format({"num_format": "0.0"}),
            "miles": wb.add_format({"num_format": "0.0"}),
            "money": wb.add_format({"num_format": "£#,##0"}),
        }
        right = wb.add_format({"align": "right"})
        used: set[str] = set()
        contents = wb.add_worksheet(sheet_name("Contents", used))
        contents.write(0, 0, f"{data.la_name}: sufficiency statement {data.year_label}", title_f)
        contents.write(
            1,
            0,
            f"Year ending 31 March {data.year}; {data.mode} version; [c] = suppressed small number",
        )
        if data.provenance:
            contents.write(
                2,
                0,
                f"Input data SHA-256 {data.provenance.get('data_sha256')}; "
                f"sufficiency {data.provenance.get('version')}",
            )
        contents.write_row(3, 0, ["Sheet", "Table", "Section"], head)
        messages = wb.add_worksheet(sheet_name("Key messages", used))
        messages.write(0, 0, "Key messages", title_f)
        messages.set_column(0, 0, 120, wrap)
        for i, text in enumerate(data.key_messages, start=2):
            messages.write(i, 0, text)
        row_c = 4
        titles = {d["id"]: d["title"] for d in data.definitions}
        for section in data.sections:
            for t in section.tables():
                ws = wb.add_worksheet(sheet_name(t.title, used))
                contents.write_url(row_c, 0, f"internal:'{ws.get_name()}'!A1", string=ws.get_name())
                contents.write(row_c, 1, t.title)
                contents.write(row_c, 2, section.title)
                row_c += 1
                ws.write(0, 0, t.title, title_f)
                ws.write(1, 0, t.caption)
                ws.write_row(3, 0, [c or "Item" for c in t.columns], head)
                for i, r in enumerate(t.rows, start=4):
                    ws.write(i, 0, r.header, bold if r.total else None)
                    for j, cell in enumerate(r.cells, start=1):
                        value = download_value(cell)
                        if isinstance(value, int | float) and not isinstance(value, bool):
                            kind: str = cell.kind if cell.kind in formats else "number"
                            if kind == "number" and not float(value).is_integer():
                                kind = "decimal"  # never "#,##0.##", which shows "53,032."
                            ws.write_number(i, j, value, formats[kind])
                        elif value == disclosure.SUPPRESSED_TEXT:
                            ws.write_string(i, j, value, right)
                        else:
                            ws.write(i, j, value)
                ws.set_column(0, 0, 42)
                ws.set_column(1, max(1, len(t.columns) - 1), 16)
                ws.freeze_panes(4, 1)
                notes_row = 5 + len(t.rows)
                if t.definitions and data.mode == "internal":
                    ws.write(notes_row, 0, "Measures: " + ", ".join(t.definitions))
                elif t.definitions:  # the public reads titles, defined on the Definitions sheet
                    named = [titles.get(d, "") for d in t.definitions]
                    ws.write(
                        notes_row,
                        0,
                        "Defined on the Definitions sheet: " + "; ".join(n for n in named if n),
                    )
        contents.set_column(0, 0, 34)
        contents.set_column(1, 1, 60)
        contents.set_column(2, 2, 40)
        defs = wb.add_worksheet(sheet_name("Definitions", used))
        # the public sees no measure ids: the analysts' first column is left out in publish mode
        first = 0 if data.mode == "internal" else 1
        columns = ["Measure id", "Title", "Theme", "Unit", "Definition", "Source"][first:]
        defs.write_row(0, 0, columns, head)
        for i, d in enumerate(data.definitions, start=1):
            cells = [
                d["id"],
                d["title"],
                d["theme"],
                d["unit"],
                d["definition"],
                d.get("source", ""),
            ]
            defs.write_row(i, 0, cells[first:], wrap)
        defs.set_column(0, 0, 28 if first == 0 else 40)
        defs.set_column(1 - first, 1 - first, 40)
        defs.set_column(4 - first, 4 - first, 90)
        contents.write_url(row_c, 0, f"internal:'{defs.get_name()}'!A1", string=defs.get_name())
        contents.write(row_c, 1, "Definitions of every measure")
    finally:
        wb.close()


def render_json(data: StatementData) -> str:
    """All the numbers behind the statement (sections, tables, measures, key messages)."""
    # allow_nan=False: a figure that is not a number stops the write (not JSON), nothing written
    return json.dumps(data.to_json(), indent=2, ensure_ascii=False, default=str, allow_nan=False)
