"""Apps built on ``web.audited.AuditedAppConfig`` register their child-level models for audit."""

from __future__ import annotations


def test_child_level_models_are_audited() -> None:
    from auditlog.registry import auditlog

    labels = {m._meta.label for m in auditlog.get_models()}
    assert {
        "web_data.Child",
        "web_data.Episode",
        "web_data.ReturnYear",
        "web_matching.Referral",
        "web_matching.Allocation",
        "web_matching.Outcome",
    } <= labels
