# mypy: allow-subclassing-any
from sufficiency.web import audited


class MatchingConfig(audited.AuditedAppConfig):
    """Referrals describe a child: every change to them, their allocations and outcomes is audited."""

    name = "sufficiency.web.matching"
    label = "web_matching"
    audited_models = (
        "Referral",
        "Allocation",
        "Outcome",
        "Hold",
        "SummarySend",
        "ProviderAnswer",
        "ProviderContact",
        "VacancyListing",
    )
