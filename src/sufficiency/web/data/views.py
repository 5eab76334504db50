"""Returns: list loaded years; upload a return (checked by the library against every loaded
return, shown, and loaded only on confirmation); delete and restore versions. Child records are
in ``children_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.web import listing
from sufficiency.web.accounts.roles import post_only, requires
from sufficiency.web.data import returns as versions
from sufficiency.web.data.forms import UploadReturnForm
from sufficiency.web.data.models import (
    CouncilProfile,
    ReturnArchive,
    ReturnYear,
    StagedUpload,
)


def _returns_page(
    request: HttpRequest, form: UploadReturnForm, checked: versions.Check | None = None
) -> HttpResponse:
    """The returns page; the earlier versions kept a page at a time (filtered by return)."""
    kept = ReturnArchive.objects.order_by("-year").values_list("year", flat=True).distinct()
    filters = (
        listing.Filter(
            "year",
            "Return",
            tuple((str(y), f"{versions.label(y)} return") for y in kept),
            "Every return",
        ),
    )
    values = listing.read(request, filters)
    archives = ReturnArchive.objects.select_related("loaded_by", "archived_by").defer("files")
    if values["year"]:
        archives = archives.filter(year=int(values["year"]))
    return render(
        request,
        "web/returns.html",
        {
            "page_title": "Returns",
            "form": form,
            "years": ReturnYear.objects.select_related("uploaded_by"),
            **listing.context(request, archives, filters, values),
            "checked": checked,
            "problems": checked.problems if checked else [],
            "has_profile": CouncilProfile.objects.exists(),
        },
    )


def _not_loaded(request: HttpRequest, checked: versions.Check) -> None:
    what = f"The {versions.label(checked.year)} return was" if checked.year else "The files were"
    messages.error(
        request, f"{what} not loaded: {_count(checked.problems, 'error')}. Nothing was saved."
    )


@requires("upload")
def returns(request: HttpRequest) -> HttpResponse:
    """Loaded returns, earlier versions and the upload form. An upload is checked and shown for
    confirmation; one with errors shows every problem and keeps nothing."""
    form = UploadReturnForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _returns_page(request, form)
    if not CouncilProfile.objects.exists():
        messages.error(
            request, "Set the council profile first: returns are checked against its council code."
        )
        return _returns_page(request, form)
    if not form.is_valid():
        return _returns_page(request, form)
    files = {f.name: f.read() for f in form.cleaned_data["files"]}
    checked, staged = versions.stage(files, request.user, form.cleaned_data["year"])
    if staged is None:
        _not_loaded(request, checked)
        return _returns_page(request, form, checked)
    return redirect(f"/data/upload/{staged.pk}/")


def _count(problems: list[Any], severity: str) -> str:
    n = sum(1 for p in problems if p.severity == severity)
    return f"{n} {severity}{'' if n == 1 else 's'}"


def _staged(request: HttpRequest, pk: int) -> StagedUpload:
    """The user's own staged upload (another user's, or one already loaded, is not found)."""
    staged: StagedUpload = get_object_or_404(
        StagedUpload.objects.defer("files"), pk=pk, created_by=request.user
    )
    return staged


def _confirm_page(
    request: HttpRequest, staged: StagedUpload, checked: versions.Check, notice: str = ""
) -> HttpResponse:
    return render(
        request,
        "web/return_confirm.html",
        {
            "page_title": f"Check the {versions.label(staged.year)} return before loading it",
            "staged": staged,
            "checked": checked,
            "problems": checked.problems,
            "label": versions.label(staged.year),
            "notice": notice,
        },
    )


@requires("upload")
def upload_review(request: HttpRequest, pk: int) -> HttpResponse:
    """What the checked files are, what loading them would change, and their warnings."""
    staged = _staged(request, pk)
    return _confirm_page(request, staged, versions.staged_check(staged))


#: What a second confirmation of the same upload (a double click) is told.
ALREADY_LOADED = "These files were already loaded or discarded: nothing more was changed."


@requires("upload")
@post_only
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Load the staged files (one transaction; the replaced version is archived). The staged
    upload is locked first, so a second click on "Confirm" waits for the first and is then told
    the files were loaded, instead of checking and staging them again."""
    try:
        with transaction.atomic():
            staged = (
                StagedUpload.objects.select_for_update().filter(pk=pk, created_by=request.user)
            ).first()
            if staged is None:
                if StagedUpload.objects.filter(pk=pk).exists():
                    raise Http404  # someone else's
                messages.info(request, ALREADY_LOADED)
                return redirect("/data/")
            label = versions.label(staged.year)
            done = versions.confirm(staged, request.user)
    except versions.UploadError as exc:
        messages.error(request, str(exc))
        return redirect(f"/data/upload/{pk}/")
    if isinstance(done, versions.Check):
        if not done.ok:
            _not_loaded(request, done)
            return _returns_page(request, UploadReturnForm(), done)
        return _confirm_page(
            request,
            staged,
            done,
            notice="The loaded returns changed since these files were checked, so they were "
            "checked again: read what would change now, then confirm again.",
        )
    warnings = f", {done.warnings} warning{'' if done.warnings == 1 else 's'}"
    kept = (
        " The version it replaced is kept under Earlier versions."
        if ReturnArchive.objects.filter(year=done.year).exists()
        else ""
    )
    messages.success(
        request,
        f"The {label} return was loaded: {done.episodes:,} episodes, {done.children:,} "
        f"children{warnings}.{kept}",
    )
    return redirect("/data/")


