"""The anonymised referral summary sent to providers, and sending it by email.

A summary says only what a provider needs to decide whether it might offer a home, and nothing
that identifies the child: the fields are exactly ``SUMMARY_FIELDS`` (listed in
docs/referral-summaries.md). The child's age becomes a DfE age band, the home postcode its
district (the outward code, "HR1" of "HR1 2AB"); the referral's reference, the child's name,
date of birth and full postcodes are never read. Each provider gets its own email (none sees the
others), through Django's mail settings; what was sent and to whom is recorded and audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from sufficiency.geo.postcodes import postcode_text
from sufficiency.measures.common import DFE_AGE_BANDS
from sufficiency.report.sections.titles import AGE_TITLES, SEX_TITLES
from sufficiency.web.matching.models import ProviderContact, Referral, SummarySend

#: Every field a summary carries, in order: (key, label). Nothing else leaves the workspace.
SUMMARY_FIELDS: tuple[tuple[str, str], ...] = (
    ("age_band", "Age band"),
    ("sex", "Sex"),
    ("needs", "Needs"),
    ("area", "Area (postcode district)"),
    ("needed_by", "Date needed"),
)

NOT_GIVEN = "Not given"


class SummaryError(Exception):
    """The summary could not be sent; the message is shown to the user as it is."""


def age_band(age: object) -> str:
    """The DfE age band of an age in years ("10 to 15"), or "Not given"."""
    try:
        years = int(str(age))
    except ValueError:
        return NOT_GIVEN
    for name, low, high in DFE_AGE_BANDS:
        if years >= low and (high is None or years <= high):
            return AGE_TITLES[name]
    return NOT_GIVEN


def postcode_district(postcode: object) -> str:
    """The district (outward code) of a postcode: "HR1" of "HR1 2AB"; "Not given" if blank."""
    text = postcode_text(str(postcode or ""))
    return text.split(" ")[0] if " " in text else NOT_GIVEN


def _date(value: object) -> str:
    try:
        return f"{dt.date.fromisoformat(str(value)):%-d %B %Y}"
    except ValueError:
        return NOT_GIVEN


def anonymised_summary(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The summary of a referral (its placements-standard JSON) as (label, value) rows, in the
    order of ``SUMMARY_FIELDS``."""
    child = data.get("child") or {}
    needs = [str(n).replace("_", " ") for n in data.get("needs") or [] if str(n).strip()]
    values = {
        "age_band": age_band(child.get("age")),
        "sex": SEX_TITLES.get(str(child.get("sex") or "U"), NOT_GIVEN),
        "needs": ", ".join(needs) or "None listed",
        "area": postcode_district(child.get("home_postcode")),
        "needed_by": _date(data.get("needed_by")),
    }
    return [(label, values[key]) for key, label in SUMMARY_FIELDS]


def summary_reference(send: SummarySend) -> str:
    """How providers quote a summary in their answer (not the referral's reference)."""
    return f"SUMMARY-{send.pk:05d}"


def email_body(rows: Sequence[tuple[str, str]], reference: str) -> str:
    """The email a provider receives: the summary's rows and how to answer."""
    lines = [
        f"Anonymised referral summary {reference}",
        "",
        "We are looking for a home for a child. Could you offer a place?",
        "",
        *(f"{label}: {value}" for label, value in rows),
        "",
        f"Please reply to this email quoting {reference}: say which vacancy you can offer, "
        "or why you cannot.",
    ]
    return "\n".join(lines) + "\n"


def send_summary(referral: Referral, provider_ids: Sequence[str], user: Any) -> SummarySend:
    """Email the referral's anonymised summary to each chosen provider; record what was sent.

    Nothing is recorded when a provider has no email address or the mail server refuses.
    """
    if not provider_ids:
        raise SummaryError("Choose at least one provider to send the summary to.")
    contacts = {
        c.provider_id: c for c in ProviderContact.objects.filter(provider_id__in=provider_ids)
    }
    missing = [p for p in provider_ids if p not in contacts or not contacts[p].email]
    if missing:
        raise SummaryError(
            "No email address is recorded for provider " + ", ".join(missing) + ": add it on "
            "the provider contacts page first. Nothing was sent."
        )
    rows = anonymised_summary(referral.data or {})
    send = SummarySend(
        referral=referral,
        provider_ids=list(provider_ids),
        recipients=[contacts[p].email for p in provider_ids],
        fields=[list(row) for row in rows],
        sent_by=user if getattr(user, "pk", None) else None,
    )
    with transaction.atomic():
        send.save()
        reference = summary_reference(send)
        messages = [
            EmailMessage(
                subject=f"Referral summary {reference}: a home needed by {dict(rows)['Date needed']}",
                body=email_body(rows, reference),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[contacts[p].email],
            )
            for p in provider_ids
        ]
        try:
            get_connection().send_messages(messages)
        except OSError as exc:
            raise SummaryError(
                f"The mail server did not take every email ({exc}): nothing was recorded. "
                "Send the summary again."
            ) from exc
    return send
