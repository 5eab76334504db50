"""Child-level pages (analysts, directors, admins only): the children list, a child's record and
timeline, and the children behind a dashboard count. Every page is written to the audit log."""

from __future__ import annotations

import datetime as dt

import polars as pl
from auditlog.signals import accessed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.measures import behind
from sufficiency.measures.timeline import child_events, child_placements
from sufficiency.web import audited, bridge
from sufficiency.web.accounts.roles import requires
from sufficiency.web.dashboard.chart_labels import label
from sufficiency.web.dashboard.filters import filter_dataset, requested_filters
from sufficiency.web.data import child_timeline
from sufficiency.web.data.models import Child, Episode
from sufficiency.web.frontend import plotly_stylesheets

#: Children listed on one page.
PAGE_SIZE = 50


@requires("child_data")
def children(request: HttpRequest) -> HttpResponse:
    """The list of children's ids (child-level data), searched (``?q=``) and a page at a time;
    each view is written to the audit log."""
    q = request.GET.get("q", "").strip()[:100]
    _audit_list_view(request, q)
    ids = Child.objects.order_by("child").values_list("child", flat=True).distinct()
    if q:
        ids = ids.filter(child__icontains=q)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    years: dict[str, list[int]] = {}
    for cid, year in Child.objects.filter(child__in=list(page.object_list)).values_list(
        "child", "return_year__year"
    ):
        years.setdefault(cid, []).append(year)
    return render(
        request,
        "web/children.html",
        {
            "page_title": "Children",
            "q": q,
            "page": page,
            "rows": [(cid, ", ".join(str(y) for y in sorted(years[cid]))) for cid in page],
            "query": _without(request, "page"),
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
    ds = bridge.dataset_or_none()
    timeline = (
        (child_events(ds, child), child_placements(ds, child), max(ds.returns))
        if ds is not None and ds.returns
        else None
    )
    return render(
        request,
        "web/child.html",
        {
            "page_title": f"Child {child}",
            "caption": "Episodes as recorded in each return",
            "header": header,
            "events": child_timeline.event_rows(timeline[0]) if timeline else [],
            "chart": (
                child_timeline.placements_chart(timeline[1], dt.date(timeline[2], 3, 31))
                if timeline
                else ""
            ),
            "plotly_stylesheets": plotly_stylesheets(),
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


_COLUMN_TITLES = {behind.NUMERATOR: "counted", behind.DENOMINATOR: "out of"}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


@requires("child_data")
def children_behind(request: HttpRequest, measure: str) -> HttpResponse:
    """The children counted in one cell of a dashboard table (``?r=ROW&c=COLUMN``, with the
    dashboard's year and filters), from the measure's own definition (``measures.behind``).
    Audited: who, which cell, how many children."""
    from sufficiency.measures import compute, load_catalogue

    catalogue = load_catalogue()
    ds = bridge.dataset_or_none()
    if ds is None or measure not in catalogue or not behind.drillable(measure):
        raise Http404
    years = sorted(ds.returns)
    year = _int(request.GET.get("year"), years[-1])
    if year not in years:
        raise Http404
    at = dt.date(year, 3, 31)
    filters = requested_filters(request.GET)
    data = filter_dataset(ds, at, **filters)
    result = compute(data, at, ids=[measure]).values[measure]
    cell = behind.cell_at(
        result, _int(request.GET.get("r"), -1), _int(request.GET.get("c"), -1), measure
    )
    if cell is None:
        raise Http404
    row, column = cell
    ids = behind.children_behind(data, measure, at, row, column).get_column("CHILD").to_list()
    where = " › ".join(
        t for t in (label(row) if row else "", _COLUMN_TITLES.get(column, label(column))) if t
    )
    title = catalogue[measure].title + (f": {where}" if where else "")
    audited.record_view(
        request,
        Child,
        f"children behind {measure} {row}/{column} {year}: {len(ids)} children",
        measure=measure,
        row=row,
        column=column,
        year=year,
        filters={k: v for k, v in filters.items() if v},
        children=len(ids),
    )
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = behind.about(
        data, at, pl.DataFrame({"CHILD": list(page.object_list)}, schema={"CHILD": pl.Utf8})
    )
    rows = [
        (cid, sex or "–", "–" if age is None else age, label(kind) if kind else "not looked after")
        for cid, sex, age, kind in shown.iter_rows()
    ]
    return render(
        request,
        "web/children_behind.html",
        {
            "page_title": title,
            "year": year,
            "count": len(ids),
            "page": page,
            "rows": rows,
            "filters": {label(k): label(v) for k, v in filters.items() if v},
            "query": _without(request, "page"),
            "back": _without(request, "page", "r", "c"),
        },
    )


def _without(request: HttpRequest, *names: str) -> str:
    """The request's query string without the parameters ``names`` (a page number for the
    pagination links; the cell too for the way back to the dashboard)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return str(params.urlencode())
