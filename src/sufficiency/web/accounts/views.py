"""Sign-in page context and the admin's audit-log search."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.web.accounts.roles import requires


class GovukLoginView(LoginView):
    """Django's login view (axes counts failures) with the GOV.UK template."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        ctx = super().get_context_data(**kwargs)
        ctx["oidc_enabled"] = settings.OIDC_ENABLED
        ctx["page_title"] = "Sign in"
        return ctx


@requires("audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Search the audit log by user, object or action."""
    q = request.GET.get("q", "").strip()
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if q:
        from django.db.models import Q

        entries = entries.filter(
            Q(actor__username__icontains=q) | Q(object_repr__icontains=q) | Q(object_pk__icontains=q)
            | Q(content_type__model__icontains=q)
        )
    rows = [
        [e.timestamp.strftime("%d/%m/%Y %H:%M:%S"), e.actor.username if e.actor else "system",
         e.get_action_display(), e.content_type.model, e.object_repr, e.remote_addr or ""]
        for e in entries[:500]
    ]
    return render(request, "web/audit.html", {
        "page_title": "Audit log", "q": q,
        "headers": ["When", "Who", "Action", "Record type", "Record", "From"], "rows": rows,
    })
