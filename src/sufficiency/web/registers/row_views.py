# mypy: allow-subclassing-any
"""A register row's life after it is added: retired with a reason (kept, never deleted),
restored, and its history (every audit entry about it, newest first)."""

from __future__ import annotations

import copy
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from sufficiency.web.accounts.roles import post_only, requires
from sufficiency.web.registers.access import (
    editable_model,
    may_edit,
    title,
    viewable_model,
)
from sufficiency.web.registers.forms import repeats
from sufficiency.web.registers.models import Versioned

CHANGED_ELSEWHERE = (
    "Someone else changed this row while you were looking at it. Nothing was changed: "
    "reload it to see their version."
)


class RetireForm(forms.Form):
    """Why a row stops being part of its register (kept on the row and in the audit log)."""

    use_required_attribute = False  # the server names a missing reason (GOV.UK error summary)

    reason = forms.CharField(
        label="Why is this row retired?",
        max_length=500,
        help_text="For example: deregistered on 3 March, home closed, entered twice.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this row is retired"},
    )
    read_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", "Retire this row", css_class="govuk-button--warning")
        )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError("Enter why this row is retired")
        return reason


@requires("register_edit_any")
def register_retire(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Retire a row in use: it leaves the register (figures, matcher, exports) but is kept."""
    model = editable_model(request, name)
    obj = get_object_or_404(model.objects, pk=pk)
    retired = copy.copy(obj)
    retired.retired_at = timezone.now()
    problem = retired.rule_problem()  # an allocated place needs its vacancy
    if problem:
        return _not_retired(request, obj, problem[1])
    form = RetireForm(request.POST or None, initial={"read_version": obj.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            retired.retired_reason = form.cleaned_data["reason"]
            if retired.save_versioned(form.cleaned_data["read_version"], event="retire"):
                messages.success(request, f"{obj} retired. It is kept under retired rows.")
                return redirect(f"/registers/{name}/")
            if retired.refused:  # allocated since the check above: the lock's check says so
                return _not_retired(request, obj, retired.refused[1])
            messages.error(request, CHANGED_ELSEWHERE)
            status = 409
        else:
            status = 400
    return render(
        request,
        "web/form.html",
        {
            "page_title": f"Retire {obj} from the {title(name).lower()} register",
            "intro": "A retired row is no longer part of the register: the figures, the "
            "matcher and exports leave it out. It is kept, with your reason, and can be restored.",
            "form": form,
        },
        status=status,
    )


def _not_retired(request: HttpRequest, obj: Versioned, why: str) -> HttpResponse:
    """Back to the row's edit page, saying why it stays in the register."""
    messages.error(request, f"This {obj._meta.verbose_name} cannot be retired: {why}")
    return redirect(f"/registers/{obj.register}/{obj.pk}/edit/")


@requires("register_edit_any")
@post_only
def register_restore(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Bring a retired row back into the register (audited like any change), unless a row in
    use has its key or a value of a column unique when given."""
    model = editable_model(request, name)
    obj = get_object_or_404(model.rows.filter(retired_at__isnull=False), pk=pk)
    taken = repeats(name, {c: getattr(obj, c) for c in model.columns}, obj)
    if taken:  # a row in use has its URN (a column unique when given): both would count
        messages.error(
            request,
            "This row cannot be restored: "
            + "; ".join(f"{m}: a row in use has it" for _, m in taken),
        )
        return redirect(f"/registers/{name}/{pk}/history/")
    obj.retired_at = None
    obj.retired_reason = ""
    if obj.save_versioned(obj.version, event="restore"):
        messages.success(request, f"{obj} restored to the register.")
    elif obj.refused:  # a row in use took its URN since the check above
        messages.error(request, f"This row cannot be restored: {obj.refused[1]}")
    else:
        messages.error(request, CHANGED_ELSEWHERE)
    return redirect(f"/registers/{name}/{pk}/history/")


@requires("registers_view")
def register_history(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Every audit entry about one row (created, changed, retired, restored), newest first."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from sufficiency.web.audit_log import changes_text

    model = viewable_model(request, name, f"row {pk}, its history")
    obj = get_object_or_404(model.rows, pk=pk)
    found = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
    ).select_related("actor")
    entries = [
        {
            "when": timezone.localtime(e.timestamp),
            "who": e.actor.get_username() if e.actor else "system",
            "what": (e.additional_data or {}).get("event", "").capitalize()
            or e.get_action_display(),
            "changes": changes_text(e),
        }
        for e in found.order_by("-timestamp", "-pk")[:200]
    ]
    return render(
        request,
        "web/register_history.html",
        {
            "page_title": f"History of {obj}",
            "title": title(name),
            "name": name,
            "obj": obj,
            "entries": entries,
            "may_edit": may_edit(request, name),
        },
    )
