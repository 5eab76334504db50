"""The search page (``/search/?q=``, the header's search box): matches in every kind of record
the user's role may see, a few of each; ``&in=KIND`` lists one kind, a page at a time. A
search that may show children is written to the audit log."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.web import audited
from sufficiency.web.accounts.roles import can, requires
from sufficiency.web.search.sources import SOURCES, Hit, Source, board_href

#: Matches shown per kind on the all-kinds page, and per page of one kind.
PREVIEW = 5
PAGE_SIZE = 25
#: Longest search accepted (longer text is cut).
MAX_QUERY = 100


@requires("dashboard")
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    mine = [s for s in SOURCES if can(request.user, s.capability)]
    kind = request.GET.get("in", "")
    chosen = [s for s in mine if s.id == kind] or mine
    board = can(request.user, "matching")
    sections: list[dict[str, Any]] = []
    page = None
    if q:
        for source in chosen:
            found = source.find(q)
            if len(chosen) == 1:
                page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
                hits, total = (
                    [_hit(source, r, board) for r in page.object_list],
                    page.paginator.count,
                )
            else:
                total = found.count()
                hits = [_hit(source, r, board) for r in found[:PREVIEW]]
            sections.append(_section(source, q, hits, total))
        if any(s.id == "children" for s in chosen):
            from sufficiency.web.data.models import Child

            audited.record_view(
                request, Child, f"search {q!r}", search=q, children=_total(sections, "children")
            )
    return render(
        request,
        "web/search.html",
        {
            "page_title": f"Search results for ‘{q}’" if q else "Search",
            "q": q,
            "kinds": [(s.id, s.title) for s in mine],
            "kind": kind if len(chosen) == 1 and len(mine) > 1 else "",
            "sections": sections,
            "page": page,
            "query": urlencode({"q": q, "in": kind}),
        },
    )


def _hit(source: Source, row: Any, board: bool) -> Hit:
    """A result; a vacancy opens on the vacancy board for roles that see it (``matching``)."""
    hit = source.hit(row)
    return board_href(hit) if board and source.id == "vacancies" else hit


def _section(source: Source, q: str, hits: list[Any], total: int) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "hits": hits,
        "total": total,
        "more": f"/search/?{urlencode({'q': q, 'in': source.id})}",
        "list_href": source.list_href.format(q=quote(q)) if source.list_href else "",
    }


def _total(sections: list[dict[str, Any]], kind: str) -> int:
    return sum(s["total"] for s in sections if s["id"] == kind)
