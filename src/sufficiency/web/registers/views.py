# mypy: allow-subclassing-any
"""Registers: list, create, edit (optimistic locking), import and export as CSV or XLSX.

Forms and imports are checked by the register declarations (``forms``, ``ingest.registers``);
exports are written by the one register codec, so an export imports back unchanged.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.registers import csv_text, load_register, text_frame, xlsx_bytes
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.registers.forms import form_class
from sufficiency.web.registers.models import EDITABLE_REGISTERS, Versioned
from sufficiency.web.registers.store import register_frame, replace_register

#: Most rows a register's page lists.
LIST_LIMIT = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _model(name: str) -> type[Versioned]:
    model = EDITABLE_REGISTERS.get(name)
    if model is None:
        raise Http404
    return model


def _may_edit(request: HttpRequest, name: str) -> bool:
    return can(request.user, "vacancies_edit" if name == "vacancies" else "registers_edit")


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


@requires("registers_view")
def index(request: HttpRequest) -> HttpResponse:
    rows = [
        [{"href": f"/registers/{name}/", "text": _title(name)}, model.objects.count()]
        for name, model in EDITABLE_REGISTERS.items()
    ]
    return render(
        request,
        "web/table.html",
        {"page_title": "Registers", "headers": ["Register", "Rows"], "rows": rows},
    )


@requires("registers_view")
def register_list(request: HttpRequest, name: str) -> HttpResponse:
    """The register's rows as its files show them (the codec's canonical text)."""
    model = _model(name)
    shown = model.objects.order_by("pk")[:LIST_LIMIT]
    pks = list(shown.values_list("pk", flat=True))
    text = text_frame(name, register_frame(name, model.objects.filter(pk__in=pks)))
    editable = _may_edit(request, name)
    rows = []
    for pk, values in zip(pks, text.select(model.columns).iter_rows(), strict=True):
        cells: list[Any] = ["" if v is None else v for v in values]
        if editable:
            cells[0] = {"href": f"/registers/{name}/{pk}/edit/", "text": cells[0]}
        rows.append(cells)
    actions = [
        {"href": f"/registers/{name}/export.csv", "text": "Export CSV"},
        {"href": f"/registers/{name}/export.xlsx", "text": "Export XLSX"},
    ]
    if editable:
        actions = [
            {"href": f"/registers/{name}/new/", "text": "Add"},
            {"href": f"/registers/{name}/import/", "text": "Import CSV or XLSX"},
            *actions,
        ]
    return render(
        request,
        "web/table.html",
        {
            "page_title": _title(name),
            "headers": [c.replace("_", " ") for c in model.columns],
            "rows": rows,
            "actions": actions,
        },
    )


def _check_edit(request: HttpRequest, name: str) -> type[Versioned]:
    model = _model(name)
    if not _may_edit(request, name):
        raise PermissionDenied
    return model


@requires("register_edit_any")
def register_new(request: HttpRequest, name: str) -> HttpResponse:
    model = _check_edit(request, name)
    form = form_class(name)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.apply(model()).save()
        messages.success(request, "Saved.")
        return redirect(f"/registers/{name}/")
    return render(request, "web/form.html", {"page_title": f"Add to {name}", "form": form})


@requires("register_edit_any")
def register_edit(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Edit a row; if someone else saved it since this form was opened, nothing is overwritten."""
    model = _check_edit(request, name)
    obj = get_object_or_404(model, pk=pk)
    cls = form_class(name)
    if request.method == "POST":
        form = cls(request.POST, instance=obj)
        if form.is_valid():
            read_version = form.cleaned_data.get("read_version") or obj.version
            if form.apply(obj).save_versioned(read_version):
                messages.success(request, "Saved.")
                return redirect(f"/registers/{name}/")
            messages.error(
                request,
                "Someone else changed this record while you were editing it. "
                "Your changes were not saved: reload it to see their version.",
            )
            status = 409
        else:
            status = 400
        return render(
            request, "web/form.html", {"page_title": f"Edit {obj}", "form": form}, status=status
        )
    form = cls(instance=obj)
    return render(request, "web/form.html", {"page_title": f"Edit {obj}", "form": form})


class ImportForm(forms.Form):
    file = forms.FileField(label="Register file (CSV or XLSX)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", "Check and import"))


def _where(p: Problem) -> str:
    """A problem's place as a person reads it: file, row, column."""
    row = f" row {p.row}" if p.row is not None else ""
    column = f" {p.column}" if p.column else ""
    return f"{p.file}{row}{column}"


@requires("register_edit_any")
def register_import(request: HttpRequest, name: str) -> HttpResponse:
    """Replace a register from a file, checked by its declaration; lands whole or not at all."""
    _check_edit(request, name)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            form.add_error("file", "Choose a CSV or XLSX file.")
            return render(
                request, "web/form.html", {"page_title": f"Import {name}", "form": form}, status=400
            )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{name}{suffix}"
            path.write_bytes(upload.read())
            frame, problems = load_register(path, Path(upload.name).name)
        if name == "vacancies" and frame is not None:  # places never below their allocations
            from sufficiency.web.matching.services import allocation_problems

            problems += allocation_problems(frame, Path(upload.name).name)
        errors = [p for p in problems if p.severity == "error"]
        if frame is None or errors:
            detail = "; ".join(f"{_where(p)}: {p.message}" for p in errors) or "the file is blank"
            messages.error(request, f"Nothing was imported: {detail}")
            return render(
                request, "web/form.html", {"page_title": f"Import {name}", "form": form}, status=400
            )
        with transaction.atomic():
            count = replace_register(name, frame)
        messages.success(request, f"Imported {count} rows.")
        return redirect(f"/registers/{name}/")
    return render(request, "web/form.html", {"page_title": f"Import {name}", "form": form})


@requires("registers_view")
def register_export(request: HttpRequest, name: str, fmt: str = "csv") -> HttpResponse:
    """The register as a file the import (and ``sufficiency`` itself) reads back unchanged."""
    _model(name)
    frame = register_frame(name)
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(name, frame), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_text(name, frame), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    from sufficiency.web.audited import record_download

    record_download(request, _model(name), f"{name} register export ({fmt})", rows=frame.height)
    return response
