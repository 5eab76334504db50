"""Anonymised referral summaries emailed to chosen providers (Django's in-memory mail backend in
tests): exactly the listed fields, nothing that identifies the child; providers' answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]

#: A synthetic child's identifying details, stored on the referral as a richer system would.
CHILD_ID = "C0012345"
NAME = "Amelia Stone"
DOB = "2014-03-02"
HOME = "HR1 2AB"
SCHOOL = "HR4 9XY"
REFERENCE = "REF-AMELIA-77"


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def referral(users: dict[str, Any]) -> Any:
    from sufficiency.web.matching.models import ProviderContact, Referral

    ProviderContact.objects.create(provider_id="SC100", name="Oak House", email="oak@example.org")
    ProviderContact.objects.create(
        provider_id="FC7", name="Ash carers", email="ash@example.org", phone="01432 000000"
    )
    ProviderContact.objects.create(provider_id="SC200", name="Elm Lodge")  # no email
    return Referral.objects.create(
        referral_id=REFERENCE,
        data={
            "id": REFERENCE,
            "child": {
                "child_id": CHILD_ID,
                "name": NAME,
                "dob": DOB,
                "age": 12,
                "sex": "F",
                "home_postcode": HOME,
                "school_postcode": SCHOOL,
                "uasc": False,
                "disability": False,
            },
            "needed_by": "2026-12-04",
            "urgency": "later",
            "siblings": 1,
            "budget_weekly": 4200,
            "suitability": {"foster": "preferred", "residential": "suitable"},
            "needs": ["autism", "self_harm"],
            "avoid_areas": [],
        },
    )


def test_the_email_carries_exactly_the_listed_fields_and_nothing_identifying(
    referral: Any, client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.matching.models import SummarySend

    response = client_for("home_finder").post(
        f"/matching/{REFERENCE}/summary/", {"providers": ["SC100", "FC7"]}, follow=True
    )
    sent = SummarySend.objects.get()
    ref = f"SUMMARY-{sent.pk:05d}"
    assert _messages(response) == [f"Summary {ref} sent to 2 providers."]
    assert [m.to for m in mail.outbox] == [["oak@example.org"], ["ash@example.org"]]
    expected = (
        f"Anonymised referral summary {ref}\n"
        "\n"
        "We are looking for a home for a child. Could you offer a place?\n"
        "\n"
        "Age band: 10 to 15\n"
        "Sex: Female\n"
        "Needs: autism, self harm\n"
        "Area (postcode district): HR1\n"
        "Date needed: 4 December 2026\n"
        "\n"
        f"Please reply to this email quoting {ref}: say which vacancy you can offer, or why you "
        "cannot.\n"
    )
    for message in mail.outbox:
        assert message.body == expected
        assert message.subject == f"Referral summary {ref}: a home needed by 4 December 2026"
        text = message.subject + message.body
        for secret in (
            CHILD_ID,
            NAME,
            "Amelia",
            "Stone",
            DOB,
            "02/03/2014",
            HOME,
            "HR12AB",
            "2AB",
            SCHOOL,
            "HR4",
            REFERENCE,
            "4200",
            "aged 12",
        ):
            assert secret not in text, secret
    assert sent.provider_ids == ["SC100", "FC7"]
    assert sent.recipients == ["oak@example.org", "ash@example.org"]
    assert LogEntry.objects.get_for_model(SummarySend).filter(object_pk=str(sent.pk)).count() == 1
    page = client_for("home_finder").get(f"/matching/{REFERENCE}/").content.decode()
    assert f'<td class="govuk-table__cell">{ref}</td>' in page


def test_the_fields_are_listed_once_in_code_and_in_the_docs() -> None:
    from sufficiency.web.matching.summaries import SUMMARY_FIELDS

    doc = (ROOT / "docs" / "referral-summaries.md").read_text()
    table = doc.split("### Fields sent", 1)[1].split("|---|---|", 1)[1].split("**Never sent**")[0]
    labels = re.findall(r"^\| ([^|]+?) \| [^|]+ \|$", table, flags=re.M)
    assert (
        labels
        == [label for _, label in SUMMARY_FIELDS]
        == [
            "Age band",
            "Sex",
            "Needs",
            "Area (postcode district)",
            "Date needed",
        ]
    )


def test_a_provider_without_an_email_address_stops_the_whole_send(
    referral: Any, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import SummarySend

    response = client_for("home_finder").post(
        f"/matching/{REFERENCE}/summary/", {"providers": ["SC100", "SC200"]}, follow=True
    )
    assert _messages(response) == [
        "Nothing was sent: Select a valid choice. SC200 is not one of the available choices."
    ]
    from sufficiency.web.matching import summaries

    with pytest.raises(
        summaries.SummaryError, match=r"No email address is recorded for provider SC200"
    ):
        summaries.send_summary(referral, ["SC100", "SC200"], None)
    assert mail.outbox == []
    assert SummarySend.objects.count() == 0


def test_providers_answers_are_recorded_on_the_referral(
    referral: Any, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import ProviderAnswer

    c = client_for("home_finder")
    url = f"/matching/{REFERENCE}/answer/"
    refused = c.post(url, {"provider_id": "SC100", "answer": "decline"}, follow=True)
    assert _messages(refused) == [
        "The answer was not recorded: Give the reason the provider declined."
    ]
    c.post(url, {"provider_id": "SC100", "answer": "decline", "reason": "No bed until March"})
    c.post(url, {"provider_id": "FC7", "answer": "offer", "vacancy_id": "V7"})
    assert list(
        ProviderAnswer.objects.order_by("pk").values_list(
            "provider_id", "answer", "vacancy_id", "reason"
        )
    ) == [("SC100", "decline", "", "No bed until March"), ("FC7", "offer", "V7", "")]
    page = c.get(f"/matching/{REFERENCE}/").content.decode()
    answers = page.split('id="answers"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', answers)
    assert cells[:4] == ["Oak House", "Decline", "", "No bed until March"]
    assert cells[5:9] == ["Ash carers", "Offer", "V7", ""]


def test_provider_contacts_are_added_on_their_page_with_a_valid_email(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import ProviderContact

    c = client_for("home_finder")
    contact = {"provider_id": "SC300", "name": "Birch House", "email": "birch-at-example"}
    refused = c.post("/providers/", contact)
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert ProviderContact.objects.count() == 0
    saved = c.post("/providers/", {**contact, "email": "birch@example.org"}, follow=True)
    assert _messages(saved) == ["Contact for Birch House (SC300) saved."]
    assert list(ProviderContact.objects.values_list("provider_id", "email")) == [
        ("SC300", "birch@example.org")
    ]
    assert client_for("analyst").get("/providers/").status_code == 403


def test_two_people_changing_a_provider_contact_at_once_never_overwrite_each_other(
    users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    """Both open the contact; the first to save wins, the second is told and nothing of theirs
    is saved (a form that does not say when it was read, likewise)."""
    from sufficiency.web.matching.models import ProviderContact

    first, second = client_for("home_finder"), client_for("admin")
    contact = {"provider_id": "SC300", "name": "Birch House", "email": "birch@example.org"}
    first.post("/providers/", contact)
    pk = ProviderContact.objects.get().pk
    read_at = first.get(f"/providers/{pk}/").context["form"].initial["read_at"]
    assert second.get(f"/providers/{pk}/").context["form"].initial["read_at"] == read_at
    mine = {**contact, "email": "new@example.org", "read_at": read_at}
    assert first.post(f"/providers/{pk}/", mine).status_code == 302
    theirs = {**contact, "phone": "01234 567890", "read_at": read_at}
    late = second.post(f"/providers/{pk}/", theirs)
    assert late.status_code == 409
    assert _messages(late) == [
        "Someone else changed the contact for Birch House (SC300) while you were editing it. "
        "Your changes were not saved: reload it to see their version."
    ]
    assert second.post(f"/providers/{pk}/", {**contact, "phone": "0"}).status_code == 409
    assert list(ProviderContact.objects.values_list("email", "phone")) == [("new@example.org", "")]
