"""Home finding: create and edit referrals, see ranked options with reasons, allocate (the server
re-runs the matcher), withdraw, record outcomes. Every view of a referral is audited."""

from __future__ import annotations

import copy
from typing import Any, cast

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.forms import ChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.web import audited, bridge, listing, page_cache, rendered
from sufficiency.web.accounts.roles import can, post_only, requires
from sufficiency.web.matching import holds, notifications, references, referral_list, services
from sufficiency.web.matching.board_views import referral_extras
from sufficiency.web.matching.forms import (
    OutcomeForm,
    ReferenceForm,
    ReferralEditForm,
    ReferralForm,
    WithdrawForm,
    in_use,
)
from sufficiency.web.matching.models import Referral

#: The urgencies a referral is made with (the form's choices): value and title.
URGENCIES = tuple(
    (str(v), str(t)) for v, t in cast(ChoiceField, ReferralForm.base_fields["urgency"]).choices
)
#: The referral list's filters.
REFERRAL_FILTERS = (
    listing.Filter("status", "Status", referral_list.STATUSES, "Any status"),
    listing.Filter("urgency", "When needed", URGENCIES, "Any time"),
    listing.Filter("q", "Reference contains"),
)


def _form_error(form: Any, data: dict[str, Any]) -> bool:
    """Add the library's objection to the referral (if any) to the form; True when there was one."""
    from sufficiency.matching.referral import ReferralError, parse_referral

    try:
        parse_referral(data, source="form")
    except ReferralError as exc:
        form.add_error(None, str(exc))
        return True
    return False


@requires("matching")
def referrals(request: HttpRequest) -> HttpResponse:
    """The referrals, filtered (status, urgency, reference) and a page at a time, and the form
    that creates one (an existing reference is refused)."""
    # new vacancies are news for the open referrals; those there before a referral is made are not
    notifications.scan(bridge.dataset_or_none)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rid = form.cleaned_data["referral_id"]
        data = form.referral_json(rid)
        if not _form_error(form, data):
            try:
                with transaction.atomic():
                    references.lock()  # checked again, with saves of other references waiting
                    taken = references.holders(rid)
                    if taken:
                        raise IntegrityError(rid)
                    Referral.objects.create(referral_id=rid, data=data, created_by=request.user)
            except IntegrityError:  # made by a request sent at the same moment (a double click)
                form.add_error("referral_id", in_use(rid, references.holders(rid)))
            else:
                return redirect(f"/matching/{rid}/")
    values = listing.read(request, REFERRAL_FILTERS)
    found = referral_list.referral_rows(values["status"], values["urgency"], values["q"])
    ctx = listing.context(request, found, REFERRAL_FILTERS, values)
    titles = dict(referral_list.STATUSES)
    urgencies = dict(URGENCIES)
    rows = [
        [
            {"href": f"/matching/{r.referral_id}/", "text": r.referral_id},
            titles[referral_list.status_of(r)],
            urgencies.get(r.data.get("urgency", ""), r.data.get("urgency", "")),
            r.data.get("needed_by", ""),
            r.placed_in or "not yet placed",
        ]
        for r in ctx["page"].object_list
    ]
    return render(
        request,
        "web/referrals.html",
        {
            "page_title": "Home finding",
            "caption": "Referrals",
            "form": form,
            "headers": ["Referral", "Status", "When needed", "Needed by", "Allocated to"],
            "actions": [
                {"href": "/vacancies/", "text": "Vacancy board"},
                {
                    "href": "/notifications/",
                    "text": f"Notifications ({notifications.unread(request.user).count()} unread)",
                },
                {"href": "/providers/", "text": "Provider contacts"},
            ],
            "rows": rows,
            **ctx,
        },
        status=400 if form.errors else 200,
    )


