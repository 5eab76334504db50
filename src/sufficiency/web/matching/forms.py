# mypy: allow-subclassing-any
"""Referral forms (the SocialCareData placements-standard fields the matcher uses), the outcome
form and the withdrawal form. Creating a referral names its reference; editing never can."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.web.matching.models import valid_reference
from sufficiency.web.widgets import date_input, number_input

SUITABILITY = [("suitable", "Suitable"), ("preferred", "Preferred"), ("unsuitable", "Unsuitable")]


class ReferralDetailsForm(forms.Form):
    """What a referral says about the child and the home needed (editable; not the reference)."""

    age = forms.IntegerField(label="Child's age", min_value=0, max_value=25, widget=number_input(3))
    sex = forms.ChoiceField(label="Sex", choices=[("M", "Male"), ("F", "Female")])
    home_postcode = forms.CharField(label="Home postcode", max_length=10, required=False)
    school_postcode = forms.CharField(
        label="School postcode (education to keep)", max_length=10, required=False
    )
    needed_by = forms.DateField(
        label="Needed by",
        widget=date_input(),
        initial=dt.date.today,
    )
    urgency = forms.ChoiceField(
        label="When needed",
        choices=[("today", "Today"), ("under_5_days", "Within 5 days"), ("later", "Later")],
    )
    siblings = forms.IntegerField(
        label="Siblings to live with the child", min_value=0, initial=0, widget=number_input(3)
    )
    requested_type = forms.ChoiceField(
        label="Requested placement type",
        choices=[("", "No preference"), *PLACEMENT_TYPE_TITLES.items()],
        required=False,
    )
    foster = forms.ChoiceField(label="Fostering", choices=SUITABILITY)
    residential = forms.ChoiceField(label="Children's home", choices=SUITABILITY)
    supported = forms.ChoiceField(label="Supported accommodation", choices=SUITABILITY)
    needs = forms.CharField(
        label="Needs (separated by ;)", required=False, help_text="For example: autism;self_harm"
    )
    avoid_postcode = forms.CharField(label="Area to avoid: postcode", required=False, max_length=10)
    avoid_miles = forms.FloatField(
        label="Area to avoid: minimum miles", required=False, min_value=0, widget=number_input(5)
    )
    budget_weekly = forms.FloatField(
        label="Weekly budget (£)", required=False, min_value=0, widget=number_input(10)
    )
    uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False)
    disability = forms.BooleanField(label="Disabled child", required=False)

    submit_text = "Save and find homes"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_text))

    @staticmethod
    def initial_from(data: dict[str, Any]) -> dict[str, Any]:
        """Form values of a stored referral (the inverse of ``referral_json``)."""
        child = data.get("child") or {}
        suit = data.get("suitability") or {}
        avoid = (data.get("avoid_areas") or [{}])[0]
        return {
            "age": child.get("age"),
            "sex": child.get("sex"),
            "home_postcode": child.get("home_postcode") or "",
            "school_postcode": child.get("school_postcode") or "",
            "needed_by": data.get("needed_by"),
            "urgency": data.get("urgency"),
            "siblings": data.get("siblings", 0),
            "requested_type": data.get("requested_type", ""),
            "foster": suit.get("foster", "suitable"),
            "residential": suit.get("residential", "suitable"),
            "supported": suit.get("supported", "suitable"),
            "needs": ";".join(data.get("needs") or []),
            "avoid_postcode": avoid.get("postcode", ""),
            "avoid_miles": avoid.get("min_miles"),
            "budget_weekly": data.get("budget_weekly"),
            "uasc": bool(child.get("uasc")),
            "disability": bool(child.get("disability")),
        }

    def referral_json(self, referral_id: str) -> dict[str, Any]:
        d = self.cleaned_data
        data: dict[str, Any] = {
            "id": referral_id,
            "child": {
                "age": d["age"],
                "sex": d["sex"],
                "home_postcode": d["home_postcode"] or None,
                "school_postcode": d["school_postcode"] or None,
                "uasc": d["uasc"],
                "disability": d["disability"],
            },
            "needed_by": d["needed_by"].isoformat(),
            "urgency": d["urgency"],
            "siblings": d["siblings"],
            "suitability": {
                "foster": d["foster"],
                "residential": d["residential"],
                "supported": d["supported"],
            },
            "needs": [n.strip() for n in (d["needs"] or "").split(";") if n.strip()],
            "avoid_areas": (
                [{"postcode": d["avoid_postcode"], "min_miles": d["avoid_miles"] or 0}]
                if d["avoid_postcode"]
                else []
            ),
        }
        if d["requested_type"]:
            data["requested_type"] = d["requested_type"]
        if d["budget_weekly"]:
            data["budget_weekly"] = d["budget_weekly"]
        return data


class ReferralEditForm(ReferralDetailsForm):
    """A referral's details changed: ``read_at`` is when the referral was last saved as the form
    was read, so a save over someone else's change since is refused, not made."""

    read_at = forms.CharField(widget=forms.HiddenInput, required=False)


class ReferralForm(ReferralDetailsForm):
    """A new referral: its reference is unique, URL-safe and fixed from now on."""

    referral_id = forms.CharField(
        label="Referral reference",
        max_length=40,
        validators=[valid_reference],
        help_text="Letters, digits, '-', '_' and '.'. It cannot be changed later.",
    )
    field_order = ["referral_id"]  # noqa: RUF012
    submit_text = "Find homes"

    def clean_referral_id(self) -> str:
        """Refuse a reference a referral in the workspace or a register row already has,
        ignoring case (``references.holders``, the rule every way in asks)."""
        from sufficiency.web.matching.references import holders

        rid = str(self.cleaned_data["referral_id"]).strip()
        taken = holders(rid)
        if taken:
            raise forms.ValidationError(in_use(rid, taken))
        return rid


def in_use(rid: str, taken: list[Any] | None = None) -> str:
    """What the form says of a reference a referral or register row has already (``taken``:
    who, when known)."""
    from sufficiency.web.matching.references import in_use_message

    return in_use_message(rid, taken or [])


class ReferenceForm(forms.Form):
    """A web referral's new reference (an administrator's way out of a repeated reference)."""

    referral_id = forms.CharField(
        label="New reference",
        max_length=40,
        validators=[valid_reference],
        help_text="Letters, digits, '-', '_' and '.'; not one any other referral or register "
        "row has, ignoring case.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Change the reference"))


class WithdrawForm(forms.Form):
    """Why an allocation is withdrawn (kept with it)."""

    reason = forms.CharField(
        label="Why is the allocation being withdrawn?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
        error_messages={"required": "Give the reason for withdrawing the allocation."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            Submit("submit", "Withdraw the allocation", css_class="govuk-button--warning")
        )


class OutcomeForm(forms.Form):
    vacancy_id = forms.CharField(label="Vacancy offered", max_length=40)
    offered = forms.BooleanField(label="The vacancy was offered", required=False)
    accepted = forms.BooleanField(label="The offer was accepted", required=False)
    placed_date = forms.DateField(
        label="Date placed",
        required=False,
        widget=date_input(),
    )
    placed_type = forms.ChoiceField(
        label="Placement type the child was placed in",
        choices=[("", "–"), *PLACEMENT_TYPE_TITLES.items()],
        required=False,
    )
    decline_reason = forms.CharField(label="Why it was declined", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Record outcome"))
