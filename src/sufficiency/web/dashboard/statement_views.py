"""Statement: generate and download the sufficiency statement (HTML, PDF, XLSX, JSON) for a year.

The files are the library's own (``report.build.build_statement`` + ``report.output.write_statement``,
what ``sufficiency statement`` writes). They are generated once per data revision, year and mode
into the state folder by a background worker (``statement_jobs``) and then served from there:
no request waits on another's statement.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.disclosure.audit import DisclosureError
from sufficiency.report.placeholders import PlaceholdersRemain
from sufficiency.report.sign_off import SignOffError
from sufficiency.web import bridge, rendered
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.dashboard import statement_jobs
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
log = logging.getLogger("sufficiency.web.disclosure")
#: Where a web user writes the narrative and sign-off files a refusal names.
WHERE_TO_WRITE = (
    "In the workspace, the council's analysts, commissioners and administrators write the "
    "narrative and the sign-off under 'Narrative and sign-off' on the statement page."
)


#: The query parameter of the 'ready' page's link: which data version's files it prepared.
FILES = "files"
_FILES_KEY = re.compile(r"[0-9a-f]{16}")


def statement_folder(year: int, mode: str, key: str | None = None) -> Path:
    """Where the statement files for ``year`` and ``mode`` live: of the current data, or of the
    data version ``key`` (the folder's name, as the 'ready' page's link gives it)."""
    key = key or hashlib.sha256(bridge.revision().encode()).hexdigest()[:16]
    return Path(settings.STATE_DIR) / "statements" / key / f"{year}-{mode}"


def _prepared(request: HttpRequest, year: int, mode: str, fmt: str) -> Path | None:
    """The folder the 'ready' page's link names, if it holds the file: the person gets the file
    the page said was ready even if the data changed since (else a click could start a new
    build and the browser save the waiting page)."""
    key = request.GET.get(FILES, "")
    if not _FILES_KEY.fullmatch(key):
        return None
    folder = statement_folder(year, mode, key)
    return folder if (folder / f"statement.{fmt}").exists() else None


def generate(year: int, mode: str, fmt: str = "pdf", wait: float | None = None) -> Path | None:
    """The folder holding the statement file for the current data, built by the background
    worker (``statement_jobs``) if need be; None if it is not ready within ``wait`` seconds
    (default ``STATEMENT_WAIT_SECONDS``). Raises Http404 for a year without a return and
    DisclosureError when the audit refuses a publish-mode statement."""
    folder = statement_folder(year, mode)
    if (folder / f"statement.{fmt}").exists():
        return folder
    ds = bridge.current_dataset().dataset
    if ds is None or year not in ds.returns:
        raise Http404
    job = statement_jobs.submit(ds, folder, year, mode, fmt)
    limit = settings.STATEMENT_WAIT_SECONDS if wait is None else wait
    try:
        return job.result(timeout=limit)
    except TimeoutError:
        return None


#: The query flag of the waiting page's own refresh (a download needs a person's click).
WAITING = "waiting"


@requires("statement")
def statement_page(request: HttpRequest) -> HttpResponse:
    """Years with a return, and the downloads the user's role may have."""
    return rendered.page(request, "web/statement.html", lambda: _statement_context(request))


def _statement_context(request: HttpRequest) -> dict[str, object]:
    ds = bridge.dataset_or_none()
    years = sorted(ds.returns, reverse=True) if ds else []
    modes = ["publish", "internal"] if can(request.user, "statement_internal") else ["publish"]
    context: dict[str, object] = {
        "page_title": "Sufficiency statement",
        "years": years,
        "modes": modes,
        "formats": list(FORMATS.items()),
        "format_titles": FORMAT_TITLES,
    }
    if can(request.user, "narrative_edit"):
        context.update(narrative_context())
    return context


def narrative_context() -> dict[str, object]:
    """The statement page's "Narrative and sign-off" area: every section the council may write
    for, and the sign-off as its lines read now."""
    from sufficiency.web.data import narrative
    from sufficiency.web.data.narrative_forms import current_sign_off

    sections = narrative.sections()
    stored = next((s.row for s in sections if s.id == narrative.SIGN_OFF), None)
    sign_off = current_sign_off(stored.text if stored else "")
    return {
        "narrative": [s for s in sections if s.id != narrative.SIGN_OFF],
        "sign_off": sign_off,
        "sign_off_problem": narrative.sign_off_problem(stored.text) if stored else None,
    }


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
        folder = _prepared(request, year, mode, fmt) or generate(year, mode, fmt)
    except DisclosureError as exc:  # the audit refused it: nothing was written
        log.error("statement %s %s refused by the disclosure audit: %s", year, mode, exc)
        return HttpResponse(
            "This statement cannot be published: the disclosure audit found suppressed "
            "figures a reader could work out. The council's analysts have been told.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    except SignOffError as exc:  # the sign-off lines do not read: nothing written
        log.error("statement %s %s refused: %s", year, mode, exc)
        return HttpResponse(
            f"This statement cannot be built: {exc}. {WHERE_TO_WRITE}",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    except PlaceholdersRemain as exc:  # sections still need the council's data: nothing written
        log.error("statement %s %s refused: %s", year, mode, exc)
        return HttpResponse(
            f"This statement cannot be published yet: {exc}."
            + (f" {WHERE_TO_WRITE}" if "narrative/" in str(exc) else ""),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    context = {"year": year, "fmt": FORMAT_TITLES[fmt], "url": request.path}
    if folder is None:  # still being built: the page asks again by itself
        response = render(
            request,
            "web/statement_wait.html",
            {"page_title": "Preparing the statement", **context},
            status=202,
        )
        response["Refresh"] = f"5; url={request.path}?{WAITING}=1"
        return response
    if request.GET.get(WAITING):
        # the page's own refresh found it ready: browsers block a download nobody clicked for
        context["url"] = f"{request.path}?{FILES}={folder.parent.name}"
        return render(
            request, "web/statement_ready.html", {"page_title": "Statement ready", **context}
        )
    path = folder / f"statement.{fmt}"
    from sufficiency.web.audited import record_download

    record_download(request, ReturnYear, f"statement {year} {mode} ({fmt})", mode=mode, year=year)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"sufficiency-statement-{year}-{mode}.{fmt}",
        content_type=FORMATS[fmt],
    )