@requires("upload")
@post_only
def upload_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard staged files: nothing was loaded."""
    staged = _staged(request, pk)
    label = versions.label(staged.year)
    staged.delete()
    messages.success(request, f"The {label} files were discarded: nothing was loaded.")
    return redirect("/data/")


@requires("upload")
@post_only
def delete_year(request: HttpRequest, year: int) -> HttpResponse:
    """Delete a loaded return; it is archived and can be restored."""
    if versions.delete_return_if_loaded(year, request.user) is not None:
        messages.success(
            request,
            f"The {versions.label(year)} return was deleted. It is kept under Earlier versions "
            "and can be restored.",
        )
    return redirect("/data/")


@requires("upload")
@post_only
def restore_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Check an earlier version as an upload; it is loaded once confirmed."""
    archive = get_object_or_404(ReturnArchive, pk=pk)
    checked, staged = versions.restore(archive, request.user)
    if staged is None:
        _not_loaded(request, checked)
        return _returns_page(request, UploadReturnForm(), checked)
    return redirect(f"/data/upload/{staged.pk}/")


#: What the second of two people saving the profile at once is told (nothing of theirs is saved).
PROFILE_SAVED_ELSEWHERE = (
    "Someone else saved the council profile while you were editing it. Your changes were not "
    "saved: copy them, reload the page and make them again."
)


@requires("upload")
def profile(request: HttpRequest) -> HttpResponse:
    """The council's profile (la.toml): checked by the library's profile loader before saving,
    and never saved over a profile someone else saved since the page was read (``read``: the
    profile row it showed; every save makes a new row)."""
    current = CouncilProfile.objects.order_by("-updated_at").first()
    read = str(current.pk) if current else ""
    text = (
        request.POST.get("toml", current.toml if current else "")
        if request.method == "POST"
        else (current.toml if current else "")
    )
    problems: list[Any] = []
    status = 200
    if request.method == "POST":
        read = request.POST.get("read", "")
        problems = profile_problems(text)
        errors = [p for p in problems if p.severity == "error"]
        status = 400 if errors else 200
        if not errors:  # a warning (no neighbours listed) is said, and the profile saved
            with transaction.atomic():
                versions.lock_returns()  # the profile's rows: one save at a time
                now = CouncilProfile.objects.order_by("-updated_at").first()
                if read == (str(now.pk) if now else ""):
                    CouncilProfile.objects.all().delete()
                    CouncilProfile.objects.create(toml=text)
                    messages.success(request, "The council profile was saved.")
                    for p in problems:
                        messages.warning(request, p.message)
                    return redirect("/data/profile/")
            messages.error(request, PROFILE_SAVED_ELSEWHERE)
            status = 409
    return render(
        request,
        "web/profile.html",
        {
            "page_title": "Council profile",
            "text": text,
            "read": read,
            "problems": problems,
            "missing": current is None,
        },
        status=status,
    )


def profile_problems(text: str) -> list[Any]:
    """What the library's la.toml loader says about ``text`` (empty when it is a valid profile)."""
    import tempfile
    from pathlib import Path

    from sufficiency.ingest.profile_file import load_profile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "la.toml"
        path.write_text(text, encoding="utf-8")
        _, problems = load_profile(path)
    return problems
