# mypy: allow-subclassing-any
"""Forms of the vacancy board: a vacancy's offer expiry, provider contacts, holding and releasing
a place, sending the anonymised summary to providers, and recording a provider's answer."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from sufficiency.web.matching.holds import MAX_HOLD_DAYS
from sufficiency.web.matching.models import ProviderAnswer, ProviderContact
from sufficiency.web.widgets import date_input

HOLD_DAYS = [(str(d), f"{d} day{'s' if d > 1 else ''}") for d in (1, 2, 3, 5, 7, MAX_HOLD_DAYS)]


def _helper(form: forms.Form, action: str, text: str, css: str = "") -> None:
    form.helper = FormHelper()
    form.helper.form_action = action
    form.helper.add_input(Submit("submit", text, css_class=css))


class ExpiryForm(forms.Form):
    expires_on = forms.DateField(
        label="The offer expires at the end of",
        required=False,
        widget=date_input(),
        help_text="Leave blank when the offer has no expiry.",
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _helper(self, action, "Save the expiry date")


class ProviderContactForm(forms.ModelForm):
    """A provider's contact; ``read_at`` is when the contact was last saved as the form was
    read, so a save over someone else's change since is refused (``board_views.providers``)."""

    read_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProviderContact
        fields = ("provider_id", "name", "contact_name", "email", "phone")
        labels = {  # noqa: RUF012
            "provider_id": "Provider id (the vacancies register's provider_id: household id or URN)",
            "name": "Provider name",
            "contact_name": "Contact's name",
            "email": "Email address (referral summaries are sent here)",
            "phone": "Telephone",
        }

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("read_at", self.instance.updated_at.isoformat())
        _helper(self, action, "Save the contact")


class HoldForm(forms.Form):
    vacancy_id = forms.CharField(widget=forms.HiddenInput)
    days = forms.TypedChoiceField(label="Hold for", choices=HOLD_DAYS, coerce=int)


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Why is the hold being released?",
        max_length=500,
        error_messages={"required": "Give the reason for releasing the hold."},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _helper(self, action, "Release the hold", "govuk-button--warning")


class SendSummaryForm(forms.Form):
    providers = forms.MultipleChoiceField(
        label="Providers to send the anonymised summary to",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one provider to send the summary to."},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["providers"]
        field.choices = [
            (c.provider_id, f"{c.name} ({c.email})")
            for c in ProviderContact.objects.exclude(email="").order_by("name")
        ]
        _helper(self, action, "Send the summary by email")


class AnswerForm(forms.Form):
    provider_id = forms.ChoiceField(label="Provider")
    answer = forms.ChoiceField(
        label="Their answer", choices=ProviderAnswer.ANSWERS, widget=forms.RadioSelect
    )
    vacancy_id = forms.CharField(label="Vacancy offered (if any)", max_length=40, required=False)
    reason = forms.CharField(label="Why they declined", max_length=500, required=False)

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["provider_id"]
        field.choices = [(c.provider_id, c.name) for c in ProviderContact.objects.order_by("name")]
        _helper(self, action, "Record the answer")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("answer") == ProviderAnswer.DECLINE and not data.get("reason", "").strip():
            self.add_error("reason", "Give the reason the provider declined.")
        return data
