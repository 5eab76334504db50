"""Form widgets styled as GOV.UK inputs (crispy-forms-gds leaves number and date inputs bare)."""

from __future__ import annotations

from typing import Any

from django import forms


def number_input(width: int = 5) -> Any:
    """A GOV.UK text input for numbers (the Design System advises against type=number)."""
    return forms.TextInput(
        attrs={
            "class": f"govuk-input govuk-input--width-{width}",
            "inputmode": "decimal",
            "spellcheck": "false",
        }
    )


def date_input() -> Any:
    """The browser's date picker, styled as a GOV.UK input; values are ISO dates."""
    return forms.DateInput(
        attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
    )
