"""Child-level pages (analysts, directors, admins only): the children list, a child's record and
timeline, and the children behind a dashboard count. Every page is written to the audit log."""

from __future__ import annotations

from auditlog.signals import accessed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.web import audited
from sufficiency.web.accounts.roles import requires
from sufficiency.web.data.models import Child, Episode


@requires("child_data")
def children(request: HttpRequest) -> HttpResponse:
    """The list of children's ids (child-level data): each view is written to the audit log."""
    q = request.GET.get("q", "").strip()
    _audit_list_view(request, q)
    qs = Child.objects.select_related("return_year").order_by("child", "return_year__year")
    if q:
        qs = qs.filter(child__icontains=q)
    seen: dict[str, list[int]] = {}
    for c in qs[:2000]:
        seen.setdefault(c.child, []).append(c.return_year.year)
    rows = [
        [{"href": f"/data/children/{cid}/", "text": cid}, ", ".join(str(y) for y in ys)]
        for cid, ys in seen.items()
    ]
    return render(
        request,
        "web/table.html",
        {
            "page_title": "Children",
            "headers": ["Child", "Returns"],
            "rows": rows,
            "intro": "Child-level records. Opening a record is written to the audit log.",
        },
    )


def _audit_list_view(request: HttpRequest, q: str) -> None:
    audited.record_view(request, Child, f"children list{f' (search {q!r})' if q else ''}")


@requires("child_data")
def child_detail(request: HttpRequest, child: str) -> HttpResponse:
    """One child's header and episodes; the access is audited (who, what, when)."""
    header = (
        Child.objects.filter(child=child)
        .select_related("return_year")
        .order_by("-return_year__year")
        .first()
    )
    if header is None:
        raise Http404
    accessed.send(sender=Child, instance=header)
    episodes = Episode.objects.filter(child=child).select_related("return_year").order_by("decom")
    rows = [
        [
            e.decom.strftime("%d/%m/%Y"),
            e.dec.strftime("%d/%m/%Y") if e.dec else "open",
            e.rne,
            e.ls,
            e.cin,
            e.place,
            e.place_provider,
            e.rec,
            e.reason_place_change,
            e.pl_post,
            e.urn,
            e.return_year.year,
        ]
        for e in episodes
    ]
    return render(
        request,
        "web/child.html",
        {
            "page_title": f"Child {child}",
            "header": header,
            "headers": [
                "Start",
                "End",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "Provider",
                "REC",
                "RPC",
                "Placement postcode",
                "URN",
                "Return",
            ],
            "rows": rows,
        },
    )
