# mypy: allow-subclassing-any
"""Registers: list, create, edit (optimistic locking), import and export as CSV."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.web import bridge
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.registers.models import EDITABLE_REGISTERS, Versioned


def _model(name: str) -> type[Versioned]:
    model = EDITABLE_REGISTERS.get(name)
    if model is None:
        raise Http404
    return model


def _may_edit(request: HttpRequest, name: str) -> bool:
    return can(request.user, "vacancies_edit" if name == "vacancies" else "registers_edit")


class _RegisterFormBase(forms.ModelForm):
    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save"))

    def clean(self) -> dict[str, Any]:
        """Check the row with the library's register rules (the same ones file imports use)."""
        data: dict[str, Any] = super().clean() or {}
        model = self._meta.model
        if "age_min" in data and "age_max" in data:
            lo, hi = data.get("age_min"), data.get("age_max")
            if lo is not None and hi is not None and lo > hi:
                self.add_error(
                    "age_max", f"Enter an age of {lo} or more: it cannot be below the lowest age."
                )
        if self.errors:
            return data
        for problem in check_register_row(model.register, {c: data.get(c) for c in model.columns}):
            field = problem.column if problem.column in self.fields else None
            self.add_error(field, problem.message)
        return data


def check_register_row(register: str, row: dict[str, Any]) -> list[Any]:
    """Errors the library's register loader finds in one row (written as a one-row CSV)."""
    import csv

    from sufficiency.ingest.registers import load_registers

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{register}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(list(row))
            writer.writerow([bridge.fmt_iso(v) for v in row.values()])
        _, problems = load_registers(Path(tmp))
    return [p for p in problems if p.severity == "error"]


def _form_class(model: type[Versioned]) -> Any:
    """A model form for a register with GOV.UK inputs; placement types chosen from the list."""
    from sufficiency.codes import PLACEMENT_TYPE_TITLES
    from sufficiency.web.widgets import date_input, number_input

    widgets: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        kind = f.get_internal_type()
        if kind == "DateField":
            widgets[f.name] = date_input()
        elif kind in (
            "PositiveSmallIntegerField",
            "PositiveIntegerField",
            "SmallIntegerField",
            "IntegerField",
        ):
            widgets[f.name] = number_input(4)
        elif kind in ("DecimalField", "FloatField"):
            widgets[f.name] = number_input(10)
        elif f.name == "placement_type":
            widgets[f.name] = forms.Select(
                choices=[("", "Choose a placement type"), *PLACEMENT_TYPE_TITLES.items()]
            )
    return forms.modelform_factory(
        model, form=_RegisterFormBase, fields=list(model.columns), widgets=widgets
    )


@requires("registers_view")
def index(request: HttpRequest) -> HttpResponse:
    rows = [
        [
            {"href": f"/registers/{name}/", "text": name.replace("_", " ").capitalize()},
            model.objects.count(),
        ]
        for name, model in EDITABLE_REGISTERS.items()
    ]
    return render(
        request,
        "web/table.html",
        {"page_title": "Registers", "headers": ["Register", "Rows"], "rows": rows},
    )


@requires("registers_view")
def register_list(request: HttpRequest, name: str) -> HttpResponse:
    model = _model(name)
    cols = list(model.columns)
    rows = []
    for obj in model.objects.all()[:1000]:
        cells: list[Any] = [getattr(obj, c) if getattr(obj, c) is not None else "" for c in cols]
        if _may_edit(request, name):
            cells[0] = {"href": f"/registers/{name}/{obj.pk}/edit/", "text": cells[0]}
        rows.append(cells)
    actions = [{"href": f"/registers/{name}/export.csv", "text": "Export CSV"}]
    if _may_edit(request, name):
        actions = [
            {"href": f"/registers/{name}/new/", "text": "Add"},
            {"href": f"/registers/{name}/import/", "text": "Import CSV"},
            *actions,
        ]
    return render(
        request,
        "web/table.html",
        {
            "page_title": name.replace("_", " ").capitalize(),
            "headers": [c.replace("_", " ") for c in cols],
            "rows": rows,
            "actions": actions,
        },
    )


def _check_edit(request: HttpRequest, name: str) -> type[Versioned]:
    from django.core.exceptions import PermissionDenied

    model = _model(name)
    if not _may_edit(request, name):
        raise PermissionDenied
    return model


@requires("register_edit_any")
def register_new(request: HttpRequest, name: str) -> HttpResponse:
    model = _check_edit(request, name)
    form = _form_class(model)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect(f"/registers/{name}/")
    return render(request, "web/form.html", {"page_title": f"Add to {name}", "form": form})


@requires("register_edit_any")
def register_edit(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Edit a row; if someone else saved it since this form was opened, nothing is overwritten."""
    model = _check_edit(request, name)
    obj = get_object_or_404(model, pk=pk)
    form_cls = _form_class(model)
    if request.method == "POST":
        form = form_cls(request.POST, instance=obj)
        if form.is_valid():
            read_version = form.cleaned_data.get("read_version") or obj.version
            edited = form.save(commit=False)
            if edited.save_versioned(read_version):
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
    form = form_cls(instance=obj, initial={"read_version": obj.version})
    return render(request, "web/form.html", {"page_title": f"Edit {obj}", "form": form})


class ImportForm(forms.Form):
    file = forms.FileField(label="Register file (CSV or XLSX)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", "Check and import"))


@requires("register_edit_any")
def register_import(request: HttpRequest, name: str) -> HttpResponse:
    """Replace a register from a file, validated by the library; lands whole or not at all."""
    _check_edit(request, name)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower() or ".csv"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{name}{suffix}"
            path.write_bytes(upload.read())
            try:
                bridge.import_registers(Path(tmp))
            except ValueError as exc:
                messages.error(request, f"Nothing was imported: {exc}")
                return render(
                    request,
                    "web/form.html",
                    {"page_title": f"Import {name}", "form": form},
                    status=400,
                )
        messages.success(request, "Imported.")
        return redirect(f"/registers/{name}/")
    return render(request, "web/form.html", {"page_title": f"Import {name}", "form": form})


@requires("registers_view")
def register_export(request: HttpRequest, name: str) -> HttpResponse:
    model = _model(name)
    from sufficiency.web.exports import csv_response

    return csv_response(
        f"{name}.csv",
        model.columns,
        (
            ["" if v is None else (str(v).lower() if isinstance(v, bool) else v) for v in values]
            for values in model.objects.order_by("pk").values_list(*model.columns)
        ),
    )
