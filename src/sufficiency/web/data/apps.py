# mypy: allow-subclassing-any
from sufficiency.web import audited


class DataConfig(audited.AuditedAppConfig):
    """The SSDA903 returns as loaded: every change to a child's rows is audited."""

    name = "sufficiency.web.data"
    label = "web_data"
    audited_models = ("Child", "Episode", "ReturnYear")
