"""The council's narrative and sign-off for the statement: edit one section's markdown, set the
approval lines, and see a section's history (every version, from the audit log).

The statement reads what is saved here through the same ``narrative/<section>.md`` files the CLI
reads (``bridge.export_data_folder``), so a saved edit changes the next statement built.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sufficiency.web.accounts.roles import requires
from sufficiency.web.data import narrative
from sufficiency.web.data.models import Narrative
from sufficiency.web.data.narrative_forms import NarrativeForm, SignOffForm, current_sign_off

CHANGED_ELSEWHERE = (
    "Someone else saved this section while you were editing it. Your changes were not saved: "
    "copy them, then reload the page to see their version."
)
#: Where the statement page lists the sections.
BACK = "/statement/#narrative"


def _stored(section: str) -> Narrative | None:
    row: Narrative | None = Narrative.objects.filter(section=section).first()
    return row


@requires("narrative_edit")
def narrative_edit(request: HttpRequest, section: str) -> HttpResponse:
    """Write or change one section's markdown (blank removes it); audited, never overwriting
    someone else's save."""
    title = narrative.title_of(section)
    if title is None:
        raise Http404
    row = _stored(section)
    initial = {"text": row.text if row else "", "read_version": row.version if row else 0}
    form = NarrativeForm(request.POST or None, section=section, initial=initial)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif narrative.save_section(
            section, form.cleaned_data["text"], form.cleaned_data["read_version"], request.user
        ):
            messages.success(request, f"Narrative saved for {title}.")
            return redirect(BACK)
        else:
            messages.error(request, CHANGED_ELSEWHERE)
            status = 409
    return render(
        request,
        "web/form.html",
        {
            "page_title": f"Narrative: {title}",
            "intro": f"The council's words for the statement's section '{title}' "
            f"(the file narrative/{section}.md of a data folder).",
            "form": form,
            "links": [
                {
                    "href": f"/statement/narrative/{section}/history/",
                    "text": "History of this section",
                },
                {"href": BACK, "text": "Back to the statement"},
            ],
        },
        status=status,
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@requires("narrative_edit")
def sign_off_edit(request: HttpRequest) -> HttpResponse:
    """Who approved the statement, when, and its next review: the lines the statement's
    'Governance, sign-off and review' section and its publish check read."""
    row = _stored(narrative.SIGN_OFF)
    current = row.text if row else ""
    now = current_sign_off(current)
    initial = {
        "approved_by": now.approved_by,
        "approved_on": now.approved_on,
        "next_review": now.next_review,
        "read_version": row.version if row else 0,
    }
    form = SignOffForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            d = form.cleaned_data
            fields = {
                "approved_by": [now.approved_by, d["approved_by"]],
                "approved_on": [_iso(now.approved_on), _iso(d["approved_on"])],
                "next_review": [_iso(now.next_review), _iso(d["next_review"])],
            }
            if narrative.save_section(
                narrative.SIGN_OFF,
                form.text(current),
                d["read_version"],
                request.user,
                event="sign-off changed",
                changes={k: v for k, v in fields.items() if v[0] != v[1]},
            ):
                messages.success(request, "Sign-off saved.")
                return redirect(BACK)
            messages.error(request, CHANGED_ELSEWHERE)
            status = 409
    return render(
        request,
        "web/form.html",
        {
            "page_title": "Sign-off and review",
            "intro": "A published statement names who approved it, when, and when it will next be "
            "reviewed. These are the lines 'Approved by', 'Approved on' and 'Next review' of "
            "narrative/sign_off.md; the section's other text is kept.",
            "form": form,
            "links": [
                {
                    "href": "/statement/narrative/sign_off/history/",
                    "text": "History of the sign-off",
                },
                {"href": BACK, "text": "Back to the statement"},
            ],
        },
        status=status,
    )


def _after(entry: Any) -> str:
    changes = entry.changes_dict if hasattr(entry, "changes_dict") else entry.changes or {}
    text = changes.get("text")
    return str(text[1]) if isinstance(text, list) and len(text) == 2 else ""


@requires("narrative_edit")
def narrative_history(request: HttpRequest, section: str) -> HttpResponse:
    """Every saved version of a section (edits and imports), newest first, with who and when."""
    title = narrative.title_of(section)
    if title is None:
        raise Http404
    entries = [
        {
            "when": timezone.localtime(e.timestamp),
            "who": e.actor.get_username() if e.actor else "system",
            "what": str((e.additional_data or {}).get("event", "")).capitalize()
            or e.get_action_display(),
            "text": _after(e),
        }
        for e in narrative.history(section)
    ]
    return render(
        request,
        "web/narrative_history.html",
        {"page_title": f"History of the narrative: {title}", "title": title, "entries": entries},
    )
