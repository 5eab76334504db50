# mypy: allow-subclassing-any
"""Register imports in the web: check a file, show its named problems and what would change,
and import it only when its uploader confirms (``registers.imports`` does the work).

An error (wrong file type, empty or header-only file, a value the declaration refuses) is shown
beside the form and nothing is staged; a confirmed import lands in one transaction, or not at
all if the register changed after the file was checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.web.accounts.roles import post_only, requires
from sufficiency.web.registers import imports
from sufficiency.web.registers.access import editable_model, title
from sufficiency.web.registers.models import StagedImport

#: The largest register file the web reads (a register is thousands of rows, not millions).
MAX_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Register file (CSV or XLSX)",
        allow_empty_file=True,  # an empty file is refused by the register checks, by name
        error_messages={"required": "Choose a CSV or XLSX file"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", "Check the file"))


def _problems(found: list[Any]) -> list[dict[str, Any]]:
    return [p.to_json() for p in found]


def short_name(name: str, limit: int = 200) -> str:
    """The upload's name as kept (at most ``limit`` characters): a longer one loses characters
    before its type, never the type (``.csv``) it is read by."""
    name = name.rsplit("/", 1)[-1]
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix[:10]
    return name[: limit - len(suffix) - 1] + "…" + suffix


@requires("register_edit_any")
def register_import(request: HttpRequest, name: str) -> HttpResponse:
    """Check a file for register ``name``; stage it for confirmation when it has no errors."""
    editable_model(request, name)
    form = ImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"page_title": f"Import the {title(name).lower()} register", "name": name}
    if request.method != "POST":
        return render(request, "web/register_import.html", {**ctx, "form": form})
    if not form.is_valid():
        return render(request, "web/register_import.html", {**ctx, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    file_name = short_name(str(upload.name))
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        form.add_error("file", f"{file_name} is larger than {MAX_BYTES // 1024 // 1024} MB")
        return render(request, "web/register_import.html", {**ctx, "form": form}, status=400)
    frame, found = imports.check_file(name, file_name, content)
    if frame is None:
        errors = [p for p in found if p.severity == "error"]
        form.add_error(
            "file",
            f"{file_name} was not imported: {len(errors)} error{'s' if len(errors) != 1 else ''}, nothing was changed",
        )
        problems = _problems(found)
        return render(
            request,
            "web/register_import.html",
            {
                **ctx,
                "form": form,
                "problems": problems,
                "errors": [p for p in problems if p["severity"] == "error"],
            },
            status=400,
        )
    plan = imports.plan_import(name, frame)
    rows = imports.row_changes(plan)
    StagedImport.objects.filter(created_by=request.user, register=name).delete()
    staged = StagedImport.objects.create(
        created_by=request.user,
        register=name,
        file_name=file_name,
        content=content,
        # the counts, each row the import changes and the web edits it would undo
        summary={
            **plan.counts(),
            "rows": rows[:REVIEW_ROWS],
            "edited": imports.edited_since_import(plan, rows),
        },
        problems=_problems(found),
        basis=imports.basis(name),
    )
    return redirect(f"/registers/{name}/import/{staged.pk}/")


#: The changed rows a review lists, with their values (the counts cover every row).
REVIEW_ROWS = 500
#: The confirmation an import needs when it would undo changes made in the web since the
#: register was last imported (the review's checkbox).
OVERWRITE = "overwrite_web_changes"


def _staged(request: HttpRequest, name: str, pk: int) -> StagedImport:
    editable_model(request, name)
    staged: StagedImport = get_object_or_404(
        StagedImport, pk=pk, register=name, created_by=request.user
    )
    return staged


@requires("register_edit_any")
def import_review(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """What the staged file would change, its warnings, and the buttons to confirm or cancel."""
    return _review(request, name, _staged(request, name, pk))


def _review(
    request: HttpRequest, name: str, staged: StagedImport, error: str = "", status: int = 200
) -> HttpResponse:
    """The review page of ``staged`` (``error``: why it was not imported yet)."""
    summary = staged.summary
    return render(
        request,
        "web/register_import_review.html",
        {
            "page_title": f"Check the {title(name).lower()} import",
            "title": title(name),
            "staged": staged,
            "change": imports.change_text(name, summary),
            "problems": staged.problems,
            "rows": summary.get("rows", []),
            "more_rows": summary.get("changed", 0)
            + summary.get("retired", 0)
            - len(summary.get("rows", [])),
            "edited": summary.get("edited", []),
            "overwrite": OVERWRITE,
            "error": error,
        },
        status=status,
    )


#: Why an import that would undo web changes was not made without the confirmation.
UNCONFIRMED = (
    "Nothing was imported: the file would undo changes made in the web since this register was "
    "last imported (listed below). Tick the box to confirm you mean to overwrite them, or cancel "
    "and export the register again to start from its current rows."
)


@requires("register_edit_any")
@post_only
def import_confirm(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Import the staged file in one transaction, unless the register changed since the check.

    The staged file and the register's rows are locked first, so a second click on "Confirm"
    (or another request changing the register) waits and then finds the file already imported,
    never importing it twice or over a change it was not checked against."""
    editable_model(request, name)
    try:
        with transaction.atomic():
            staged = (
                StagedImport.objects.select_for_update()
                .filter(pk=pk, register=name, created_by=request.user)
                .first()
            )
            if staged is None:
                if StagedImport.objects.filter(pk=pk).exists():
                    raise Http404  # someone else's: not theirs to confirm
                messages.info(request, ALREADY_DONE)
                return redirect(f"/registers/{name}/")
            if staged.summary.get("edited") and request.POST.get(OVERWRITE) != "yes":
                return _review(request, name, staged, UNCONFIRMED, status=400)
            imports.lock(name)
            done = _confirm_locked(request, name, staged)
    except IntegrityError:  # a row with the file's key was added by someone else meanwhile
        messages.error(
            request,
            f"The {title(name).lower()} register changed while the file was being imported, so "
            "nothing was imported: check the file again.",
        )
        return redirect(f"/registers/{name}/import/")
    return done


#: What a second confirmation of the same import (a double click) is told.
ALREADY_DONE = "This import was already confirmed or cancelled: nothing more was changed."


def _confirm_locked(request: HttpRequest, name: str, staged: StagedImport) -> HttpResponse:
    """The import of ``staged`` with it and the register locked (``import_confirm``)."""
    if staged.basis != imports.basis(name):
        staged.delete()
        messages.error(
            request,
            f"The {title(name).lower()} register changed after {staged.file_name} was checked, "
            "so nothing was imported: check the file again.",
        )
        return redirect(f"/registers/{name}/import/")
    frame, _ = imports.check_file(name, staged.file_name, bytes(staged.content))
    if frame is None:  # the same file, checked again against allocations made since
        staged.delete()
        messages.error(request, f"{staged.file_name} no longer passes its checks: check it again.")
        return redirect(f"/registers/{name}/import/")
    counts = imports.apply_plan(
        imports.plan_import(name, frame), staged.file_name, request.user, request
    )
    staged.delete()
    messages.success(request, f"Imported {staged.file_name}: {imports.change_text(name, counts)}.")
    return redirect(f"/registers/{name}/")


@requires("register_edit_any")
@post_only
def import_cancel(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Drop the staged file: the register is unchanged."""
    staged = _staged(request, name, pk)
    staged.delete()
    messages.info(request, f"{staged.file_name} was not imported: nothing changed.")
    return redirect(f"/registers/{name}/")
