"""Dashboard tables as CSV (one table) and XLSX (one sheet per table, and a definitions sheet).

A download holds exactly the figures the page shows the same user for the same query (the page's
own context: a viewer gets the published, protected figures with ``[c]`` where the page has it;
an analyst their own view). Cells are spreadsheet-safe (``sufficiency.cells``). Every download by
a role that may see unsuppressed figures is audited.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from sufficiency import disclosure
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.dashboard.views import page_context
from sufficiency.web.exports import attachment, csv_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def table_header(block: dict[str, Any]) -> list[str]:
    """The table's column headings, its row-label column named."""
    headers = [str(h) for h in block["headers"]]
    return ["Category", *headers[1:]] if headers and headers[0] == "" else headers


def table_rows(block: dict[str, Any]) -> list[list[Any]]:
    """The table's rows as a download holds them (a withheld table: its message)."""
    if block.get("withheld"):
        return [[block["withheld"]]]
    return [list(row) for row in block["cells"]]


def _note(ctx: dict[str, Any]) -> str:
    if ctx["suppress"]:
        return (
            f"Counts of children from {ctx['threshold']} are shown as "
            f"{disclosure.SUPPRESSED_TEXT}, with further figures suppressed where a total "
            "would reveal them."
        )
    return "Unsuppressed: internal use only."


def xlsx_bytes(ctx: dict[str, Any], blocks: list[dict[str, Any]]) -> bytes:
    """A workbook: one sheet per table (title, note, headings, rows) and a Definitions sheet."""
    import xlsxwriter

    from sufficiency.cells import XLSX_OPTIONS
    from sufficiency.report.render import sheet_name

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, **XLSX_OPTIONS})
    bold = wb.add_format({"bold": True})
    used = {"definitions"}
    year = ctx["year"]
    for block in blocks:
        ws = wb.add_worksheet(sheet_name(block["title"], used))
        ws.write_string(0, 0, f"{block['title']}, 31 March {year}", bold)
        ws.write_string(1, 0, f"{ctx['council_name']}. {_note(ctx)}")
        if block.get("history"):
            ws.write_string(2, 0, f"Too few returns loaded: this figure {block['history']}.")
        for c, h in enumerate(table_header(block)):
            ws.write_string(3, c, h, bold)
        for r, row in enumerate(table_rows(block), start=4):
            for c, v in enumerate(row):
                if isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, str(v))
        ws.set_column(0, 0, 40)
    ws = wb.add_worksheet("Definitions")
    for c, h in enumerate(("Measure", "Title", "Definition", "Source", "Too few returns")):
        ws.write_string(0, c, h, bold)
    for r, block in enumerate(blocks, start=1):
        for c, v in enumerate(
            (
                block["id"],
                block["title"],
                block.get("definition", ""),
                block.get("source", ""),
                block.get("history", ""),
            )
        ):
            ws.write_string(r, c, str(v or ""))
    ws.write_string(len(blocks) + 2, 0, _note(ctx))
    ws.set_column(2, 2, 80)
    wb.close()
    return buf.getvalue()


@requires("dashboard")
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """``/dashboard/download/csv/?measure=<id>&...`` one table; ``.../xlsx/`` every table of the
    page (or ``measure``'s), for the page's year, theme and filters."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    ctx = page_context(request)
    if ctx.get("empty") or ctx.get("broken"):
        return _text("No figures to download: the loaded data cannot be read yet.", 409)
    blocks: list[dict[str, Any]] = ctx["blocks"]
    measure = request.GET.get("measure", "")
    if measure:
        blocks = [b for b in blocks if b["id"] == measure]
        if not blocks:
            shown = ", ".join(b["id"] for b in ctx["blocks"])
            return _text(
                f"measure: expected one of the page's tables ({shown}), not {measure!r}.", 404
            )
    elif fmt == "csv":
        return _text("measure: a CSV holds one table; name it with ?measure=<id>.", 400)
    name = f"{measure or ctx['theme'] or 'overview'}-{ctx['year']}"
    name += "" if ctx["suppress"] else "-unsuppressed"
    if can(request.user, "dashboard_unsuppressed"):
        from sufficiency.web.audited import record_download
        from sufficiency.web.data.models import ReturnYear

        record_download(
            request,
            ReturnYear,
            f"dashboard {name} ({fmt})",
            year=ctx["year"],
            theme=ctx["theme"],
            measures=[b["id"] for b in blocks],
            suppressed=ctx["suppress"],
            filters={k: v for k, v in ctx["filters"].items() if v},
        )
    if fmt == "csv":
        return csv_response(f"{name}.csv", table_header(blocks[0]), table_rows(blocks[0]))
    return attachment(xlsx_bytes(ctx, blocks), XLSX_TYPE, f"{name}.xlsx")