def _options(
    referral: Referral, live_holds: tuple[tuple[str, int], ...]
) -> tuple[dict[str, Any] | None, str]:
    """The matcher's ranked options and exclusions for the page, or why there are none."""
    from sufficiency.matching.referral import ReferralError

    ds = bridge.dataset_or_none()
    if ds is None:
        return None, "No data is loaded, so there are no vacancies to match."
    try:
        result: dict[str, Any] = copy.deepcopy(
            page_cache.cached(
                # holds change which places are free but not the data, so they key the page
                ("referral options", referral.referral_id, live_holds),
                lambda: services.match(ds, referral.data, referral).to_json(top=10),
            )
        )
    except ReferralError as exc:
        return None, str(exc)
    for o in result["options"]:
        o["headline"] = next(
            (r for r in o["reasons"] if "miles" in r), o["reasons"][0] if o["reasons"] else ""
        )
        o["type_title"] = PLACEMENT_TYPE_TITLES.get(
            o.get("placement_type", ""), o.get("placement_type", "")
        )
    for e in result["excluded"]:
        e["overridable"] = not set(e.get("rules") or [e["rule"]]) & services.NOT_OVERRIDABLE
    return result, ""


@requires("matching")
def referral_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Ranked options (score breakdown and reasons) and excluded vacancies (rule and reason)."""
    referral = get_object_or_404(Referral, referral_id=referral_id)
    audited.record_view(request, referral, f"referral {referral.referral_id}")
    # holds lapse with time, not only by a request: they key the kept page too
    live_holds = holds.live_key()
    return rendered.page(
        request,
        "web/referral.html",
        lambda: _referral_context(request, referral, live_holds),
        key=(live_holds,),
    )


def _referral_context(
    request: HttpRequest, referral: Referral, live_holds: tuple[tuple[str, int], ...]
) -> dict[str, Any]:
    referral_id = referral.referral_id
    result, error = _options(referral, live_holds)
    allocation = services.live(referral)
    outcome_form = OutcomeForm(
        initial={"vacancy_id": allocation.vacancy_id} if allocation else None
    )
    outcome_form.helper.form_action = f"/matching/{referral_id}/outcome/"
    withdraw_form = WithdrawForm()
    withdraw_form.helper.form_action = f"/matching/{referral_id}/withdraw/"
    places = None
    if allocation is not None:
        from sufficiency.web.registers.models import Vacancy

        places = (
            Vacancy.objects.filter(vacancy_id=allocation.vacancy_id)
            .values_list("places", flat=True)
            .first()
        )
    return {
        "page_title": f"Referral {referral_id}",
        "referral": referral,
        "result": result,
        "error": error,
        "allocation": allocation,
        "places": places,
        "history": referral.allocations.exclude(withdrawn_at__isnull=True)
        .select_related("created_by", "withdrawn_by")
        .order_by("created_at"),
        "summary": referral_summary(referral.data),
        "outcome_form": outcome_form,
        "withdraw_form": withdraw_form,
        "outcomes": referral.outcomes.order_by("recorded_at"),
        "may_override": can(request.user, "matching_override"),
        **referral_extras(referral),
    }


#: What the second of two people editing a referral at once is told (nothing of theirs is saved).
EDITED_ELSEWHERE = (
    "Someone else changed referral {rid} while you were editing it. Your changes were not "
    "saved: reload it to see their version."
)


@requires("matching")
def referral_edit(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Change what a referral says (never its reference); not while a place is allocated, and
    not over a change saved since the form was read (optimistic locking on ``updated_at``)."""
    referral = get_object_or_404(Referral, referral_id=referral_id)
    audited.record_view(request, referral, f"referral {referral.referral_id} (edit)")
    if services.live(referral) is not None:
        return _allocated(request, referral_id)
    form = ReferralEditForm(
        request.POST or None,
        initial={
            **ReferralEditForm.initial_from(referral.data),
            "read_at": referral.updated_at.isoformat(),
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.referral_json(referral.referral_id)
        if not _form_error(form, data):
            with transaction.atomic():
                current = Referral.objects.select_for_update().get(pk=referral.pk)
                if services.live(current) is not None:  # allocated while the form was open
                    return _allocated(request, referral_id)
                if form.cleaned_data["read_at"] == current.updated_at.isoformat():
                    current.data = data
                    current.save()
                    messages.success(request, f"Referral {referral_id} was saved.")
                    return redirect(f"/matching/{referral_id}/")
            messages.error(request, EDITED_ELSEWHERE.format(rid=referral_id))
            status = 409
    return render(
        request,
        "web/form.html",
        {"page_title": f"Change referral {referral_id}", "form": form},
        status=400 if form.errors else status,
    )


@requires("matching_override")
def referral_reference(request: HttpRequest, referral_id: str) -> HttpResponse:
    """An administrator changes a web referral's reference: the way out when it repeats
    another's ignoring case (``references.clashes``); allocations, holds and outcomes follow
    it, and the change is audited with both spellings."""
    referral = get_object_or_404(Referral, referral_id=referral_id)
    form = ReferenceForm(request.POST or None, initial={"referral_id": referral_id})
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["referral_id"].strip()
        taken = references.rename(referral, new, request.user)
        if not taken:
            messages.success(request, f"Referral {referral_id} is now referral {new}.")
            return redirect(f"/matching/{new}/")
        form.add_error("referral_id", in_use(new, taken))
    return render(
        request,
        "web/form.html",
        {
            "page_title": f"Change the reference of referral {referral_id}",
            "intro": "Use this when the reference repeats another referral's or register "
            "row's, ignoring case. The referral keeps its allocations, holds and outcomes.",
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _allocated(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Back to the referral: its details cannot change while a place is allocated."""
    messages.error(
        request,
        f"Referral {referral_id} has a place allocated: withdraw the allocation before "
        "changing the referral, because the match was made for these details.",
    )
    return redirect(f"/matching/{referral_id}/")


@requires("matching")
@post_only
def referral_allocate(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Allocate a vacancy: the server's own match decides (a score sent is ignored)."""
    referral = get_object_or_404(Referral, referral_id=referral_id)
    vacancy_id = request.POST.get("vacancy_id", "").strip()
    try:
        made = services.allocate(
            referral,
            vacancy_id,
            bridge.dataset_or_none(),
            request.user,
            override_reason=request.POST.get("override_reason", ""),
            may_override=can(request.user, "matching_override"),
        )
    except services.AllocationError as exc:
        messages.error(request, str(exc))
    else:
        override = " (an override of the matcher's exclusion)" if made.override_reason else ""
        messages.success(
            request, f"Vacancy {vacancy_id} allocated to referral {referral_id}{override}."
        )
    return redirect(f"/matching/{referral_id}/")


@requires("matching")
@post_only
def referral_withdraw(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Withdraw the referral's allocation with a reason; the place is free again."""
    referral = get_object_or_404(Referral, referral_id=referral_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The allocation was not withdrawn: " + form.errors["reason"][0])
        return redirect(f"/matching/{referral_id}/")
    try:
        held = services.withdraw(referral, form.cleaned_data["reason"], request.user)
    except services.AllocationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"The allocation of vacancy {held.vacancy_id} to {referral_id} was withdrawn."
        )
    return redirect(f"/matching/{referral_id}/")


@requires("matching")
@post_only
def referral_outcome(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = get_object_or_404(Referral, referral_id=referral_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_once(
                referral,
                referral.outcomes,
                f"This outcome (vacancy {d['vacancy_id']})",
                request.user,
                **d,
            )
        except services.AllocationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Outcome recorded.")
    else:
        messages.error(
            request,
            "The outcome was not recorded: "
            + "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items()),
        )
    return redirect(f"/matching/{referral_id}/")


def referral_summary(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The referral's main fields as label/value rows for the page."""
    child = data.get("child") or {}
    suit = data.get("suitability") or {}
    rows = [
        (
            "Child",
            f"aged {child.get('age', '?')}, {({'M': 'male', 'F': 'female'}).get(child.get('sex', ''), 'sex not given')}"
            + (", unaccompanied asylum-seeking" if child.get("uasc") else "")
            + (", disabled" if child.get("disability") else ""),
        ),
        ("Home postcode", child.get("home_postcode") or "not given"),
        (
            "Needed by",
            f"{data.get('needed_by', '')} ({str(data.get('urgency', '')).replace('_', ' ')})",
        ),
        ("Requested", PLACEMENT_TYPE_TITLES.get(data.get("requested_type", ""), "no preference")),
        ("Suitability", ", ".join(f"{k}: {v}" for k, v in suit.items()) or "not given"),
        (
            "Needs",
            ", ".join(str(n).replace("_", " ") for n in data.get("needs") or []) or "none listed",
        ),
        ("Siblings to live with", str(data.get("siblings", 0))),
    ]
    if data.get("budget_weekly"):
        rows.append(("Weekly budget", f"£{float(data['budget_weekly']):,.0f}"))
    return rows
