# mypy: allow-subclassing-any
"""The referral form: the SocialCareData placements-standard fields the matcher uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.web.widgets import date_input, number_input

SUITABILITY = [("suitable", "Suitable"), ("preferred", "Preferred"), ("unsuitable", "Unsuitable")]


class ReferralForm(forms.Form):
    referral_id = forms.CharField(label="Referral reference", max_length=40)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Find homes"))

    def referral_json(self) -> dict[str, Any]:
        d = self.cleaned_data
        data: dict[str, Any] = {
            "id": d["referral_id"],
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
