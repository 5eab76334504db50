# mypy: allow-subclassing-any
"""Upload form for a year's return files."""

from __future__ import annotations

import math
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "govuk-file-upload", **(attrs or {})})


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        """Each file checked; an empty one is named (Django's message names none of several)."""
        items = list(data) if isinstance(data, (list, tuple)) else [data]
        empty = [f"{f.name} is empty: {EXPECTED}" for f in items if f and f.name and not f.size]
        if empty:
            raise forms.ValidationError(empty, code="empty")
        total = sum(f.size or 0 for f in items if f)
        if total > RETURN_MAX_BYTES:
            raise forms.ValidationError(
                f"the files come to {math.ceil(total / 1024 / 1024):,} MB, more than the "
                f"{RETURN_MAX_BYTES // 1024 // 1024} MB a year's return can be: {EXPECTED}",
                code="too_large",
            )
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


#: What each uploaded return file should be.
EXPECTED = "expected an SSDA903 table as CSV, XLSX or the DfE XML"
#: The most a year's return files may come to: the largest council's return is a few megabytes
#: (a million episodes, far beyond any council, are about 70 MB of CSV); reading a file takes
#: several times its size in memory.
RETURN_MAX_BYTES = 100 * 1024 * 1024


class UploadReturnForm(forms.Form):
    """The files of one return. Its year is read from the files' dates; a year given here must
    agree with them (a guard against picking the wrong folder)."""

    year = forms.IntegerField(
        label="Year the return ends (31 March) (optional)",
        help_text="The year is read from the dates in the files. If you give one, for example "
        "2024 for the 2023-24 return, files of another year are refused.",
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
        ),
    )
    files = MultipleFileField(
        label="Return files",
        help_text="header, episodes, uasc and any other SSDA903 tables: CSV, XLSX or the DfE XML.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", "Check the files"))
