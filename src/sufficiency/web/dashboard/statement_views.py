"""Statement: generate and download the sufficiency statement (HTML, PDF, XLSX) for a year."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.web import bridge
from sufficiency.web.accounts.roles import can, requires

FORMATS = {"html": "text/html", "pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "json": "application/json"}


@requires("statement")
def statement_page(request: HttpRequest) -> HttpResponse:
    ds = bridge.dataset_or_none()
    years = list(ds.returns) if ds else []
    return render(request, "web/statement.html", {
        "page_title": "Sufficiency statement", "years": years[::-1],
        "modes": ["publish", "internal"] if can(request.user, "statement_internal") else ["publish"],
        "formats": list(FORMATS),
    })


@requires("statement")
def statement_download(request: HttpRequest, year: int, mode: str, fmt: str) -> HttpResponse:
    """Render the statement with the library and send one of its files."""
    if fmt not in FORMATS or mode not in ("publish", "internal"):
        raise Http404
    if mode == "internal" and not can(request.user, "statement_internal"):
        raise PermissionDenied
    ds = bridge.dataset_or_none()
    if ds is None or year not in ds.returns:
        raise Http404
    from sufficiency.report import write_statement

    out = Path(tempfile.mkdtemp(prefix="sufficiency-statement-"))
    formats = ("html", "json") if fmt in ("html", "json") else (fmt, "json")
    write_statement(ds, year, out, mode=mode, formats=formats)
    path = out / f"statement.{fmt}"
    return FileResponse(path.open("rb"), as_attachment=fmt != "html", filename=f"sufficiency-statement-{year}-{mode}.{fmt}",
                        content_type=FORMATS[fmt])
