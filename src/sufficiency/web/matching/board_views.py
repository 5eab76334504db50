"""The vacancy board, provider contacts, notifications, and on a referral: holding a place,
sending the anonymised summary to providers and recording their answers. Holds, releases,
summaries sent and answers are audited changes (``apps.MatchingConfig``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.web import bridge, listing
from sufficiency.web.accounts.roles import post_only, requires
from sufficiency.web.matching import board, holding, holds, notifications, services, summaries
from sufficiency.web.matching.board_forms import (
    AnswerForm,
    ExpiryForm,
    HoldForm,
    ProviderContactForm,
    ReleaseForm,
    SendSummaryForm,
)
from sufficiency.web.matching.models import (
    Allocation,
    ProviderContact,
    Referral,
    VacancyListing,
)
from sufficiency.web.registers.models import Vacancy

#: The vacancy board's filters.
BOARD_FILTERS = (
    listing.Filter("status", "Status", board.STATUSES),
    listing.Filter("kind", "Provider kind", tuple(board.PROVIDER_KIND_TITLES.items())),
    listing.Filter("type", "Placement type", tuple(PLACEMENT_TYPE_TITLES.items())),
    listing.Filter("q", "Vacancy or provider"),
)
#: The provider contacts list's filter.
PROVIDER_FILTERS = (listing.Filter("q", "Provider, id, contact or email contains"),)
#: The notifications list's filter.
NOTIFICATION_FILTERS = (
    listing.Filter("show", "Show", (("unread", "Unread"), ("read", "Read")), "Unread and read"),
)


def _errors(form: Any) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


@requires("matching")
def vacancy_board(request: HttpRequest) -> HttpResponse:
    """Every vacancy with its status, expiry and provider contact; filtered, a page at a time."""
    notifications.scan(bridge.dataset_or_none)
    values = listing.read(request, BOARD_FILTERS)
    rows = board.board_rows(
        state=values["status"],
        provider_kind=values["kind"],
        placement_type=values["type"],
        q=values["q"],
    )
    return render(
        request,
        "web/vacancies.html",
        {
            "page_title": "Vacancy board",
            "statuses": board.STATUSES,
            "kinds": list(board.PROVIDER_KIND_TITLES.items()),
            "types": list(PLACEMENT_TYPE_TITLES.items()),
            "unread": notifications.unread(request.user).count(),
            **listing.context(request, rows, BOARD_FILTERS, values),
        },
    )


@requires("matching")
def vacancy_detail(request: HttpRequest, vacancy_id: str) -> HttpResponse:
    """One vacancy: its places, who holds or has them, its provider and its offer's expiry."""
    vacancy: Any = get_object_or_404(Vacancy, vacancy_id=vacancy_id)
    listing, _ = VacancyListing.objects.get_or_create(vacancy_id=vacancy_id)
    form = ExpiryForm(
        request.POST or None,
        initial={"expires_on": listing.expires_on},
        action=f"/vacancies/{vacancy_id}/",
    )
    if request.method == "POST" and form.is_valid():
        listing.expires_on = form.cleaned_data["expires_on"]
        listing.save()
        when = f"{listing.expires_on:%d/%m/%Y}" if listing.expires_on else "no expiry"
        messages.success(request, f"Vacancy {vacancy_id}'s offer expiry saved: {when}.")
        return redirect(f"/vacancies/{vacancy_id}/")
    row = next(r for r in board.board_rows(q=vacancy_id) if r.vacancy_id == vacancy_id)
    return render(
        request,
        "web/vacancy.html",
        {
            "page_title": f"Vacancy {vacancy_id}",
            "vacancy": vacancy,
            "row": row,
            "form": form,
            "holds": holds.live_holds().filter(vacancy_id=vacancy_id).select_related("referral"),
            "allocations": Allocation.objects.filter(
                vacancy_id=vacancy_id, withdrawn_at__isnull=True
            ).select_related("referral"),
        },
        status=400 if form.errors else 200,
    )


