# mypy: allow-subclassing-any
"""Forms for the council's narrative: one section's markdown, and the statement's sign-off
(approver, date approved, next review) as GOV.UK date inputs whose errors name the date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from sufficiency.report.sign_off import SignOff, SignOffError, parse_sign_off, prose
from sufficiency.web.data.narrative import SIGN_OFF, sign_off_problem

#: The longest text one section keeps (a statement section is a few pages at most).
MAX_TEXT = 100_000


class NarrativeForm(forms.Form):
    """One section's markdown; blank removes the section's narrative."""

    use_required_attribute = False

    text = forms.CharField(
        label="Narrative (Markdown)",
        required=False,
        max_length=MAX_TEXT,
        strip=False,
        help_text="Text before a line <!-- generated --> goes above the section's figures, text "
        "after it below them. Leave blank to remove the council's narrative from this section.",
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"max_length": f"Narrative must be {MAX_TEXT:,} characters or fewer"},
    )
    read_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, section: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save narrative"))

    def clean_text(self) -> str:
        text = str(self.cleaned_data.get("text") or "").replace("\r\n", "\n")
        if self.section == SIGN_OFF:
            problem = sign_off_problem(text)
            if problem is not None:
                raise forms.ValidationError(problem.message)
        return text


class NamedDateField(DateInputField):
    """A GOV.UK date input whose every error names the date (``Date approved must include a
    month``, ``... must be a real date``), as the design system asks."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(require_all_fields=False, label=name, **kwargs)
        self.name = name
        self.error_messages["required"] = f"Enter the {name.lower()}"
        self.error_messages["incomplete"] = f"Enter the {name.lower()}"
        for part, sub in zip(("day", "month", "year"), self.fields, strict=True):
            sub.error_messages["incomplete"] = f"{name} must include a {part}"
            sub.validators = []
        for widget in self.widget.widgets:
            widget.attrs["inputmode"] = "numeric"

    def compress(self, data_list: Any) -> dt.date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        parts = (str(day).strip(), str(month).strip(), str(year).strip())
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(f"{self.name} must be a real date")
        if len(parts[2]) != 4:
            raise forms.ValidationError(f"Year of the {self.name.lower()} must include 4 numbers")
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError as exc:
            raise forms.ValidationError(f"{self.name} must be a real date") from exc


class SignOffForm(forms.Form):
    """Who approved the statement, when, and when it is next reviewed: written as the lines of
    ``narrative/sign_off.md`` (the section's other text is kept)."""

    use_required_attribute = False

    approved_by = forms.CharField(
        label="Who approved the statement",
        max_length=200,
        help_text="For example: Director of Children's Services, or the Corporate Parenting Board.",
        error_messages={
            "required": "Enter who approved the statement",
            "max_length": "Who approved the statement must be 200 characters or fewer",
        },
    )
    approved_on = NamedDateField("Date approved", help_text="For example, 30 6 2025")
    next_review = NamedDateField(
        "Next review", help_text="The date the statement will next be reviewed, after its approval"
    )
    read_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save sign-off"))

    def clean_approved_by(self) -> str:
        value = " ".join(str(self.cleaned_data.get("approved_by") or "").split())
        if not value:
            raise forms.ValidationError("Enter who approved the statement")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        approved, review = data.get("approved_on"), data.get("next_review")
        if approved is not None and review is not None and review <= approved:
            self.add_error("next_review", "The next review must be after the date approved")
        return data

    def text(self, current: str) -> str:
        """The sign-off section with these lines in place of any earlier ones (its prose kept)."""
        d = self.cleaned_data
        lines = (
            f"Approved by: {d['approved_by']}\n"
            f"Approved on: {d['approved_on'].isoformat()}\n"
            f"Next review: {d['next_review'].isoformat()}\n"
        )
        kept = prose(current)
        return f"{kept}\n\n{lines}" if kept else lines


def current_sign_off(text: str) -> SignOff:
    """The sign-off the section's text holds now (empty when its lines do not read)."""
    try:
        return parse_sign_off(text)
    except SignOffError:
        return SignOff()
