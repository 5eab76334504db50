# mypy: allow-subclassing-any
"""The audit log for administrators: searched by text, action, person and dates, paged, and
exported as CSV (every cell formula-safe, ``web.exports``). An export is itself audited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sufficiency.web import audited
from sufficiency.web.accounts.roles import requires
from sufficiency.web.widgets import date_input

PER_PAGE = 100
ACTIONS = [("", "Any"), ("create", "Created"), ("update", "Changed"), ("delete", "Deleted"), ("access", "Viewed or downloaded")]  # fmt: skip
HEADERS = ["When", "Who", "Action", "Record type", "Record", "Changes", "From"]


class AuditSearchForm(forms.Form):
    """What to look for in the audit log (every field optional)."""

    q = forms.CharField(
        label="Search by user, record, type or change",
        required=False,
        max_length=200,
        help_text="For example a child's id, a referral reference, 'return' or a user name.",
    )
    action = forms.ChoiceField(label="Action", choices=ACTIONS, required=False)
    who = forms.CharField(label="User name", required=False, max_length=150)
    since = forms.DateField(label="From", required=False, widget=date_input())
    until = forms.DateField(label="To", required=False, widget=date_input())

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The 'To' date must be on or after the 'From' date.")
        return data


def _action_value(name: str) -> int:
    from auditlog.models import LogEntry

    return int(getattr(LogEntry.Action, name.upper()))


def search(form: AuditSearchForm) -> QuerySet[Any]:
    """The entries matching a valid form, newest first."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    d = form.cleaned_data
    if d.get("q"):
        q = d["q"].strip()
        entries = entries.annotate(
            changes_json=Cast("changes", output_field=TextField()),
            details_json=Cast("additional_data", output_field=TextField()),
        ).filter(
            Q(actor__username__icontains=q)
            | Q(object_repr__icontains=q)
            | Q(object_pk=q)
            | Q(content_type__model__icontains=q)
            | Q(changes_json__icontains=q)
            | Q(changes_text__icontains=q)
            | Q(details_json__icontains=q)
        )
    if d.get("action"):
        entries = entries.filter(action=_action_value(d["action"]))
    if d.get("who"):
        entries = entries.filter(actor__username__iexact=d["who"].strip())
    tz = timezone.get_current_timezone()
    if d.get("since"):
        entries = entries.filter(timestamp__gte=dt.datetime.combine(d["since"], dt.time(), tz))
    if d.get("until"):
        after = d["until"] + dt.timedelta(days=1)
        entries = entries.filter(timestamp__lt=dt.datetime.combine(after, dt.time(), tz))
    return entries


def changes_text(entry: Any) -> str:
    """An entry's changes in words: "episodes: 858 -> 290; children: 661 -> 661"."""
    changes = entry.changes
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return str(changes)
    if not isinstance(changes, dict):
        return ""
    parts = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{name}: {value[0]} -> {value[1]}")
        else:
            parts.append(f"{name}: {value}")
    return "; ".join(parts)


def _row(entry: Any) -> list[object]:
    return [
        timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M:%S"),
        entry.actor.get_username() if entry.actor else "system",
        entry.get_action_display(),
        entry.content_type.model if entry.content_type else "",
        entry.object_repr,
        changes_text(entry),
        entry.remote_addr or "",
    ]


@requires("audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Search the audit log; a page of entries at a time, newest first."""
    form = AuditSearchForm(request.GET)  # every field is optional: no search lists everything
    valid = form.is_valid()
    page = None
    if valid:
        paginator = Paginator(search(form), PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/audit.html",
        {
            "page_title": "Audit log",
            "form": form,
            "headers": HEADERS,
            "rows": [_row(e) for e in page] if page is not None else [],
            "page": page,
            "query": urlencode(query),
        },
        status=200 if valid else 400,
    )


@requires("audit")
def audit_export(request: HttpRequest) -> HttpResponse:
    """The entries the search finds as CSV (every entry, not one page); the export is audited."""
    from auditlog.models import LogEntry

    from sufficiency.web.exports import csv_response

    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return audit_log(request)
    entries = list(search(form))
    searched = ", ".join(f"{k}={v}" for k, v in request.GET.items() if v)
    audited.record_download(
        request,
        LogEntry,
        f"audit log export ({len(entries)} entries{f'; {searched}' if searched else ''})",
    )
    rows = (
        [
            timezone.localtime(e.timestamp).isoformat(timespec="seconds"),
            e.actor.get_username() if e.actor else "system",
            e.get_action_display(),
            e.content_type.model if e.content_type else "",
            e.object_pk,
            e.object_repr,
            changes_text(e),
            json.dumps(e.additional_data, sort_keys=True) if e.additional_data else "",
            e.remote_addr or "",
        ]
        for e in entries
    )
    header = ["when", "who", "action", "record type", "record id", "record", "changes"]
    return csv_response("audit-log.csv", [*header, "details", "from"], rows)
