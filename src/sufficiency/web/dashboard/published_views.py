"""Publishing the statement and its published versions: a confirmation page that says what will
be published, the publish itself (``published.publish``; the files built in the background as
the statement page's downloads are), the list of versions and each version's stored files.

A version is never rebuilt, changed or deleted here: its files are sent as they were stored.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.disclosure.audit import DisclosureError
from sufficiency.report.placeholders import PlaceholdersRemain
from sufficiency.report.sign_off import SignOffError
from sufficiency.web.accounts.roles import requires
from sufficiency.web.dashboard import published
from sufficiency.web.dashboard.models import PublishedFile, PublishedStatement
from sufficiency.web.dashboard.statement_views import (
    FORMAT_TITLES,
    FORMATS,
    WAITING,
    WHERE_TO_WRITE,
    generate,
    statement_folder,
)
from sufficiency.web.data.models import ReturnYear
from sufficiency.web.exports import attachment

log = logging.getLogger("sufficiency.web.disclosure")
#: Where the list of published versions is.
LIST = "/statement/published/"
CHANGED = (
    "The data or the narrative changed since this page was opened, so the statement it "
    "described is no longer the one that would be published. Check it below and confirm again."
)
REFUSED_BY_AUDIT = (
    "This statement cannot be published: the disclosure audit found suppressed figures a "
    "reader could work out. The council's analysts have been told."
)
CHANGED_FILE = (
    "This file no longer matches the fingerprint (SHA-256) recorded when it was published, so it "
    "is not sent. The council's administrators have been told."
)


def _refusal(exc: Exception, year: int) -> str:
    """Why the statement cannot be built for publishing (nothing was written)."""
    log.error("statement %s publish refused: %s", year, exc)
    if isinstance(exc, DisclosureError):
        return REFUSED_BY_AUDIT
    return f"This statement cannot be published yet: {exc}. {WHERE_TO_WRITE}"


def _ready(year: int, wait: float | None) -> Path | None:
    """The folder of the current data's publish-mode statement when every file is built; else
    the background build is started (or joined) and waited for ``wait`` seconds (None: as long
    as a request may, ``STATEMENT_WAIT_SECONDS``)."""
    folder = statement_folder(year, "publish")
    if all((folder / f"statement.{fmt}").exists() for fmt in FORMATS):
        return folder
    return generate(year, "publish", "pdf", wait=wait)


def _confirm(
    request: HttpRequest, year: int, problem: str = "", status: int = 200, ready: bool = False
) -> HttpResponse:
    """The confirmation page: what will be published, or why it cannot be."""
    latest = PublishedStatement.objects.filter(year=year).order_by("-number").first()
    context: dict[str, Any] = {
        "page_title": f"Publish the {year} statement",
        "year": year,
        "problem": problem,
        "formats": [FORMAT_TITLES[f] for f in FORMATS],
        "data_version": statement_folder(year, "publish").parent.name,
        "number": published.next_number(year),
        "latest": latest,
        "ready": ready,
    }
    try:
        context["approval"] = published.approval()
    except published.NotApproved as exc:
        context["problem"] = problem or str(exc)
    return render(request, "web/statement_published_confirm.html", context, status=status)


def _waiting(request: HttpRequest, year: int) -> HttpResponse:
    response = render(
        request,
        "web/statement_published_wait.html",
        {"page_title": "Preparing the statement for publishing", "year": year},
        status=202,
    )
    response["Refresh"] = f"5; url={request.path}?{WAITING}=1"
    return response


@requires("statement_publish")
def statement_publish(request: HttpRequest, year: int) -> HttpResponse:
    """GET: what will be published (the year, the approval, the data version, the files) with a
    button to publish it. POST: build the publish-mode files if need be (in the background: a
    page that asks again while they are prepared) and keep them as the year's next version."""
    if not ReturnYear.objects.filter(year=year).exists():
        raise Http404
    if request.method != "POST":
        if not request.GET.get(WAITING):
            return _confirm(request, year)
        try:  # the waiting page's own refresh: the files a publish asked for
            folder = _ready(year, wait=0)
        except (DisclosureError, SignOffError, PlaceholdersRemain) as exc:
            return _confirm(request, year, _refusal(exc, year), status=409)
        return _waiting(request, year) if folder is None else _confirm(request, year, ready=True)
    try:
        approved = published.approval()
    except published.NotApproved as exc:
        return _confirm(request, year, str(exc), status=409)
    expected = request.POST.get("data_version", "")
    if expected != statement_folder(year, "publish").parent.name:
        return _confirm(request, year, CHANGED, status=409)
    try:
        folder = _ready(year, wait=None)
    except (DisclosureError, SignOffError, PlaceholdersRemain) as exc:
        return _confirm(request, year, _refusal(exc, year), status=409)
    if folder is None:
        return _waiting(request, year)
    if folder.parent.name != expected:  # the data changed while the files were prepared
        return _confirm(request, year, CHANGED, status=409)
    version = published.publish(year, folder, list(FORMATS), approved, request)
    messages.success(
        request, f"Version {version.number} of the {year} statement is published and kept."
    )
    return redirect(LIST)


@requires("statement")
def published_list(request: HttpRequest) -> HttpResponse:
    """Every published version, newest first, a page at a time, each file downloadable."""
    page = Paginator(published.versions(), settings.LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(v, [(f, FORMAT_TITLES[f.format]) for f in v.files.all()]) for v in page]
    return render(
        request,
        "web/statement_published.html",
        {"page_title": "Published statements", "page": page, "rows": rows},
    )


@requires("statement")
def published_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """One file of a published version, its bytes as stored when it was published; audited."""
    from sufficiency.web.audited import record_download

    version = get_object_or_404(PublishedStatement, pk=pk)
    if fmt not in FORMATS:
        raise Http404
    try:
        found, content = published.stored_file(version, fmt)
    except PublishedFile.DoesNotExist:
        raise Http404 from None
    except published.ChangedFile as exc:
        log.error("published statement refused: %s", exc)
        return HttpResponse(CHANGED_FILE, status=500, content_type="text/plain; charset=utf-8")
    record_download(
        request,
        PublishedStatement,
        f"published {version} ({fmt})",
        year=version.year,
        version=version.number,
        sha256=found.sha256,
    )
    name = f"sufficiency-statement-{version.year}-version-{version.number}.{fmt}"
    return attachment(content, FORMATS[fmt], name)
