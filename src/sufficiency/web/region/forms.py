# mypy: allow-subclassing-any
"""The regional referral form: the home-finding referral's fields and the referring council."""

from __future__ import annotations

from typing import Any

from django import forms

from sufficiency.web.matching.forms import ReferralDetailsForm

#: The id a regional referral is matched under (it is not stored).
REFERRAL_ID = "REGIONAL"


class RegionalReferralForm(ReferralDetailsForm):
    """A referral from one member council, to be matched across the regional pool."""

    council = forms.ChoiceField(label="Referring council")
    field_order = ["council"]  # noqa: RUF012
    submit_text = "Find homes across the region"

    def __init__(self, *args: Any, councils: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c, f"{n} ({c})") for c, n in councils.items()]
