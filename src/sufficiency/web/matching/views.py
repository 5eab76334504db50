"""Home finding: enter a referral, see ranked options with reasons, allocate, record outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.web import bridge
from sufficiency.web.accounts.roles import post_only, requires
from sufficiency.web.matching.forms import OutcomeForm, ReferralForm
from sufficiency.web.matching.models import Outcome, Referral
from sufficiency.web.matching.services import AllocationError, allocate, with_free_places


@requires("matching")
def referrals(request: HttpRequest) -> HttpResponse:
    """The referral form and the list of referrals."""
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from sufficiency.matching.referral import ReferralError, parse_referral

        data = form.referral_json()
        try:
            parse_referral(data, source="form")
        except ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            Referral.objects.update_or_create(
                referral_id=data["id"], defaults={"data": data, "created_by": request.user}
            )
            return redirect(f"/matching/{data['id']}/")
    rows = []
    for r in Referral.objects.select_related("allocation__vacancy").order_by("-created_at")[:200]:
        alloc = getattr(r, "allocation", None)
        rows.append(
            [
                {"href": f"/matching/{r.referral_id}/", "text": r.referral_id},
                r.data.get("urgency", ""),
                r.data.get("needed_by", ""),
                alloc.vacancy.vacancy_id if alloc else "not yet placed",
            ]
        )
    return render(
        request,
        "web/referrals.html",
        {
            "page_title": "Home finding",
            "form": form,
            "headers": ["Referral", "Urgency", "Needed by", "Allocated to"],
            "rows": rows,
        },
    )


@requires("matching")
def referral_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Ranked options (score breakdown and reasons) and excluded vacancies (rule and reason)."""
    referral = get_object_or_404(Referral, referral_id=referral_id)
    result = None
    error = ""
    ds = bridge.dataset_or_none()
    if ds is None:
        error = "No data is loaded, so there are no vacancies to match."
    else:
        from sufficiency.matching.engine import match_referral
        from sufficiency.matching.pool import pool_from_dataset
        from sufficiency.matching.referral import ReferralError, parse_referral

        try:
            result = match_referral(
                pool_from_dataset(with_free_places(ds)),
                parse_referral(referral.data, source="referral"),
            ).to_json(top=20)
        except ReferralError as exc:
            error = str(exc)
    if result is not None:
        result["options"] = result["options"][:10]
        for o in result["options"]:
            o["headline"] = next(
                (r for r in o["reasons"] if "miles" in r), o["reasons"][0] if o["reasons"] else ""
            )
            o["type_title"] = PLACEMENT_TYPE_TITLES.get(
                o.get("placement_type", ""), o.get("placement_type", "")
            )
    allocation = getattr(referral, "allocation", None)
    outcome_form = OutcomeForm(
        initial={"vacancy_id": allocation.vacancy.vacancy_id} if allocation else None
    )
    outcome_form.helper.form_action = f"/matching/{referral_id}/outcome/"
    return render(
        request,
        "web/referral.html",
        {
            "page_title": f"Referral {referral_id}",
            "referral": referral,
            "result": result,
            "error": error,
            "allocation": allocation,
            "summary": referral_summary(referral.data),
            "outcome_form": outcome_form,
            "outcomes": referral.outcomes.order_by("recorded_at"),
        },
    )


@requires("matching")
@post_only
def referral_allocate(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = get_object_or_404(Referral, referral_id=referral_id)
    vacancy_id = request.POST.get("vacancy_id", "")
    try:
        score = float(request.POST.get("score", "0"))
    except ValueError:
        score = 0.0
    try:
        allocate(referral, vacancy_id, score, request.user)
    except AllocationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Vacancy {vacancy_id} allocated to referral {referral_id}.")
    return redirect(f"/matching/{referral_id}/")


@requires("matching")
@post_only
def referral_outcome(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = get_object_or_404(Referral, referral_id=referral_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        Outcome.objects.create(referral=referral, **form.cleaned_data)
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
