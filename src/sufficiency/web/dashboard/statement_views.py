"""Statement: generate and download the sufficiency statement (HTML, PDF, XLSX, JSON) for a year.

The files are the library's own (``report.build.build_statement`` + ``report.output.write_statement``,
what ``sufficiency statement`` writes). They are generated once per data revision, year and mode
into the state folder and then served from there.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.disclosure.audit import DisclosureError
from sufficiency.report.placeholders import PlaceholdersRemain
from sufficiency.web import bridge
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.data.models import ReturnYear

FORMATS = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMAT_TITLES = {
    "html": "Web page (HTML)",
    "pdf": "PDF",
    "xlsx": "Workbook (XLSX)",
    "json": "Data (JSON)",
}
_lock = threading.Lock()
log = logging.getLogger("sufficiency.web.disclosure")


def statement_folder(year: int, mode: str) -> Path:
    """Where the statement files of the current data for ``year`` and ``mode`` live."""
    key = hashlib.sha256(bridge.revision().encode()).hexdigest()[:16]
    return Path(settings.STATE_DIR) / "statements" / key / f"{year}-{mode}"


def generate(year: int, mode: str, fmt: str = "pdf") -> Path:
    """Write the statement files for the current data (once per revision; the PDF, the slow one,
    only when it is asked for); returns the folder."""
    folder = statement_folder(year, mode)
    with _lock:
        if (folder / f"statement.{fmt}").exists():
            return folder
        ds = bridge.current_dataset().dataset
        if ds is None or year not in ds.returns:
            raise Http404
        from sufficiency.report.build import build_statement
        from sufficiency.report.output import write_statement

        data = build_statement(ds, year, "internal" if mode == "internal" else "publish")
        write_statement(data, folder, pdf=fmt == "pdf")
    return folder


@requires("statement")
def statement_page(request: HttpRequest) -> HttpResponse:
    """Years with a return, and the downloads the user's role may have."""
    ds = bridge.dataset_or_none()
    years = sorted(ds.returns, reverse=True) if ds else []
    modes = ["publish", "internal"] if can(request.user, "statement_internal") else ["publish"]
    return render(
        request,
        "web/statement.html",
        {
            "page_title": "Sufficiency statement",
            "years": years,
            "modes": modes,
            "formats": list(FORMATS.items()),
            "format_titles": FORMAT_TITLES,
        },
    )


@requires("statement")
def statement_download(request: HttpRequest, year: int, mode: str, fmt: str) -> HttpResponse:
    """Send one of the statement's files (generated on first request for this data)."""
    if fmt not in FORMATS or mode not in ("publish", "internal"):
        raise Http404
    if mode == "internal" and not can(request.user, "statement_internal"):
        raise PermissionDenied
    if not ReturnYear.objects.filter(year=year).exists():
        raise Http404
    try:
        path = generate(year, mode, fmt) / f"statement.{fmt}"
    except DisclosureError as exc:  # the audit refused it: nothing was written
        log.error("statement %s %s refused by the disclosure audit: %s", year, mode, exc)
        return HttpResponse(
            "This statement cannot be published: the disclosure audit found suppressed "
            "figures a reader could work out. The council's analysts have been told.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    except PlaceholdersRemain as exc:  # sections still need the council's data: nothing written
        log.error("statement %s %s refused: %s", year, mode, exc)
        return HttpResponse(
            f"This statement cannot be published yet: {exc}",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    from sufficiency.web.audited import record_download

    record_download(request, ReturnYear, f"statement {year} {mode} ({fmt})", mode=mode, year=year)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"sufficiency-statement-{year}-{mode}.{fmt}",
        content_type=FORMATS[fmt],
    )