@requires("matching")
def providers(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Provider contacts (who gets referral summaries): the list and the form to add or change."""
    contact = get_object_or_404(ProviderContact, pk=pk) if pk is not None else None
    action = f"/providers/{pk}/" if pk is not None else "/providers/"
    form = ProviderContactForm(request.POST or None, instance=contact, action=action)
    status = 200
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = (
                ProviderContact.objects.select_for_update().filter(pk=contact.pk).first()
                if contact is not None
                else None
            )
            read_at = form.cleaned_data["read_at"]
            if contact is None or (current and read_at == current.updated_at.isoformat()):
                saved = form.save()
                messages.success(request, f"Contact for {saved} saved.")
                return redirect("/providers/")
        messages.error(
            request,
            f"Someone else changed the contact for {current or contact} while you were editing it. Your "
            "changes were not saved: reload it to see their version.",
        )
        status = 409
    values = listing.read(request, PROVIDER_FILTERS)
    contacts = ProviderContact.objects.order_by("name", "pk")
    if values["q"]:
        contacts = contacts.filter(
            Q(name__icontains=values["q"])
            | Q(provider_id__icontains=values["q"])
            | Q(contact_name__icontains=values["q"])
            | Q(email__icontains=values["q"])
        )
    return render(
        request,
        "web/vacancy_providers.html",
        {
            "page_title": "Provider contacts",
            "form": form,
            "editing": contact,
            **listing.context(request, contacts, PROVIDER_FILTERS, values),
        },
        status=400 if form.errors else status,
    )


@requires("matching")
def notification_list(request: HttpRequest) -> HttpResponse:
    """New vacancies that suit open referrals: unread first (or unread or read only), a page at a
    time; each marked read by each user."""
    notifications.scan(bridge.dataset_or_none)
    if request.method == "POST":
        ids = (
            None
            if request.POST.get("all")
            else [int(i) for i in request.POST.getlist("id") if i.isdigit()]
        )
        n = notifications.mark_read(request.user, ids)
        messages.success(request, f"{n} notification{'s' if n != 1 else ''} marked read.")
        return redirect("/notifications/")
    values = listing.read(request, NOTIFICATION_FILTERS)
    shown = notifications.for_user(request.user, values["show"])
    return render(
        request,
        "web/notifications.html",
        {
            "page_title": "Notifications",
            "unread_count": notifications.unread(request.user).count(),
            **listing.context(request, shown, NOTIFICATION_FILTERS, values),
        },
    )


def _act(
    request: HttpRequest,
    referral_id: str,
    form: Any,
    failed: str,
    act: Callable[[Referral, dict[str, Any]], str],
) -> HttpResponse:
    """Run ``act`` on the referral with the form's values; its message (or why it failed, after
    ``failed``) is shown on the referral's page."""
    referral = get_object_or_404(Referral, referral_id=referral_id)
    if not form.is_valid():
        messages.error(request, f"{failed}: " + _errors(form))
    else:
        try:
            messages.success(request, act(referral, form.cleaned_data))
        except (services.AllocationError, summaries.SummaryError) as exc:
            messages.error(request, str(exc))
    return redirect(f"/matching/{referral_id}/")


@requires("matching")
@post_only
def referral_hold(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Hold a place of a vacancy for the referral for some days."""

    def act(referral: Referral, d: dict[str, Any]) -> str:
        made = holding.hold(
            referral, d["vacancy_id"], d["days"], bridge.dataset_or_none(), request.user
        )
        return (
            f"A place of vacancy {made.vacancy_id} is held for referral {referral_id} until the "
            f"end of {made.expires_on:%d/%m/%Y}."
        )

    return _act(request, referral_id, HoldForm(request.POST), "No place was held", act)


@requires("matching")
@post_only
def referral_release(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Release the referral's hold, with a reason."""

    def act(referral: Referral, d: dict[str, Any]) -> str:
        released = holding.release(referral, d["reason"], request.user)
        return f"The hold on vacancy {released.vacancy_id} was released."

    return _act(request, referral_id, ReleaseForm(request.POST), "The hold was not released", act)


@requires("matching")
@post_only
def referral_send_summary(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Email the referral's anonymised summary to the chosen providers."""

    def act(referral: Referral, d: dict[str, Any]) -> str:
        sent = summaries.send_summary(referral, d["providers"], request.user)
        n = len(sent.recipients)
        return (
            f"Summary {summaries.summary_reference(sent)} sent to {n} "
            f"provider{'s' if n != 1 else ''}."
        )

    return _act(request, referral_id, SendSummaryForm(request.POST), "Nothing was sent", act)


@requires("matching")
@post_only
def referral_answer(request: HttpRequest, referral_id: str) -> HttpResponse:
    """Record a provider's answer to the summary: an offer or a decline with its reason."""

    def act(referral: Referral, d: dict[str, Any]) -> str:
        services.record_once(
            referral,
            referral.answers,
            f"This answer of provider {d['provider_id']}",
            request.user,
            provider_id=d["provider_id"],
            answer=d["answer"],
            vacancy_id=d["vacancy_id"].strip(),
            reason=d["reason"].strip(),
        )
        return f"The answer of provider {d['provider_id']} was recorded."

    return _act(request, referral_id, AnswerForm(request.POST), "The answer was not recorded", act)


def referral_extras(referral: Referral) -> dict[str, Any]:
    """What the referral page shows of holds, summaries sent and providers' answers."""
    rid = referral.referral_id
    names = dict(ProviderContact.objects.values_list("provider_id", "name"))
    return {
        "hold": holds.hold_of(referral),
        "hold_days": HoldForm.base_fields["days"].choices,
        "release_form": ReleaseForm(action=f"/matching/{rid}/release/"),
        "send_form": SendSummaryForm(action=f"/matching/{rid}/summary/"),
        "answer_form": AnswerForm(action=f"/matching/{rid}/answer/"),
        "summary_rows": summaries.anonymised_summary(referral.data or {}),
        "sends": [
            (summaries.summary_reference(s), s)
            for s in referral.summaries.select_related("sent_by").order_by("sent_at")
        ],
        "answers": [
            (names.get(a.provider_id, a.provider_id), a)
            for a in referral.answers.select_related("recorded_by").order_by("recorded_at")
        ],
    }
