# mypy: allow-subclassing-any
"""Registers: list (searched, paged), create, edit (optimistic locking, audited) and export as
CSV or XLSX; imports are staged in ``import_views``, retiring and history in ``row_views``.

Forms are checked by the register declarations (``forms``, ``ingest.registers``); exports are
written by the one register codec, so an export imports back unchanged.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, IntegerField, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.ingest.registers import csv_text, text_frame, xlsx_bytes
from sufficiency.web import rendered
from sufficiency.web.accounts.roles import requires
from sufficiency.web.exports import attachment
from sufficiency.web.registers.access import (
    editable_model,
    may_edit,
    may_view,
    model_or_404,
    title,
    viewable_model,
)
from sufficiency.web.registers.forms import form_class
from sufficiency.web.registers.models import EDITABLE_REGISTERS, Versioned
from sufficiency.web.registers.store import register_frame

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires("registers_view")
def index(request: HttpRequest) -> HttpResponse:
    rows = [
        [{"href": f"/registers/{name}/", "text": title(name)}, model.objects.count()]
        for name, model in EDITABLE_REGISTERS.items()
        if may_view(request, name)
    ]
    return render(
        request,
        "web/table.html",
        {"page_title": "Registers", "headers": ["Register", "Rows"], "rows": rows},
    )


#: Rows a register's page shows at a time.
PER_PAGE = 50


def search_rows(model: type[Versioned], q: str) -> QuerySet[Any]:
    """Rows in which any text column contains ``q`` (any case), or a number column equals it."""
    rows = model.objects.all()
    q = q.strip()
    if not q:
        return rows
    match = Q()
    for f in model._meta.concrete_fields:
        if f.name not in model.columns:
            continue
        if isinstance(f, CharField):
            match |= Q(**{f"{f.name}__icontains": q})
        elif isinstance(f, IntegerField) and q.lstrip("-").isdigit() and len(q) < 10:
            match |= Q(**{f.name: int(q)})
    return rows.filter(match)


@requires("registers_view")
def register_list(request: HttpRequest, name: str) -> HttpResponse:
    """The register's rows as its files show them (the codec's canonical text), searched and a
    page at a time; retired rows on their own page (``?retired=1``) with their reasons."""
    q = request.GET.get("q", "")[:200]
    seen = (
        "retired rows"
        if request.GET.get("retired") == "1"
        else f"rows matching {q!r}"
        if q
        else "rows"
    )
    page = request.GET.get("page")
    model = viewable_model(request, name, seen + (f", page {page}" if page else ""))
    return rendered.page(
        request, "web/register_list.html", lambda: _list_context(request, name, model)
    )


def _list_context(request: HttpRequest, name: str, model: type[Versioned]) -> dict[str, Any]:
    retired = request.GET.get("retired") == "1"
    q = request.GET.get("q", "")[:200]
    query = (
        model.rows.filter(retired_at__isnull=False) if retired else search_rows(model, q)
    ).order_by("pk")
    page = Paginator(query, PER_PAGE).get_page(request.GET.get("page"))
    pks = [r.pk for r in page.object_list]
    text = text_frame(name, register_frame(name, model.rows.filter(pk__in=pks)))
    editable = may_edit(request, name)
    rows = []
    for obj, values in zip(page.object_list, text.select(model.columns).iter_rows(), strict=True):
        cells: list[Any] = ["" if v is None else v for v in values]
        if editable and not retired:
            cells[0] = {"href": f"/registers/{name}/{obj.pk}/edit/", "text": cells[0]}
        tail: list[Any] = [{"href": f"/registers/{name}/{obj.pk}/history/", "text": "History"}]
        if retired:
            tail = [obj.retired_reason, f"{obj.retired_at:%d/%m/%Y}", *tail]
        rows.append([*cells, *tail])
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
    retired_count = model.rows.filter(retired_at__isnull=False).count()
    headers = [c.replace("_", " ") for c in model.columns]
    headers += ["Why retired", "Retired on", "Record"] if retired else ["Record"]
    return {
        "page_title": f"{title(name)}: retired rows" if retired else title(name),
        "name": name,
        "headers": headers,
        "rows": rows,
        "actions": [] if retired else actions,
        "page": page,
        "q": q,
        "retired": retired,
        "retired_count": retired_count,
        "query": urlencode({k: v for k, v in (("q", q), ("retired", "1" if retired else "")) if v}),
    }


@requires("register_edit_any")
def register_new(request: HttpRequest, name: str) -> HttpResponse:
    editable_model(request, name)
    form = form_class(name)(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and form.save_row():
            messages.success(request, "Saved.")
            return redirect(f"/registers/{name}/")
        return render(
            request, "web/form.html", {"page_title": f"Add to {name}", "form": form}, status=400
        )
    return render(request, "web/form.html", {"page_title": f"Add to {name}", "form": form})


#: An edit sent without the version its form was read at (an old page, a script): saving it
#: could overwrite a change made since, so it is refused.
UNVERSIONED = (
    "This form did not say which version of the row it was read from, so nothing was saved: "
    "reload the row and make your change again."
)


@requires("register_edit_any")
def register_edit(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Edit a row; if someone else saved it since this form was opened, nothing is overwritten."""
    model = editable_model(request, name)
    obj = get_object_or_404(model.objects, pk=pk)  # a retired row is restored, not edited
    cls = form_class(name)
    ctx: dict[str, Any] = {
        "page_title": f"Edit {obj}",
        "links": [
            {"href": f"/registers/{name}/{pk}/retire/", "text": "Retire this row"},
            {"href": f"/registers/{name}/{pk}/history/", "text": "History of this row"},
        ],
    }
    if request.method == "POST":
        form = cls(request.POST, instance=obj)
        read_version = form.cleaned_data.get("read_version") if form.is_valid() else None
        if read_version is None:  # a form that does not say what it read would overwrite
            if not form.errors:
                form.add_error(None, UNVERSIONED)
            status = 400
        elif form.save_row(read_version):
            messages.success(request, "Saved.")
            return redirect(f"/registers/{name}/")
        elif form.errors:  # a key taken, or a vacancy allocated, since the form was checked
            status = 400
        else:
            messages.error(
                request,
                "Someone else changed this record while you were editing it. "
                "Your changes were not saved: reload it to see their version.",
            )
            status = 409
        return render(request, "web/form.html", {**ctx, "form": form}, status=status)
    viewable_model(request, name, f"row {pk}, to edit")  # a child-level row shown is audited
    return render(request, "web/form.html", {**ctx, "form": cls(instance=obj)})


@requires("registers_view")
def register_export(request: HttpRequest, name: str, fmt: str = "csv") -> HttpResponse:
    """The register as a file the import (and ``sufficiency`` itself) reads back unchanged."""
    model = model_or_404(name)
    if not may_view(request, name):
        raise PermissionDenied
    frame = register_frame(name)
    if fmt == "xlsx":
        response = attachment(xlsx_bytes(name, frame), XLSX_TYPE, f"{name}.xlsx")
    else:
        response = attachment(csv_text(name, frame), "text/csv; charset=utf-8", f"{name}.csv")
    from sufficiency.web.audited import record_download

    record_download(request, model, f"{name} register export ({fmt})", rows=frame.height)
    return response
