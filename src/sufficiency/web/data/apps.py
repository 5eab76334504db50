# mypy: allow-subclassing-any
from sufficiency.web import audited


class DataConfig(audited.AuditedAppConfig):
    """The SSDA903 returns as loaded and the council's narrative: every change to a child's rows
    or to a section's text is audited."""

    name = "sufficiency.web.data"
    label = "web_data"
    audited_models = ("Child", "Episode", "ReturnYear", "Narrative")
